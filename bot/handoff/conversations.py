"""What the console reads in the conversation store (Rasa's `events` table, written
by the redacting tracker store: texts already hold placeholders, not personal data).

`handed_over(connection)`: conversations whose latest handoff_status is waiting or
held (a restart or a new session resets the slot). `history(connection, sender_id)`:
the messages of one conversation, who said what."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, List, Optional

import sqlalchemy as sa

SLOT = "handoff_status"
OPEN_STATUSES = ("waiting", "held")
RESETS = ("restart", "session_started")  # slots go back to their initial values
EXTERNAL_PREFIX = "EXTERNAL: "  # an intent triggered through Rasa's HTTP API

events = sa.table("events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"),
                  sa.column("timestamp"), sa.column("data"))


@dataclass(frozen=True)
class HandedOver:
    sender_id: str
    status: str  # waiting | held
    since: datetime


@dataclass(frozen=True)
class Line:
    speaker: str  # person | assistant | counsellor
    text: str
    at: datetime


def handed_over(connection: Any) -> List[HandedOver]:
    """Waiting conversations first, oldest first (the longest wait on top)."""
    if not sa.inspect(connection).has_table("events"):
        return []  # Rasa has not created its store yet
    rows = connection.execute(
        sa.select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data)
        .where(sa.or_(sa.and_(events.c.type_name == "slot",
                              events.c.data.like(f'%"{SLOT}"%')),
                      events.c.type_name.in_(RESETS)))
        .order_by(events.c.id)
    )
    latest: dict[str, Optional[HandedOver]] = {}
    for sender_id, type_name, timestamp, data in rows:
        status = None
        if type_name == "slot":
            event = event_data(data)
            if event.get("name") != SLOT:
                continue
            status = event.get("value")
        latest[sender_id] = (HandedOver(sender_id, status, _time(timestamp))
                             if status in OPEN_STATUSES else None)
    found = [item for item in latest.values() if item is not None]
    return sorted(found, key=lambda item: (item.status != "waiting", item.since))


def current(connection: Any, sender_id: str) -> Optional[HandedOver]:
    """This conversation, if it waits for or is held by a counsellor."""
    return next((item for item in handed_over(connection) if item.sender_id == sender_id), None)


def status_of(connection: Any, sender_id: str) -> Optional[str]:
    item = current(connection, sender_id)
    return item.status if item else None


def history(connection: Any, sender_id: str) -> List[Line]:
    if not sa.inspect(connection).has_table("events"):
        return []
    rows = connection.execute(
        sa.select(events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.sender_id == sender_id, events.c.type_name.in_(("user", "bot")))
        .order_by(events.c.id)
    )
    lines: List[Line] = []
    counsellor_turn = False
    for type_name, timestamp, data in rows:
        event = event_data(data)
        text = event.get("text")
        if type_name == "user":
            # Console-triggered intents are not the person's words; the bot message
            # that follows a counsellor_message is the counsellor's.
            counsellor_turn = str(text or "").startswith(EXTERNAL_PREFIX + "counsellor_message")
            if not str(text or "").startswith(EXTERNAL_PREFIX):
                lines.append(Line("person", text or "", _time(timestamp)))
            continue
        if not text:
            custom = (event.get("data") or {}).get("custom")
            if not custom:
                continue
            text = ("[Fiche d'orientation envoyée]" if isinstance(custom, dict)
                    and custom.get("type") == "referral" else "[Contenu structuré envoyé]")
        lines.append(Line("counsellor" if counsellor_turn else "assistant", text, _time(timestamp)))
    return lines


def event_data(data: Optional[str]) -> dict:
    """An event row's JSON as a dict ({} when it is not one)."""
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _time(timestamp: Optional[float]) -> datetime:
    return datetime.fromtimestamp(timestamp or 0, tz=timezone.utc)
