"""Engine and session factory. Nothing connects at import time: callers build an
engine from a URL (or the default SQLite file under var/) and own their sessions."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "directory.sqlite"
URL_ENV = "DIRECTORY_DATABASE_URL"


def database_url(url: str | None = None) -> str:
    """The URL to use: explicit argument, then $DIRECTORY_DATABASE_URL, then var/."""
    return url or os.environ.get(URL_ENV) or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_reader_engine(url: str | None = None, busy_timeout_seconds: float = 2.0) -> Engine:
    """An engine for the services that only read the directory (the action server).
    On SQLite it never creates the file: a missing database stays an error ("unable to
    open database file") instead of becoming an empty one that hides the fault, and a
    lock held by an import is waited for two seconds, not five."""
    url = database_url(url)
    if not url.startswith("sqlite:///"):
        return create_engine(url, future=True)
    # An SQLite URI: "?", "#" and "%" in the path must be escaped.
    path = quote(url.removeprefix("sqlite:///"))
    engine = create_engine(f"sqlite:///file:{path}?mode=rw&uri=true", future=True,
                           connect_args={"timeout": busy_timeout_seconds})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)
