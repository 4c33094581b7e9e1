"""A personal datum that escaped the redactor, marked by a reviewer: the passage (or,
when none is given, the whole message) is replaced by a placeholder in every event of
that conversation where it appears (the message, its parse data, the slots and bot
replies that repeated it), in place. On SQLite the store overwrites freed space
(secure_delete) and the write-ahead log is checkpointed, so the old text cannot be
read back from the files. The caller owns the transaction and audits the action,
without the text."""
from __future__ import annotations

import json
import time
from typing import Any, Optional

import sqlalchemy as sa

from bot.review.store import events, messages

PLACEHOLDER = "<DONNEE_MASQUEE>"
MESSAGE_PLACEHOLDER = "<MESSAGE_MASQUE>"


def redact_again(connection: Any, sender_id: str, event_id: int, passage: Optional[str] = None,
                 now: Optional[float] = None) -> Optional[int]:
    """Number of events rewritten, or None when the message is not this conversation's."""
    row = connection.execute(sa.select(events.c.data).where(events.c.id == event_id,
                                                            events.c.sender_id == sender_id,
                                                            events.c.type_name == "user")).first()
    if row is None:
        return None
    text = (json.loads(row.data or "{}").get("text") or "")
    passage = (passage or "").strip()
    if passage and passage in text:
        needle, replacement = passage, PLACEHOLDER
    else:
        needle, replacement = text, MESSAGE_PLACEHOLDER
    rewritten = 0
    if needle:
        # A conversation is tens of events: all read, the JSON compared decoded
        # (Rasa writes it with \u escapes).
        candidates = connection.execute(sa.select(events.c.id, events.c.data)
                                        .where(events.c.sender_id == sender_id)).all()
        for other_id, data in candidates:
            value = json.loads(data or "{}")
            new_value = _replace(value, needle, replacement)
            if other_id == event_id and replacement == MESSAGE_PLACEHOLDER:
                new_value = _drop_entities(new_value)
            if new_value != value:
                connection.execute(sa.update(events).where(events.c.id == other_id)
                                   .values(data=json.dumps(new_value)))
                rewritten += 1
    connection.execute(sa.update(messages).where(messages.c.event_id == event_id)
                       .values(redacted_again_at=now or time.time()))
    return rewritten


def flush_sqlite(engine: Any) -> None:
    """After the transaction: the WAL holds the old pages until a checkpoint."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _replace(value: Any, needle: str, replacement: str) -> Any:
    if isinstance(value, str):
        return value.replace(needle, replacement)
    if isinstance(value, list):
        return [_replace(item, needle, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, needle, replacement) for key, item in value.items()}
    return value


def _drop_entities(event: dict) -> dict:
    """A whole message masked: what the NLU extracted from it goes too."""
    parse = event.get("parse_data")
    if isinstance(parse, dict):
        parse = dict(parse, entities=[])
        event = dict(event, parse_data=parse)
    return event
