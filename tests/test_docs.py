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


MAKE_TARGET = re.compile(r"\bmake ([a-z][a-z0-9-]*)")


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, re.MULTILINE))


def test_every_documented_make_target_exists():
    documented = {target for path in [*documentation(), ROOT / "bot" / "web" / "README.md"]
                  for target in MAKE_TARGET.findall(path.read_text(encoding="utf-8"))}
    assert {"run", "test", "bench"} <= documented
    assert documented - makefile_targets() == set()


# `scripts/run`, `directory/rules/matrix.yml`, `bot/handoff/hours.yml`…, in backquotes.
REPO_PATH = re.compile(r"`((?:bot|actions|directory|data|domain|tests|bench|docs|scripts|widget|deploy)"
                       r"/[A-Za-z0-9_./-]*|[a-z_]+\.(?:yml|toml|ini))`")


def test_every_documented_repository_path_exists():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    basenames = {Path(name).name for name in tracked}
    missing = []
    for path in [*documentation(), ROOT / "bot" / "web" / "README.md"]:
        for name in REPO_PATH.findall(path.read_text(encoding="utf-8")):
            if "*" in name or "<" in name:
                continue  # a pattern or a placeholder
            # A bare file name ("hours.yml") may be named where its folder was just said.
            found = (ROOT / name.rstrip("/")).exists() or ("/" not in name and name in basenames)
            if not found:
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert len(set(REPO_PATH.findall((ROOT / "README.md").read_text(encoding="utf-8")))) >= 10
    assert not missing, missing


LOCAL_PAGE = re.compile(r"http://localhost:8080(/[A-Za-z0-9_./-]*)")


def test_every_documented_page_of_the_web_app_answers(tmp_path, monkeypatch):
    """Each http://localhost:8080/… of the docs, asked of the real application
    (a page, or the console's redirection to its login page)."""
    import asyncio

    from aiohttp.test_utils import TestClient, TestServer

    from bot.web.app import create_app
    from bot.web.settings import Settings

    monkeypatch.setenv("SPRO_STAFF_DATABASE_URL", f"sqlite:///{tmp_path / 'staff.sqlite'}")
    pages = {page for path in [*documentation(), ROOT / "bot" / "web" / "README.md"]
             for page in LOCAL_PAGE.findall(path.read_text(encoding="utf-8"))}
    assert {"/", "/conseil/"} <= pages

    async def statuses() -> dict[str, int]:
        async with TestClient(TestServer(create_app(Settings()))) as client:
            answers = {}
            for page in sorted(pages):
                response = await client.get(page, allow_redirects=False)
                answers[page] = response.status
            return answers

    failing = {page: status for page, status in asyncio.run(statuses()).items() if not 200 <= status < 400}
    assert not failing


def test_the_documented_rasa_addresses_are_the_configured_channels():
    import yaml

    text = "\n".join(path.read_text(encoding="utf-8") for path in documentation())
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    channels = {name.rsplit(".", 1)[-1].lower(): config or {} for name, config in credentials.items()}
    if "http://localhost:5005/socket.io" in text:
        socketio = next(config for name, config in channels.items() if "socket" in name)
        assert socketio.get("socketio_path", "/socket.io") == "/socket.io"
    if "/webhooks/rest/webhook" in text:
        assert any("rest" in name for name in channels), "no REST channel in credentials.yml"
