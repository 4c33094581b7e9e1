"""The action server and the Rasa server as child processes on free ports, with
their logs in files: for the end-to-end tests and the turn benchmark (`make run`
uses scripts/run)."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 240


class ServerFailed(RuntimeError):
    """A server exited or did not answer in time (message carries its log tail)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path,
                  seconds: float = STARTUP_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise ServerFailed(f"server not ready after {seconds:.0f}s: {url}\n{log.read_text()[-3000:]}")


@dataclass
class LocalServers:
    rasa_url: str
    actions_url: str
    logs: list[Path] = field(default_factory=list)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    restart: dict[str, Callable[[], subprocess.Popen]] = field(default_factory=dict)

    def stop_actions(self) -> None:
        """Kills the action server (a fault, as a crash would: no clean shutdown)."""
        process = self.processes["actions"]
        process.kill()
        process.wait(timeout=20)

    def start_actions(self) -> None:
        """Starts the action server again on the same port (log appended)."""
        process = self.restart["actions"]()
        wait_until_up(f"{self.actions_url}/health", process, self.logs[0])


def endpoints_yaml(actions_port: int, tracker_db: Path) -> str:
    return (
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        "tracker_store:\n"
        "  type: bot.tracker_store.RedactingSQLTrackerStore\n"
        "  dialect: sqlite\n"
        f"  db: {tracker_db}\n"
    )


LOGGING_CONFIG = ROOT / "logging.yml"


def debug_logging_config(workdir: Path) -> Path:
    """logging.yml at DEBUG (where Rasa and rasa-sdk log what people type): the same
    handler and redacting filter, a lower level."""
    path = workdir / "logging-debug.yml"
    path.write_text(LOGGING_CONFIG.read_text(encoding="utf-8").replace("level: INFO", "level: DEBUG"),
                    encoding="utf-8")
    return path


@contextlib.contextmanager
def run_servers(workdir: Path, model: Path, env: Mapping[str, str], *,
                credentials: Path = ROOT / "credentials.yml",
                rasa_args: tuple[str, ...] = (),
                actions_package: str = "actions",
                debug: bool = False) -> Iterator[LocalServers]:
    """Both servers, the conversation store in `workdir`/conversations.sqlite, their
    logs through logging.yml (redacted), at DEBUG if asked; stopped (then killed if
    needed) on exit."""
    rasa_port, actions_port = free_port(), free_port()
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(endpoints_yaml(actions_port, workdir / "conversations.sqlite"))
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", **env}
    servers = LocalServers(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{actions_port}")

    def start(name: str, args: list[str], mode: str = "w") -> subprocess.Popen:
        log = workdir / f"{name}.log"
        if mode == "w":
            servers.logs.append(log)
            servers.restart[name] = lambda: start(name, args, mode="a")
        with log.open(mode) as out:  # the child keeps its own descriptor
            process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        servers.processes[name] = process
        return process

    logging_config = str(debug_logging_config(workdir) if debug else LOGGING_CONFIG)
    try:
        actions = start("actions", [str(BIN / "rasa"), "run", "actions", "--actions", actions_package,
                                    "--port", str(actions_port), "--logging-config-file", logging_config])
        rasa = start("rasa", [str(BIN / "rasa"), "run", "--model", str(model), "--port", str(rasa_port),
                              "--credentials", str(credentials), "--endpoints", str(endpoints),
                              "--logging-config-file", logging_config, *(("--debug",) if debug else ()),
                              *rasa_args])
        wait_until_up(f"{servers.actions_url}/health", actions, servers.logs[0])
        wait_until_up(f"{servers.rasa_url}/", rasa, servers.logs[1])
        yield servers
    finally:
        for process in servers.processes.values():
            process.terminate()
        for process in servers.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
