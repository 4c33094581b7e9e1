"""What the review pages read: the summary rows with their filters (never Rasa's
events table for a list), and one conversation's transcript from its events
(texts as stored, already redacted; intents, confidences, entities, referral)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Any, Optional

import sqlalchemy as sa

from bot.handoff.conversations import event_data
from bot.review.store import conversation_reviews, messages
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
    tag: Optional[str] = None
    annotated: Optional[bool] = None  # None: either
    sort: str = "recentes"  # recentes | anciennes | confiance


SORTS = {
    "recentes": ("Activité la plus récente", (summaries.c.last_at.desc(), summaries.c.sender_id)),
    "anciennes": ("Activité la plus ancienne", (summaries.c.last_at.asc(), summaries.c.sender_id)),
    "confiance": ("Confiance la plus basse", (summaries.c.min_confidence.is_(None), summaries.c.min_confidence.asc(),
                                               summaries.c.last_at.desc())),
}


def conversation_page(connection: Any, filters: Filters, page: int = 1) -> tuple[int, list[dict]]:
    """(how many match, the rows of this page), the latest activity first."""
    if not sa.inspect(connection).has_table(summaries.name):
        return 0, []
    where = _conditions(filters)
    total = connection.execute(sa.select(sa.func.count()).select_from(summaries).where(*where)).scalar()
    order = SORTS.get(filters.sort, SORTS["recentes"])[1]
    rows = connection.execute(sa.select(summaries).where(*where).order_by(*order)
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
    if f.tag:
        where.append(sa.exists().where(conversation_reviews.c.sender_id == c.sender_id,
                                       conversation_reviews.c.tags.like(f"%,{f.tag},%")))
    if f.annotated is not None:
        annotated = sa.or_(
            sa.exists().where(conversation_reviews.c.sender_id == c.sender_id),
            sa.exists().where(messages.c.sender_id == c.sender_id, messages.c.annotated_at.is_not(None)))
        where.append(annotated if f.annotated else sa.not_(annotated))
    return where


@dataclass
class Turn:
    speaker: str  # person | assistant | counsellor
    at: datetime
    event_id: int = 0
    text: str = ""
    intent: Optional[str] = None
    confidence: Optional[float] = None
    ranking: list = field(default_factory=list)   # [(intent, confidence)] top 3
    entities: list = field(default_factory=list)  # [(entity, value)]
    referral: Optional[dict] = None


def transcript(connection: Any, sender_id: str) -> tuple[list[Turn], dict]:
    """The turns and the final slots worth showing (rating, comment, need…)."""
    rows = connection.execute(sa.select(events.c.id, events.c.type_name, events.c.timestamp, events.c.data)
                              .where(events.c.sender_id == sender_id,
                                     events.c.type_name.in_(("user", "bot", "slot")))
                              .order_by(events.c.id))
    turns: list[Turn] = []
    slots: dict = {}
    counsellor_turn = False
    for event_id, type_name, timestamp, data in rows:
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
            turns.append(Turn("person", at, event_id, text, intent.get("name"), intent.get("confidence"), ranking,
                              entities))
            continue
        custom = (event.get("data") or {}).get("custom")
        turns.append(Turn("counsellor" if counsellor_turn else "assistant", at, event_id, text,
                          referral=custom if isinstance(custom, dict) and custom.get("type") == "referral" else None))
    shown = {name: slots.get(name) for name in ("need", "public", "commune", "rating", "satisfaction_comment")}
    return turns, shown


BANDS = {"a_traiter": "À traiter", "a_verifier": "À vérifier", "sur": "Sûr"}


@dataclass(frozen=True)
class Thresholds:
    """Confidence bands of the triage inbox: under `low` "à traiter", from `low` to
    `high` "à vérifier", from `high` "sûr" (ConsoleSettings.triage_thresholds)."""
    low: float = LOW_CONFIDENCE
    high: float = 0.95


def _band_condition(band: str, thresholds: Thresholds):
    c = messages.c
    if band == "sur":
        return c.confidence >= thresholds.high
    if band == "a_verifier":
        return sa.and_(c.confidence >= thresholds.low, c.confidence < thresholds.high)
    return sa.or_(c.confidence.is_(None), c.confidence < thresholds.low)


def triage_page(connection: Any, band: str, thresholds: Thresholds, *, include_annotated: bool = False,
                page: int = 1) -> tuple[dict, list[dict]]:
    """({band: messages in it}, this page of the band): the messages the person
    corrected ("ce n'est pas ma question") first, then the least confident. Texts
    are read from their events by id (one page of primary keys)."""
    if not sa.inspect(connection).has_table(messages.name):
        return {name: 0 for name in BANDS}, []
    pending = [] if include_annotated else [messages.c.annotated_at.is_(None)]
    counts = {name: connection.execute(sa.select(sa.func.count()).select_from(messages)
                                       .where(_band_condition(name, thresholds), *pending)).scalar()
              for name in BANDS}
    rows = [dict(row._mapping) for row in connection.execute(
        sa.select(messages).where(_band_condition(band, thresholds), *pending)
        .order_by(messages.c.corrected.desc(), messages.c.confidence.is_(None).desc(), messages.c.confidence,
                  messages.c.event_id)
        .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE))]
    texts = {event_id: (event_data(data).get("text") or "") for event_id, data in connection.execute(
        sa.select(events.c.id, events.c.data).where(events.c.id.in_([row["event_id"] for row in rows])))}
    for row in rows:
        row["text"] = texts.get(row["event_id"], "")
    return counts, rows
