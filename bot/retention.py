"""Retention of the conversation store: conversations that started more than N days
ago are deleted, after being counted into `daily_indicators` (anonymous daily totals
that survive the purge: conversations, needs, publics, networks referred, fallbacks,
handoffs, satisfaction). A conversation goes by its start, not its last event: one
kept alive by a message now and then is not kept for ever.

The caller owns the transaction: `with engine.begin() as connection: purge(connection)`.
With `limit`, one call handles at most that many conversations, so that a large purge
runs as short transactions that never hold the database for long (see `bot.__main__`).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional

import sqlalchemy as sa

from bot import satisfaction as satisfaction_answers

DEFAULT_DAYS = 180
BATCH = 500  # senders deleted per statement (SQLite's variable limit is 999)
FALLBACK_ACTIONS = frozenset({
    "action_offer_likely_needs", "action_default_fallback", "action_two_stage_fallback",
    "utter_default",
})
HANDOFF_ACTIONS = frozenset({"utter_human_contact"})
HANDOFF_INTENTS = frozenset({"ask_human"})
SATISFACTION_INTENTS = frozenset({"feedback", "thanks"})

metadata = sa.MetaData()

# Rasa's own table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent): read and
# deleted here, never created by this module.
events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

daily_indicators = sa.Table(
    "daily_indicators", metadata,
    sa.Column("date", sa.Date, primary_key=True),  # UTC day the conversation started
    sa.Column("conversations", sa.Integer, nullable=False, default=0),
    sa.Column("needs", sa.JSON, nullable=False),  # {need: conversations}
    sa.Column("publics", sa.JSON, nullable=False),  # {public: conversations}
    sa.Column("networks", sa.JSON, nullable=False),  # {network code: conversations referred}
    sa.Column("fallbacks", sa.Integer, nullable=False, default=0),  # misunderstood turns
    sa.Column("handoffs", sa.Integer, nullable=False, default=0),  # conversations
    # {feedback|thanks: conversations, rating_1..rating_5: answers (bot.satisfaction)}
    sa.Column("satisfaction", sa.JSON, nullable=False),
)


@dataclass
class DayCounts:
    conversations: int = 0
    needs: Counter = field(default_factory=Counter)
    publics: Counter = field(default_factory=Counter)
    networks: Counter = field(default_factory=Counter)
    fallbacks: int = 0
    handoffs: int = 0
    satisfaction: Counter = field(default_factory=Counter)

    def add(self, other: "DayCounts") -> None:
        self.conversations += other.conversations
        self.fallbacks += other.fallbacks
        self.handoffs += other.handoffs
        for name in ("needs", "publics", "networks", "satisfaction"):
            getattr(self, name).update(getattr(other, name))


@dataclass(frozen=True)
class PurgeReport:
    cutoff: dt.datetime
    conversations: int
    events: int
    days: int  # daily_indicators rows created or updated
    dates: frozenset = frozenset()  # their dates


def create_tables(bind: Any) -> None:
    """Creates `daily_indicators` if missing (the events table is Rasa's)."""
    daily_indicators.create(bind, checkfirst=True)


def count_conversation(rows: Iterable[Any]) -> DayCounts:
    """Indicators of one conversation (its event rows, in order)."""
    counts = DayCounts(conversations=1)
    needs, publics, networks, satisfaction = set(), set(), set(), set()
    handoff = False
    for row in rows:
        data = _json(row.data)
        if row.type_name == "slot" and data.get("value") not in (None, "", "non_precise"):
            if data.get("name") == "need":
                needs.add(str(data["value"]))
            elif data.get("name") == "public":
                publics.add(str(data["value"]))
            elif data.get("name") == "satisfaction":
                satisfaction.add(str(data["value"]))
        elif row.type_name == "bot":
            custom = (data.get("data") or {}).get("custom") or {}
            if isinstance(custom, dict) and custom.get("type") == "referral":
                networks.update(
                    s.get("network") for s in custom.get("structures") or [] if s.get("network")
                )
        elif row.type_name == "action":
            counts.fallbacks += row.action_name in FALLBACK_ACTIONS
            handoff |= row.action_name in HANDOFF_ACTIONS
        elif row.type_name == "user":
            handoff |= row.intent_name in HANDOFF_INTENTS
            if row.intent_name in SATISFACTION_INTENTS:
                satisfaction.add(row.intent_name)
    counts.needs.update(needs)
    counts.publics.update(publics)
    counts.networks.update(networks)
    counts.satisfaction.update(satisfaction)
    counts.handoffs = int(handoff)
    return counts


def purge(connection: Any, *, days: int = DEFAULT_DAYS,
          now: Optional[dt.datetime] = None, limit: Optional[int] = None) -> PurgeReport:
    """Aggregates then deletes the conversations (at most `limit`, oldest first) that
    started more than `days` days ago. Does not commit."""
    if days < 0:
        raise ValueError("days must be >= 0")
    if limit is not None and limit < 1:
        raise ValueError("limit must be >= 1")
    now = now or dt.datetime.now(dt.timezone.utc)
    cutoff = now - dt.timedelta(days=days)
    create_tables(connection)
    per_day: Dict[dt.date, DayCounts] = {}
    # Satisfaction answers of the expired days: their comments go, the counts stay.
    for day, ratings in satisfaction_answers.take_expired(connection, cutoff.date()).items():
        per_day.setdefault(day, DayCounts()).satisfaction.update(ratings)
    if not sa.inspect(connection).has_table("events"):
        for day, counts in per_day.items():
            _add_to_day(connection, day, counts)
        return PurgeReport(cutoff=cutoff, conversations=0, events=0, days=len(per_day),
                           dates=frozenset(per_day))
    first = sa.func.min(events.c.timestamp)
    query = (sa.select(events.c.sender_id, first).group_by(events.c.sender_id)
             .having(first < cutoff.timestamp()).order_by(first, events.c.sender_id))
    if limit is not None:
        query = query.limit(limit)
    expired = connection.execute(query).all()
    deleted = 0
    for start in range(0, len(expired), BATCH):
        batch = expired[start:start + BATCH]
        senders = [sender for sender, _ in batch]
        started = {sender: _day(first) for sender, first in batch}
        rows = connection.execute(
            sa.select(events).where(events.c.sender_id.in_(senders))
            .order_by(events.c.sender_id, events.c.id)
        ).all()
        by_sender: Dict[str, List[Any]] = {}
        for row in rows:
            by_sender.setdefault(row.sender_id, []).append(row)
        for sender, sender_rows in by_sender.items():
            per_day.setdefault(started[sender], DayCounts()).add(count_conversation(sender_rows))
            _keep_fact(connection, sender, sender_rows)
        deleted += connection.execute(
            sa.delete(events).where(events.c.sender_id.in_(senders))
        ).rowcount
        from bot.review import store as review_store, summaries  # the review's rows go with it

        summaries.delete_senders(connection, senders)
        review_store.forget(connection, senders)
    for day, counts in per_day.items():
        _add_to_day(connection, day, counts)
    return PurgeReport(cutoff=cutoff, conversations=len(expired), events=deleted,
                       days=len(per_day), dates=frozenset(per_day))


def _keep_fact(connection: Any, sender: str, rows: List[Any]) -> None:
    """The indicators' fact of a conversation stored before they existed (the others
    have theirs, written at each save: never counted twice)."""
    from rasa.shared.core.events import Event

    from bot.indicators import facts
    from bot.review import summaries

    facts.create(connection)
    events = []
    for row in rows:
        try:
            event = Event.from_parameters(_json(row.data))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # a row Rasa could not read back either: counted without it
        if event is not None:
            events.append(event)
    summary = summaries.summarize(sender, events)
    if summary is not None:
        facts.write_if_missing(connection, facts.fact_of(summary, events))


def read_indicators(connection: Any) -> List[Dict[str, Any]]:
    create_tables(connection)
    rows = connection.execute(sa.select(daily_indicators).order_by(daily_indicators.c.date))
    # + satisfaction_count and satisfaction_mean (1-5) of the day's answers
    return [dict(row._mapping, **satisfaction_answers.summary(row.satisfaction or {}))
            for row in rows]


def _add_to_day(connection: Any, day: dt.date, counts: DayCounts) -> None:
    existing = connection.execute(
        sa.select(daily_indicators).where(daily_indicators.c.date == day)
    ).first()
    if existing is not None:
        counts.add(DayCounts(
            conversations=existing.conversations, needs=Counter(existing.needs),
            publics=Counter(existing.publics), networks=Counter(existing.networks),
            fallbacks=existing.fallbacks, handoffs=existing.handoffs,
            satisfaction=Counter(existing.satisfaction),
        ))
    values = dict(
        conversations=counts.conversations, needs=dict(counts.needs),
        publics=dict(counts.publics), networks=dict(counts.networks),
        fallbacks=counts.fallbacks, handoffs=counts.handoffs,
        satisfaction=dict(counts.satisfaction),
    )
    if existing is None:
        connection.execute(sa.insert(daily_indicators).values(date=day, **values))
    else:
        connection.execute(
            sa.update(daily_indicators).where(daily_indicators.c.date == day).values(**values)
        )


def _day(timestamp: Optional[float]) -> dt.date:
    return dt.datetime.fromtimestamp(timestamp or 0, dt.timezone.utc).date()


def _json(text: Optional[str]) -> Dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
