"""The documentation stays readable and true to the repository: a README a newcomer
reads in five minutes, no word about how the work was organised, no dead link."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
ORGANISATION = re.compile(r"\bsessions?\s*(?:n°\s*)?\d", re.IGNORECASE)


def tracked_markdown() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    return [ROOT / name for name in names]


def documentation() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_readme_stays_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 200, f"README.md: {lines} lines (200 at most; details go to docs/)"


def test_no_markdown_file_speaks_of_sessions():
    found = [f"{path.relative_to(ROOT)}: {match.group(0)!r}"
             for path in tracked_markdown()
             for match in ORGANISATION.finditer(path.read_text(encoding="utf-8"))]
    assert not found, found


@pytest.mark.parametrize("path", documentation(), ids=lambda path: path.name)
def test_relative_links_point_to_files_that_exist(path):
    dead = []
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a URL, or an anchor in the same page
        if not (path.parent / target.split("#", 1)[0]).exists():
            dead.append(target)
    assert not dead, dead


SETTING = re.compile(r"\b(?:SPRO_[A-Z_]+[A-Z]|DIRECTORY_DATABASE_URL|CONVERSATIONS_DATABASE_URL"
                     r"|RASA_PORT|ACTIONS_PORT|WEB_PORT)\b")


def test_every_setting_the_code_reads_is_documented():
    code = [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("actions").rglob("*.py"),
            *ROOT.joinpath("directory").rglob("*.py"), ROOT / "scripts" / "run"]
    read = {name for path in code for name in SETTING.findall(path.read_text(encoding="utf-8"))}
    documented = set(SETTING.findall((ROOT / "docs" / "exploitation.md").read_text(encoding="utf-8")))
    assert read - documented == set(), "add them to the table of docs/exploitation.md"
    assert documented - read == set(), "documented, but read nowhere"


COMMAND = re.compile(r"python -m ([a-z_][a-z_.]*)((?: [a-z][a-z-]+)?)")
BENCH = re.compile(r"`(bench\.[a-z_]+)`")


def documented_commands() -> dict[str, set[str]]:
    """Each `python -m MODULE [SUBCOMMAND]` that README.md and docs/ tell to run."""
    commands: dict[str, set[str]] = {}
    for path in documentation():
        text = path.read_text(encoding="utf-8")
        for module, sub in COMMAND.findall(text):
            commands.setdefault(module, set()).update({sub.strip()} - {""})
        for module in BENCH.findall(text):
            commands.setdefault(module, set())
    return commands


def test_every_documented_command_exists():
    import sys

    commands = documented_commands()
    assert {"directory", "bot", "bench.nlu"} <= set(commands)
    runs = {module: subprocess.Popen([sys.executable, "-m", module, "--help"], cwd=ROOT, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for module in commands}
    outputs = {}
    try:
        for module, run in runs.items():
            outputs[module] = (*run.communicate(timeout=120), run.returncode)
    finally:
        for run in runs.values():
            if run.poll() is None:
                run.kill()
    for module, (out, err, code) in outputs.items():
        assert code == 0, f"python -m {module} --help: {err[-500:]}"
        # A module without argparse would run its whole job instead of printing this.
        assert "usage" in out.lower(), f"python -m {module} --help does not print its usage"
        missing = {sub for sub in commands[module] if not re.search(rf"\b{re.escape(sub)}\b", out)}
        assert not missing, f"python -m {module}: no such command {sorted(missing)}"
