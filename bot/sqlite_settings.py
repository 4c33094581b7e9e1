"""The settings every SQLite store of the service shares (conversations, call-backs,
satisfaction, staff accounts): several processes write to them at once.

- WAL journal: the console's and the purge's reads never block Rasa's writes, nor
  the reverse; a writer waits for another writer up to BUSY_TIMEOUT_MS instead of
  failing at once with "database is locked".
- secure_delete (stores with personal data): a deleted row is overwritten in the
  file, not left in a free page.
- After a transaction that deleted rows, a checkpoint writes the WAL into the file
  and empties it: the WAL would otherwise keep the pages as they were before the
  deletion until the next automatic checkpoint.
"""
from __future__ import annotations

import logging
import sqlite3
from typing import Any

from sqlalchemy import event

BUSY_TIMEOUT_MS = 5000
logger = logging.getLogger(__name__)


def configure(engine: Any, *, secure_delete: bool = True) -> Any:
    """Applies the settings to each new connection of this engine (SQLite only)."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        if secure_delete:
            cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "after_cursor_execute")
    def _note_deletion(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip()[:6].upper() == "DELETE":
            conn.info["deleted_rows"] = True

    @event.listens_for(engine, "checkin")
    def _checkpoint_after_deletion(dbapi_connection: Any, record: Any) -> None:
        # Checked in: the transaction is over (committed or rolled back).
        if dbapi_connection is None or not record.info.pop("deleted_rows", False):
            return
        try:
            dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as error:  # another process reading: the next one will
            logger.warning("SQLite : point de contrôle reporté (%s).", type(error).__name__)

    engine.dispose()  # connections opened before the listeners lack the settings
    return engine
