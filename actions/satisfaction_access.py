"""The action server's access to the satisfaction answers, stored with the
indicators in the conversation store: one engine, created on first use (nothing
connects at import time), reset by tests."""
from __future__ import annotations

from typing import Optional

from actions.lazy import Lazy, dispose_engine


def _make_engine():
    from bot.conversations_db import database_url, make_engine

    return make_engine(database_url())


_engine = Lazy(_make_engine, dispose_engine)


def engine():
    """The conversation store's engine (where the indicators live), on first use."""
    return _engine.get()


def reset() -> None:
    """Forget the engine ($CONVERSATIONS_DATABASE_URL changed in tests)."""
    _engine.reset()


def save_answer(rating: int, comment: Optional[str], need: Optional[str]) -> int:
    """Stores one answer (day, rating, need); the free-text comment is redacted first.
    Its id (kept in the conversation, so that erasing it erases the answer too)."""
    from bot import satisfaction
    from bot.privacy import redact

    redacted = redact(comment) if comment else None
    with engine().begin() as connection:
        return satisfaction.record(connection, rating=rating, comment=redacted, need=need)


def delete_answers(ids: list[int]) -> int:
    from bot import satisfaction

    with engine().begin() as connection:
        return satisfaction.delete(connection, ids)
