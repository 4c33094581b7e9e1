"""What the review pages read: the summary rows with their filters (never Rasa's
events table for a list), and one conversation's transcript from its events
(texts as stored, already redacted; intents, confidences, entities, referral)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Any, Optional

import sqlalchemy as sa

from bot.handoff.conversations import event_data
from bot.review.summaries import EXTERNAL_PREFIX, LOW_CONFIDENCE, summaries

PAGE_SIZE = 50
events = sa.table("events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"),
                  sa.column("timestamp"), sa.column("data"))


@dataclass(frozen=True)
class Filters:
    start: Optional[date] = None
    end: Optional[date] = None
    channel: Optional[str] = None
    need: Optional[str] = None
    public: Optional[str] = None
    department: Optional[str] = None
    network: Optional[str] = None
    fell_back: bool = False
    wrong_need: bool = False
    handoff: bool = False
    low_confidence: bool = False
    rated: bool = False


def conversation_page(connection: Any, filters: Filters, page: int = 1) -> tuple[int, list[dict]]:
    """(how many match, the rows of this page), the latest activity first."""
    if not sa.inspect(connection).has_table(summaries.name):
        return 0, []
    where = _conditions(filters)
    total = connection.execute(sa.select(sa.func.count()).select_from(summaries).where(*where)).scalar()
    rows = connection.execute(sa.select(summaries).where(*where)
                              .order_by(summaries.c.last_at.desc(), summaries.c.sender_id)
                              .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE))
    return total, [dict(row._mapping) for row in rows]


def _conditions(f: Filters) -> list:
    c = summaries.c
    where = []
    if f.start:
        where.append(c.last_at >= datetime.combine(f.start, time.min, timezone.utc).timestamp())
    if f.end:
        where.append(c.started_at < datetime.combine(f.end, time.max, timezone.utc).timestamp())
    for column, value in ((c.channel, f.channel), (c.need, f.need), (c.public, f.public),
                          (c.department_code, f.department)):
        if value:
            where.append(column == value)
    if f.network:
        where.append(c.networks.like(f"%,{f.network},%"))
    if f.fell_back:
        where.append(c.fallbacks > 0)
    if f.wrong_need:
        where.append(c.wrong_need > 0)
    if f.handoff:
        where.append(c.handoff.is_(True))
    if f.low_confidence:
        where.append(c.min_confidence < LOW_CONFIDENCE)
    if f.rated:
        where.append(c.rating.is_not(None))
    return where


@dataclass
class Turn:
    speaker: str  # person | assistant | counsellor
    at: datetime
    text: str = ""
    intent: Optional[str] = None
    confidence: Optional[float] = None
    ranking: list = field(default_factory=list)   # [(intent, confidence)] top 3
    entities: list = field(default_factory=list)  # [(entity, value)]
    referral: Optional[dict] = None


def transcript(connection: Any, sender_id: str) -> tuple[list[Turn], dict]:
    """The turns and the final slots worth showing (rating, comment, need…)."""
    rows = connection.execute(sa.select(events.c.type_name, events.c.timestamp, events.c.data)
                              .where(events.c.sender_id == sender_id,
                                     events.c.type_name.in_(("user", "bot", "slot")))
                              .order_by(events.c.id))
    turns: list[Turn] = []
    slots: dict = {}
    counsellor_turn = False
    for type_name, timestamp, data in rows:
        event = event_data(data)
        at = datetime.fromtimestamp(timestamp or 0, tz=timezone.utc)
        if type_name == "slot":
            slots[event.get("name")] = event.get("value")
            continue
        text = event.get("text") or ""
        if type_name == "user":
            counsellor_turn = text.startswith(EXTERNAL_PREFIX + "counsellor_message")
            if text.startswith(EXTERNAL_PREFIX):
                continue
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            ranking = [(r.get("name"), r.get("confidence")) for r in (parse.get("intent_ranking") or [])[:3]]
            entities = [(e.get("entity"), e.get("value")) for e in parse.get("entities") or []]
            turns.append(Turn("person", at, text, intent.get("name"), intent.get("confidence"), ranking, entities))
            continue
        custom = (event.get("data") or {}).get("custom")
        turns.append(Turn("counsellor" if counsellor_turn else "assistant", at, text,
                          referral=custom if isinstance(custom, dict) and custom.get("type") == "referral" else None))
    shown = {name: slots.get(name) for name in ("need", "public", "commune", "rating", "satisfaction_comment")}
    return turns, shown
