"""Rasa tracker store that never persists personal data, and forgets on request.

endpoints.yml:
    tracker_store:
      type: bot.tracker_store.RedactingSQLTrackerStore
      dialect: sqlite            # or postgresql (+ host, port, username, password)
      db: var/conversations.sqlite
      # redact_logs: true        # default: RedactingFilter on the root log handlers
      # warm_up: true            # default: load the redaction model at start-up
      # fast_action_validation: true  # default: bot/rasa_fixes.py (turn time)

Rasa builds it with `host=<url>, domain=…, event_broker=…, **other keys`
(rasa.core.tracker_store._load_from_module_name_in_endpoint_config).
Only the events a save adds are redacted (`_additional_events`), so a turn costs
one redaction of the new user message. Events streamed to a broker are redacted too.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterator, List, Optional, Sequence, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, Restarted, UserUttered

from bot import sqlite_settings
from bot.privacy.events import redact_event

logger = logging.getLogger(__name__)

DEFAULT_DB = "var/conversations.sqlite"
DELETE_ACTION = "action_delete_conversation"


def _redact_text(text: str) -> str:
    from bot.privacy import redact  # lazy: loads spaCy on the first user message

    return redact(text)


def redacted(event: Event) -> Event:
    return Event.from_parameters(redact_event(event.as_dict(), _redact_text))


def erasure_point(events: Sequence[Event]) -> Optional[int]:
    """Index of the last `Restarted` that closes an `action_delete_conversation`
    (only bot messages may lie between them), or None."""
    for index in range(len(events) - 1, -1, -1):
        if not isinstance(events[index], Restarted):
            continue
        for previous in range(index - 1, -1, -1):
            event = events[previous]
            if isinstance(event, ActionExecuted):
                if event.action_name == DELETE_ACTION:
                    return index
                break
            if isinstance(event, UserUttered):
                break
    return None


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose stored events hold placeholders instead of personal data."""

    def __init__(
        self,
        domain: Any = None,
        dialect: Text = "sqlite",
        host: Optional[Text] = None,
        db: Text = DEFAULT_DB,
        redact_logs: bool = True,
        warm_up: bool = True,
        fast_action_validation: bool = True,
        **kwargs: Any,
    ) -> None:
        if warm_up:
            # Load the French model now (server start), not during the first turn.
            from bot.privacy import get_redactor

            get_redactor()
        if redact_logs:
            # Rasa has configured logging by now: redact what its handlers write.
            from bot.logging_filter import install

            install()
        if fast_action_validation:
            from bot import rasa_fixes

            rasa_fixes.install()
        if dialect == "sqlite" and not host and db:
            Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, dialect=dialect, host=host, db=db, **kwargs)
        # WAL and a busy timeout (Rasa, the console and the purge write at once);
        # SQLite keeps deleted rows in free pages: overwritten here, so an erased
        # conversation cannot be read back from the file.
        sqlite_settings.configure(self.engine, secure_delete=True)
        from bot.review import store as review_store, summaries

        summaries.create(self.engine)
        review_store.create(self.engine)
        from bot.indicators import facts as indicator_facts

        indicator_facts.create(self.engine)

    async def save(self, tracker: Any) -> None:
        events = list(tracker.events)
        cut = erasure_point(events)
        if cut is not None:
            # The person asked to erase the conversation: nothing before the
            # restart stays in the database; only what follows it is stored.
            self.delete_sender(tracker.sender_id)
        await super().save(tracker)
        self._save_summary(tracker.sender_id, events if cut is None else events[cut + 1:])

    def _save_summary(self, sender_id: Text, events: Sequence[Event]) -> None:
        """The review's row of this conversation (bot/review/summaries.py), its new
        messages in the triage index (bot/review/store.py) and its indicators' fact
        (bot/indicators/facts.py)."""
        from bot.indicators import facts as indicator_facts
        from bot.review import store as review_store, summaries

        row = summaries.summarize(sender_id, events)
        try:
            with self.engine.begin() as connection:
                if row is None:
                    summaries.delete_senders(connection, [sender_id])
                    review_store.forget(connection, [sender_id])
                    indicator_facts.forget(connection, [sender_id])
                else:
                    summaries.upsert(connection, row)
                    review_store.index_new_messages(connection, sender_id)
                    indicator_facts.upsert(connection, indicator_facts.fact_of(row, events))
        except sa.exc.SQLAlchemyError as error:
            # The events are saved: the person's turn goes on. The review's rows
            # catch up at the next save (the index takes every event it lacks).
            logger.warning("Review rows not updated for this save (%s).", type(error).__name__)

    def delete_sender(self, sender_id: Text) -> int:
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        from bot.indicators import facts as indicator_facts
        from bot.review import store as review_store, summaries

        with self.engine.begin() as connection:
            summaries.delete_senders(connection, [sender_id])
            review_store.forget(connection, [sender_id])
            indicator_facts.forget(connection, [sender_id])
        logger.info("Conversation erased on request (%d events).", deleted)
        return deleted

    def _additional_events(self, session: Any, tracker: Any) -> Iterator[Event]:
        events = list(tracker.events)
        cut = erasure_point(events)
        if cut is not None:
            new_events = events[cut + 1:]
        else:
            new_events = list(super()._additional_events(session, tracker))
        return iter([redacted(event) for event in new_events])

    async def _stream_new_events(
        self, event_broker: Any, new_events: List[Event], sender_id: Text
    ) -> None:
        await super()._stream_new_events(
            event_broker, [redacted(event) for event in new_events], sender_id
        )


__all__ = ["RedactingSQLTrackerStore", "erasure_point", "redacted", "DEFAULT_DB"]
