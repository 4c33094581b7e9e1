"""Real servers for end-to-end tests: the rasa-sdk action server and the Rasa server
(REST channel) on free ports, the trained model of `make train`, the directory built
by the real import, a conversation store in a temporary SQLite file."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"server not ready after {STARTUP_SECONDS}s: {url}\n{log.read_text()[-3000:]}")


@dataclass
class RasaServers:
    rasa_url: str
    actions_url: str
    tracker_db: Path
    logs: list[Path]

    def say(self, sender: str, message: str) -> list[dict]:
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs)


@pytest.fixture(scope="session")
def rasa_servers(tmp_path_factory, directory_engine):
    if not MODEL.is_file():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it).")
    tmp = tmp_path_factory.mktemp("e2e")
    rasa_port, actions_port = free_port(), free_port()
    tracker_db = tmp / "conversations.sqlite"
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(endpoints_yaml(actions_port, tracker_db))
    env = dict(os.environ, DIRECTORY_DATABASE_URL=str(directory_engine.url), RASA_TELEMETRY_ENABLED="false")
    logs, processes = [], []

    def start(name: str, args: list[str]) -> subprocess.Popen:
        log = tmp / f"{name}.log"
        logs.append(log)
        with log.open("w") as out:  # the child keeps its own descriptor
            process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        processes.append(process)
        return process

    try:
        actions = start("actions", [str(BIN / "rasa"), "run", "actions", "--actions", "actions",
                                    "--port", str(actions_port)])
        rasa = start("rasa", [str(BIN / "rasa"), "run", "--model", str(MODEL), "--port", str(rasa_port),
                              "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)])
        wait_for(f"http://127.0.0.1:{actions_port}/health", actions, logs[0])
        wait_for(f"http://127.0.0.1:{rasa_port}/", rasa, logs[1])
        yield RasaServers(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}", tracker_db, logs)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def endpoints_yaml(actions_port: int, tracker_db: Path) -> str:
    text = f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
    store = ROOT / "bot" / "tracker_store.py"
    if store.is_file():
        text += (
            "tracker_store:\n"
            "  type: bot.tracker_store.RedactingSQLTrackerStore\n"
            "  dialect: sqlite\n"
            f"  db: {tracker_db}\n"
        )
    else:
        text += f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n"
    return text
