"""`make run` (scripts/run) as a person installing the service would start it, in a
copy of the project's layout under tmp_path: it starts even with an API token that
begins with "-", answers the README's own example with a referral, leaves every file
of var/ readable by its own account only, and Ctrl-C stops every process it started."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from bot.local_servers import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
LINKED = [".venv", "models", "actions", "bot", "directory", "domain", "scripts",
          "credentials.yml", "endpoints.yml", "logging.yml"]


def wait_for_status(url: str, runner: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert runner.poll() is None, f"scripts/run stopped ({runner.returncode})"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(1)
    pytest.fail("scripts/run did not start the Rasa server in time")


def say(port: int, sender: str, message: str) -> list[dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def readme_example() -> dict:
    """The body of the `curl` example under README.md's "Démarrer"."""
    import re

    match = re.search(r"curl -s -XPOST localhost:5005/webhooks/rest/webhook \\\n\s*-d '(\{.*\})'",
                      (ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, "README.md has no curl example any more"
    return json.loads(match.group(1))


def descendants(pid: int) -> set[int]:
    children = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            children |= {int(child)} | descendants(int(child))
    return children


def test_make_run_starts_answers_keeps_var_private_and_stops_all(tmp_path, directory_engine):
    if not (ROOT / "models" / "current.tar.gz").is_file():
        pytest.fail("models/current.tar.gz is missing: run `make train` (make test does it).")
    project = tmp_path / "projet"
    project.mkdir()
    for name in LINKED:
        (project / name).symlink_to(ROOT / name)
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    token = "-jeton-qui-commence-par-un-tiret"
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTIONS_PORT": str(actions_port),
           "WEB_PORT": str(web_port), "SPRO_RASA_TOKEN": token,
           "DIRECTORY_DATABASE_URL": str(directory_engine.url),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "SUPERVISE_PAUSE": "1"}
    log = (tmp_path / "run.log").open("w")
    runner = subprocess.Popen(["bash", str(project / "scripts" / "run")], cwd=tmp_path, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    started = set()
    try:
        wait_for_status(f"http://127.0.0.1:{rasa_port}/status?token={token}", runner)
        started = descendants(runner.pid)
        example = readme_example()
        replies = say(rasa_port, example["sender"], example["message"])
        assert any(isinstance(r.get("custom"), dict) and r["custom"].get("type") == "referral"
                   for r in replies), replies
        files = [path for path in (project / "var").rglob("*") if path.is_file()]
        assert any(path.name == "conversations.sqlite" for path in files), files
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path.name} readable by others"
    finally:
        os.kill(runner.pid, signal.SIGINT)  # what Ctrl-C sends to the script
        try:
            runner.wait(timeout=120)
            stopped = True
        except subprocess.TimeoutExpired:
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
            stopped = False
        log.close()
    assert stopped, "Ctrl-C did not stop scripts/run within 2 minutes"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(map(running, started)):
        time.sleep(0.5)
    alive = [pid for pid in started if running(pid)]
    assert started and not alive, (tmp_path / "run.log").read_text()[-3000:]


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
    except (FileNotFoundError, ProcessLookupError):
        return False
