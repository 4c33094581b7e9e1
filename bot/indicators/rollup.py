"""Monthly sums of the facts, by département and channel, for the dashboard and the
annual report: a year of a region is a few thousand rows here instead of hundreds
of thousands of facts, so a page reads them in one query.

A month is summed again when it is stale: marked in the same transaction as any
change of its facts (facts.mark_stale: each save, the purge, an erasure), or never
summed yet. Refreshing takes the marks first, then reads the facts: a change that
commits meanwhile marks its month again, so nothing is missed; summing a month
again gives the same rows (idempotent).

Each row counts conversations (`amount`) of one (month, département, channel) for
one value of one dimension; MEASURE rows hold sums instead (messages, fallbacks…),
NETWORK_ANY counts a conversation once for each network it was offered, REMOTE_ANY
once for each kind of remote service it was given.
"""
from __future__ import annotations

import time
from collections import Counter
from typing import Any, Iterable, Optional, Sequence

import sqlalchemy as sa

from bot.indicators import facts as fact_rows
from bot.indicators.facts import facts, stale_months

CONVERSATIONS = "conversations"
NETWORK_ANY = "reseaux"
REMOTE_ANY = "distance"  # kinds of remote services given (phone, tchat…), several per conversation
MEASURE = "mesure"
# dimension slug → fact column; each conversation has one value of each.
GROUPED = {"besoin": facts.c.need, "situation": facts.c.public, "age": facts.c.age_band,
           "handicap": facts.c.handicap, "reseau": facts.c.first_network,
           "sans_orientation": facts.c.no_referral_reason, "note": facts.c.rating}
# measure slug → what is summed over the conversations (_measures, same order).
MEASURES = ("orientees", "messages", "replis", "pas_ma_question", "conseiller_demande", "conseiller_servi",
            "rappel_demande", "notees", "somme_notes", "commentaires", "detresse", "attentes", "attente_secondes",
            "conseiller_expire")
metadata = sa.MetaData()  # apart from the facts': whoever creates the facts does not need these
NONE = ""  # stored for a missing value (part of the key); read back as None

sums = sa.Table(
    "indicator_months", metadata,
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("department_code", sa.String(3), primary_key=True),
    sa.Column("channel", sa.String(40), primary_key=True),
    sa.Column("dimension", sa.String(20), primary_key=True),
    sa.Column("value", sa.String(40), primary_key=True),
    sa.Column("amount", sa.Integer, nullable=False),
)


summed = sa.Table("indicator_months_summed", metadata, sa.Column("month", sa.String(7), primary_key=True),
                  sa.Column("summed_at", sa.Float, nullable=False))
LOCK_KEY = 1_700_417  # PostgreSQL advisory lock of the refresh


def create(engine: Any) -> None:
    fact_rows.create(engine)
    metadata.create_all(engine)


def refresh(connection: Any, *, max_age: float = 0.0, now: Optional[float] = None) -> list[str]:
    """Sums again every stale month (and every month never summed) last summed at
    least `max_age` seconds ago; returns them. The dashboard passes a minute: the
    month in progress, stale after each message, is then summed once a minute at
    most, not at every page view."""
    now = time.time() if now is None else now
    marked = set(connection.execute(sa.select(stale_months.c.month)).scalars())
    last = dict(connection.execute(sa.select(summed.c.month, summed.c.summed_at)).all())
    with_facts = set(connection.execute(sa.select(facts.c.month).distinct()).scalars())
    due = sorted(month for month in marked | (with_facts - set(last))
                 if month not in last or now - last[month] >= max_age)
    if not due:
        return []
    if connection.dialect.name == "postgresql":
        # Two pages summing the same month at once would insert the same rows.
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    connection.execute(sa.delete(stale_months).where(stale_months.c.month.in_(due)))
    for month in due:
        _sum_month(connection, month)
    connection.execute(sa.delete(summed).where(summed.c.month.in_(due)))
    connection.execute(sa.insert(summed), [{"month": month, "summed_at": now} for month in due])
    return due


def summed_at(connection: Any, month: str) -> Optional[float]:
    """When `month` was last summed (None: never)."""
    return connection.execute(sa.select(summed.c.summed_at).where(summed.c.month == month)).scalar()


def _sum_month(connection: Any, month: str) -> None:
    """One read of the month's facts, counted here (one pass rather than a query
    per dimension: the current month is summed again at most page views)."""
    connection.execute(sa.delete(sums).where(sums.c.month == month))
    counted: Counter = Counter()
    columns = [facts.c.department_code, facts.c.channel, *GROUPED.values(), facts.c.networks,
               facts.c.remote_kinds, *(facts.c[name] for name in _MEASURED)]
    for department, channel, *values in connection.execute(sa.select(*columns).where(facts.c.month == month)):
        place = (department or NONE, channel or NONE)
        counted[place + (CONVERSATIONS, NONE)] += 1
        for dimension, value in zip(GROUPED, values):
            counted[place + (dimension, NONE if value is None else _text(value))] += 1
        networks, remote, *measured = values[len(GROUPED):]
        offered = set(networks.strip(",").split(",")) - {""}
        for network in offered:
            counted[place + (NETWORK_ANY, network)] += 1
        for kind in set((remote or "").strip(",").split(",")) - {""}:
            counted[place + (REMOTE_ANY, kind)] += 1
        for measure, amount in zip(MEASURES, _measures(bool(offered), *measured)):
            counted[place + (MEASURE, measure)] += amount
    rows = [{"month": month, "department_code": department, "channel": channel, "dimension": dimension,
             "value": value, "amount": amount}
            for (department, channel, dimension, value), amount in counted.items() if amount]
    if rows:
        connection.execute(sa.insert(sums), rows)


_MEASURED = ("messages", "fallbacks", "wrong_need", "handoff_asked", "handoff_served", "callback_asked",
             "rating", "commented", "distress", "handoff_wait_seconds", "handoff_timed_out")


def _measures(referred, messages, fallbacks, wrong_need, handoff_asked, handoff_served, callback_asked, rating,
              commented, distress, wait, timed_out) -> tuple:
    """One conversation's share of each of MEASURES, in their order."""
    return (int(referred), messages or 0, fallbacks or 0, wrong_need or 0, int(bool(handoff_asked)),
            int(bool(handoff_served)), int(bool(callback_asked)), int(rating is not None), rating or 0,
            int(bool(commented)), int(bool(distress)), int(wait is not None), wait or 0, int(bool(timed_out)))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def read(connection: Any, first_month: str, last_month: str, *, departments: Optional[Sequence[str]] = None,
         channel: Optional[str] = None, by_month: bool = False) -> dict[tuple, int]:
    """{(dimension, value): amount} summed over the months from `first_month` to
    `last_month` ("2026-01"), keyed (month, dimension, value) when `by_month`."""
    where = [sums.c.month >= first_month, sums.c.month <= last_month]
    if departments is not None:
        where.append(sums.c.department_code.in_(list(departments)))
    if channel:
        where.append(sums.c.channel == channel)
    keys = [sums.c.month] if by_month else []
    keys += [sums.c.dimension, sums.c.value]
    query = sa.select(*keys, sa.func.sum(sums.c.amount)).where(*where).group_by(*keys)
    return {tuple(None if part == NONE else part for part in row[:-1]): int(row[-1])
            for row in connection.execute(query)}


def by_place(connection: Any, first_month: str, last_month: str, *, key: str = "department_code",
             departments: Optional[Sequence[str]] = None,
             channel: Optional[str] = None) -> dict[Optional[str], int]:
    """Conversations by département code or by channel (`key`); None: not known."""
    column = sums.c[key]
    where = [sums.c.month >= first_month, sums.c.month <= last_month, sums.c.dimension == CONVERSATIONS]
    if departments is not None:
        where.append(sums.c.department_code.in_(list(departments)))
    if channel:
        where.append(sums.c.channel == channel)
    query = sa.select(column, sa.func.sum(sums.c.amount)).where(*where).group_by(column)
    return {(None if code == NONE else code): int(amount) for code, amount in connection.execute(query)}


def channels(connection: Any) -> Iterable[str]:
    return [c for c in connection.execute(sa.select(sums.c.channel).distinct().order_by(sums.c.channel)).scalars()
            if c != NONE]
