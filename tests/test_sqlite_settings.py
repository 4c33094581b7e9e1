"""Every SQLite store: WAL journal and a busy timeout (readers never block writers),
and what a deletion removes leaves neither the file nor its WAL (bot/sqlite_settings.py)."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from bot import sqlite_settings
from tests.support.sqlite_files import all_bytes


def store_engines(tmp_path, monkeypatch):
    from bot.callbacks import store as callbacks
    from bot.conversations_db import make_engine
    from bot.handoff.accounts import make_session_factory

    monkeypatch.setenv("SPRO_CALLBACK_KEY_FILE", str(tmp_path / "callback.key"))
    return {
        "conversations": make_engine(f"sqlite:///{tmp_path / 'conversations.sqlite'}"),
        "callbacks": callbacks.make_engine(f"sqlite:///{tmp_path / 'callbacks.sqlite'}"),
        "staff": make_session_factory(f"sqlite:///{tmp_path / 'staff.sqlite'}").kw["bind"],
    }


def test_every_store_is_in_wal_mode_with_a_busy_timeout(tmp_path, monkeypatch):
    for name, engine in store_engines(tmp_path, monkeypatch).items():
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal", name
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == sqlite_settings.BUSY_TIMEOUT_MS
        engine.dispose()


def test_the_tracker_store_too(tmp_path):
    from rasa.shared.core.domain import Domain

    from bot.tracker_store import RedactingSQLTrackerStore

    store = RedactingSQLTrackerStore(domain=Domain.empty(), db=str(tmp_path / "c.sqlite"),
                                     redact_logs=False, warm_up=False)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    store.engine.dispose()


@pytest.fixture
def engine(tmp_path):
    engine = sqlite_settings.configure(sa.create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}", future=True))
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    yield engine
    engine.dispose()


def test_a_long_read_does_not_block_a_write(engine):
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO notes (text) VALUES ('avant')")
    with engine.connect() as reader:
        reader.exec_driver_sql("BEGIN")
        assert reader.exec_driver_sql("SELECT count(*) FROM notes").scalar() == 1
        started = time.monotonic()
        with engine.begin() as writer:  # with a rollback journal: "database is locked" after 5 s
            writer.exec_driver_sql("INSERT INTO notes (text) VALUES ('pendant')")
        assert time.monotonic() - started < 1
        reader.exec_driver_sql("ROLLBACK")


def test_what_is_deleted_is_in_neither_the_file_nor_its_wal(engine, tmp_path):
    path = tmp_path / "store.sqlite"
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO notes (text) VALUES ('Julie Martin 0612345678')")
        connection.exec_driver_sql("INSERT INTO notes (text) VALUES ('gardé')")
    assert b"Julie Martin" in all_bytes(path)
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM notes WHERE text LIKE 'Julie%'")
    raw = all_bytes(path)
    assert b"Julie Martin" not in raw and "gardé".encode() in raw
