"""Anonymous satisfaction answers, stored with the indicators (conversation store
database): the day (no time: not linkable to a conversation), the 1-5 rating, the
comment already redacted, the need. Retention: rows older than the conversations'
retention are folded into daily_indicators.satisfaction (`rating_1`…`rating_5`
counts, from which count and mean come) and deleted with their comment.

Core, like bot.retention; the caller owns the transaction.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Iterable, Any, Dict, Mapping, Optional

import sqlalchemy as sa

RATINGS = range(1, 6)
COMMENT_MAX = 1000  # characters kept (the widget limits messages to about that)

metadata = sa.MetaData()

satisfaction = sa.Table(
    "satisfaction", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("date", sa.Date, nullable=False, index=True),  # UTC day
    sa.Column("rating", sa.SmallInteger, nullable=False),
    sa.Column("comment", sa.Text),  # redacted (bot.privacy.redact) before it gets here
    sa.Column("need", sa.String(64)),
)


def create_tables(bind: Any) -> None:
    satisfaction.create(bind, checkfirst=True)


def record(connection: Any, *, rating: int, comment: Optional[str] = None,
           need: Optional[str] = None, today: Optional[dt.date] = None) -> int:
    """One answer; `comment` must already be redacted. Its id. Does not commit."""
    if rating not in RATINGS:
        raise ValueError("rating must be 1 to 5")
    create_tables(connection)
    comment = (comment or "").strip()[:COMMENT_MAX] or None
    result = connection.execute(sa.insert(satisfaction).values(
        date=today or dt.datetime.now(dt.timezone.utc).date(),
        rating=rating, comment=comment, need=need,
    ))
    return int(result.inserted_primary_key[0])


def delete(connection: Any, ids: Iterable[int]) -> int:
    """Deletes these answers (an erased conversation's). Does not commit."""
    ids = [int(i) for i in ids]
    if not ids or not sa.inspect(connection).has_table(satisfaction.name):
        return 0
    return connection.execute(sa.delete(satisfaction).where(satisfaction.c.id.in_(ids))).rowcount


def take_expired(connection: Any, cutoff: dt.date) -> Dict[dt.date, Counter]:
    """Deletes answers of days before `cutoff` and returns their counts per day
    ({day: Counter({"rating_4": 2, …})}) for daily_indicators. Does not commit."""
    create_tables(connection)
    rows = connection.execute(
        sa.select(satisfaction.c.date, satisfaction.c.rating, sa.func.count())
        .where(satisfaction.c.date < cutoff)
        .group_by(satisfaction.c.date, satisfaction.c.rating)
    ).all()
    per_day: Dict[dt.date, Counter] = {}
    for day, rating, count in rows:
        per_day.setdefault(_date(day), Counter())[f"rating_{rating}"] += count
    connection.execute(sa.delete(satisfaction).where(satisfaction.c.date < cutoff))
    return per_day


def summary(counts: Mapping[str, Any]) -> Dict[str, Any]:
    """Count and mean rating from `rating_N` counts (other keys ignored)."""
    total = sum(int(counts.get(f"rating_{r}", 0)) for r in RATINGS)
    weighted = sum(r * int(counts.get(f"rating_{r}", 0)) for r in RATINGS)
    return {"satisfaction_count": total,
            "satisfaction_mean": round(weighted / total, 2) if total else None}


def live_counts(connection: Any) -> Dict[dt.date, Counter]:
    """Counts per day of the answers not yet purged."""
    create_tables(connection)
    rows = connection.execute(
        sa.select(satisfaction.c.date, satisfaction.c.rating, sa.func.count())
        .group_by(satisfaction.c.date, satisfaction.c.rating)
    ).all()
    per_day: Dict[dt.date, Counter] = {}
    for day, rating, count in rows:
        per_day.setdefault(_date(day), Counter())[f"rating_{rating}"] += count
    return per_day


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
