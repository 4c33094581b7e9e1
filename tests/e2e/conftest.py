"""Real servers for end-to-end tests: the rasa-sdk action server and the Rasa server
(REST channel) on free ports, the trained model of `make train`, the directory built
by the real import, every store in a temporary folder."""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.local_servers import ROOT, ServerFailed, run_servers

MODEL = ROOT / "models" / "current.tar.gz"


@dataclass
class RasaServers:
    rasa_url: str
    actions_url: str
    tracker_db: Path
    logs: list[Path]
    callbacks_db: Path

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


def store_environment(tmp: Path, directory_url: str) -> dict[str, str]:
    """Every store the servers write goes to the test's folder, never to var/."""
    return {
        "DIRECTORY_DATABASE_URL": directory_url,
        "CONVERSATIONS_DATABASE_URL": f"sqlite:///{tmp / 'conversations.sqlite'}",
        "SPRO_CALLBACKS_DATABASE_URL": f"sqlite:///{tmp / 'callbacks.sqlite'}",
        "SPRO_CALLBACK_KEY_FILE": str(tmp / "callback.key"),
        "SPRO_STAFF_DATABASE_URL": f"sqlite:///{tmp / 'staff.sqlite'}",
    }


@pytest.fixture(scope="session")
def rasa_servers(tmp_path_factory, directory_engine):
    if not MODEL.is_file():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it).")
    tmp = tmp_path_factory.mktemp("e2e")
    try:
        with run_servers(tmp, MODEL, store_environment(tmp, str(directory_engine.url))) as servers:
            yield RasaServers(servers.rasa_url, servers.actions_url, tmp / "conversations.sqlite",
                              servers.logs, tmp / "callbacks.sqlite")
    except ServerFailed as failure:
        pytest.fail(str(failure))
