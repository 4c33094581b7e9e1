"""scripts/supervise.sh, as scripts/run uses it: a service that stops is started again,
and stopping the supervisor stops the service."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_supervised(tmp_path: Path, service: str) -> subprocess.Popen:
    script = f"""
set -euo pipefail
pids=()
source {ROOT / 'scripts' / 'supervise.sh'}
supervise "essai" bash -c '{service}'
echo "${{pids[0]}}" > {tmp_path / 'supervisor.pid'}
wait
"""
    return subprocess.Popen(["bash", "-c", script], env={**os.environ, "SUPERVISE_PAUSE": "1"},
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for(predicate, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_service_that_dies_is_started_again(tmp_path):
    starts = tmp_path / "starts"
    runner = start_supervised(tmp_path, f"echo $$ >> {starts}; exit 3")
    try:
        assert wait_for(lambda: starts.exists() and len(starts.read_text().split()) >= 3)
    finally:
        os.killpg(runner.pid, signal.SIGTERM)
        _, errors = runner.communicate(timeout=10)
    assert "Le service « essai » s'est arrêté (code 3)" in errors


def test_a_killed_service_comes_back_and_stopping_the_supervisor_stops_it(tmp_path):
    starts = tmp_path / "starts"
    runner = start_supervised(tmp_path, f"echo $$ >> {starts}; exec sleep 300")
    try:
        assert wait_for(lambda: starts.exists() and starts.read_text().strip())
        first = int(starts.read_text().split()[0])
        os.kill(first, signal.SIGKILL)
        assert wait_for(lambda: len(starts.read_text().split()) == 2)
        second = int(starts.read_text().split()[1])
        supervisor = int((tmp_path / "supervisor.pid").read_text())
        os.kill(supervisor, signal.SIGTERM)
        assert wait_for(lambda: not Path(f"/proc/{second}").exists() or
                        "Z" in Path(f"/proc/{second}/stat").read_text().split()[2])
        runner.wait(timeout=10)
    finally:
        try:
            os.killpg(runner.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        runner.communicate(timeout=10)
