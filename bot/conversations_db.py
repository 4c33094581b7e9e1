"""Where the conversation store lives, for the bot's own commands (purge…):
--url, else $CONVERSATIONS_DATABASE_URL, else endpoints.yml `tracker_store`
(dialect/host/port/db/username/password, ${VARS} expanded), else
sqlite:///var/conversations.sqlite."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
import yaml

from bot import sqlite_settings

DEFAULT_URL = "sqlite:///var/conversations.sqlite"
ENV_VAR = "CONVERSATIONS_DATABASE_URL"


def database_url(url: Optional[str] = None, endpoints: Optional[Path] = None) -> str:
    if url:
        return url
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    endpoints = endpoints or Path("endpoints.yml")
    if endpoints.is_file():
        config = (yaml.safe_load(os.path.expandvars(endpoints.read_text("utf-8"))) or {})
        store = config.get("tracker_store")
        kind = str(store.get("type", "")) if isinstance(store, dict) else ""
        if kind.endswith("RedactingSQLTrackerStore") or kind.lower() == "sql":
            return _url_from_store(store)
    return DEFAULT_URL


def _url_from_store(store: dict) -> str:
    host = store.get("url") or store.get("host")
    if host and "://" in str(host):
        return str(host)
    dialect = store.get("dialect", "sqlite")
    db = store.get("db", "var/conversations.sqlite")
    if dialect == "sqlite":
        return f"sqlite:///{db}"
    return str(sa.engine.URL.create(
        dialect, username=store.get("username"), password=store.get("password"),
        host=host, port=store.get("port"), database=db,
    ))


def make_engine(url: str) -> Any:
    engine = sa.create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        if engine.url.database and engine.url.database != ":memory:":
            Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)

        # WAL, busy timeout; purged rows overwritten in the file, not just unlinked.
        sqlite_settings.configure(engine, secure_delete=True)
    return engine
