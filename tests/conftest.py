"""Fixtures shared by every test area. Nothing here does work at import time: the
directory database is built the first time a test asks for it, once per session."""
from __future__ import annotations

import contextlib
import json
import os
import re
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Shared fixtures kept in their own modules.
pytest_plugins = ["tests.support.console"]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_data_dir():
    """The shared open-data folder ($SPRO_DATA_DIR or ../shared/data)."""
    from directory.importing import default_data_dir

    data_dir = default_data_dir()
    if not (data_dir / "communes.csv").is_file():
        pytest.fail(f"Shared data folder not found: {data_dir} (set SPRO_DATA_DIR).")
    return data_dir


@pytest.fixture(scope="session")
def _directory_database(tmp_path_factory, shared_data_dir):
    """A real SQLite file, migrated, filled by the full real import (open data,
    directory/curated, directory/rules). Read-only for tests: do not write to it."""
    from directory.db import make_engine, make_session_factory
    from directory.importing import run_import
    from directory.migrations import upgrade

    path = tmp_path_factory.mktemp("directory") / "directory.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    report = run_import(make_session_factory(engine), shared_data_dir)
    yield engine, report
    engine.dispose()


@pytest.fixture(scope="session")
def directory_engine(_directory_database):
    return _directory_database[0]


@pytest.fixture(scope="session")
def directory_session_factory(directory_engine):
    """`with directory_session_factory() as session:` (read-only use)."""
    from directory.db import make_session_factory

    return make_session_factory(directory_engine)


@pytest.fixture(scope="session")
def directory_import_report(_directory_database):
    """The ImportReport of the import that built `directory_engine`."""
    return _directory_database[1]


@pytest.fixture
def directory_db(directory_engine, monkeypatch):
    """actions.directory_access pointed at the real test directory."""
    from actions import directory_access

    monkeypatch.setenv("DIRECTORY_DATABASE_URL", str(directory_engine.url))
    directory_access.reset()
    yield directory_engine
    directory_access.reset()


# One Rasa server and one action server for every end-to-end and browser test ------

SERVER_ERROR = re.compile(r"^\S+ \S+ (ERROR|CRITICAL) |^Traceback \(most recent call last\)", re.M)
# Rasa's HTTP API, as the counsellor console calls it. It begins with "-" as a random
# token sometimes does: it must still be read as the token, not as an option.
RASA_TOKEN = "-jeton-de-test"
# Counsellors on duty at any hour: the handoff tests need them, whatever the time.
ALWAYS_OPEN_HOURS = "timezone: Europe/Paris\ndefault:\n" + "".join(
    f'  {day}: ["00:00-24:00"]\n' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
# The project's REST and socket.io channels, as credentials.yml declares them.
CREDENTIALS = (
    "bot.channels.rest.RestInput:\n"
    "bot.channels.socketio.SocketIOInput:\n"
    "  user_message_evt: user_uttered\n"
    "  bot_message_evt: bot_uttered\n"
    "  session_persistence: true\n"
)


@dataclass
class LiveServers:
    rasa_url: str
    actions_url: str
    logs: list[Path]
    tracker_db: Path
    callbacks_db: Path
    local: Any = None  # bot.local_servers.LocalServers: stops and restarts the action server
    token: str = RASA_TOKEN

    def say(self, sender: str, message: str, metadata: dict | None = None) -> list[dict]:
        """One message through the REST channel; the bot's replies."""
        body = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def tracker(self, sender: str) -> dict:
        """Rasa's own view of a conversation (HTTP API, with the token)."""
        url = f"{self.rasa_url}/conversations/{sender}/tracker?token={self.token}"
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.loads(response.read())

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs)

    def log_marks(self) -> dict[Path, int]:
        return {path: path.stat().st_size for path in self.logs}

    def errors_since(self, marks: dict[Path, int]) -> list[str]:
        """ERROR/CRITICAL records and tracebacks written since `marks`, with the
        lines that follow each (enough to see what failed)."""
        found = []
        for path in self.logs:
            with path.open("rb") as log:
                log.seek(marks.get(path, 0))
                text = log.read().decode(errors="replace")
            for match in SERVER_ERROR.finditer(text):
                found.append(f"{path.name}: " + text[match.start():match.start() + 1500])
        return found


@pytest.fixture(scope="session")
def live_servers(tmp_path_factory, directory_engine):
    """The action server and the Rasa server (REST + socket.io, HTTP API with a
    token) on free ports, at DEBUG (where Rasa logs what people type: the privacy
    tests read these logs), every store in a temporary folder, counsellors always
    on duty. The action server carries one injected fault (tests/support)."""
    from bot.local_servers import ServerFailed, run_servers

    model = ROOT / "models" / "current.tar.gz"
    if not model.is_file():
        pytest.fail(f"{model} is missing: run `make train` (make test does it).")
    tmp = tmp_path_factory.mktemp("servers")
    (tmp / "credentials.yml").write_text(CREDENTIALS)
    (tmp / "hours.yml").write_text(ALWAYS_OPEN_HOURS)
    env = {
        "DIRECTORY_DATABASE_URL": str(directory_engine.url),
        "CONVERSATIONS_DATABASE_URL": f"sqlite:///{tmp / 'conversations.sqlite'}",
        "SPRO_CALLBACKS_DATABASE_URL": f"sqlite:///{tmp / 'callbacks.sqlite'}",
        "SPRO_CALLBACK_KEY_FILE": str(tmp / "callback.key"),
        "SPRO_STAFF_DATABASE_URL": f"sqlite:///{tmp / 'staff.sqlite'}",
        "SPRO_HANDOFF_HOURS": str(tmp / "hours.yml"),
    }
    rasa_args = ("--cors", "*", "--enable-api", f"--auth-token={RASA_TOKEN}")
    try:
        with run_servers(tmp, model, env, credentials=tmp / "credentials.yml", rasa_args=rasa_args,
                         actions_package="tests.support.faulty_actions", debug=True) as servers:
            yield LiveServers(servers.rasa_url, servers.actions_url, servers.logs,
                              tmp / "conversations.sqlite", tmp / "callbacks.sqlite", servers)
    except ServerFailed as failure:
        pytest.fail(str(failure))


@pytest.fixture(autouse=True)
def _server_logs_stay_clean(request):
    """A test that talks to the live servers fails if they logged an error or a
    traceback meanwhile (unless marked `server_errors_expected`)."""
    if "live_servers" not in request.fixturenames:
        yield
        return
    servers = request.getfixturevalue("live_servers")
    marks = servers.log_marks()
    yield
    if request.node.get_closest_marker("server_errors_expected") is None:
        errors = servers.errors_since(marks)
        if errors:
            pytest.fail("the servers logged errors during this test:\n" + "\n---\n".join(errors[:5]))


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI (CI=true, set by .ci/run) a skipped test is a failure: a component
    that could not be installed (PostgreSQL, chromium, npm) must not turn the run
    green while the tests that need it did not run."""
    outcome = yield
    report = outcome.get_result()
    if under_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"ignoré sous CI, donc en échec : {reason}"


# SQLite and PostgreSQL for the stores that must work on both -----------------------

@contextlib.contextmanager
def postgres_database():
    """A fresh PostgreSQL database on $SPRO_TEST_POSTGRES_URL's server, dropped after
    (skipped without a server: a failure under CI)."""
    import uuid

    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    url = os.environ.get("SPRO_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("SPRO_TEST_POSTGRES_URL not set (no PostgreSQL server)")
    name = f"spro_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_url(request, tmp_path):
    """A database URL on each backend the embedded default and the deployment use."""
    from sqlalchemy.engine import make_url

    if request.param == "sqlite":
        yield make_url(f"sqlite:///{tmp_path / 'var' / 'store.sqlite'}")
    else:
        with postgres_database() as url:
            yield url
