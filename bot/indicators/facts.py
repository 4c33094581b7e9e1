"""One anonymous fact row per conversation, the ground of every indicator: written by
the tracker store at each save (from the review's summary of the tracker in memory,
plus what only the indicators need), kept by the retention purge when the
conversation goes (and written by it for a conversation that has none yet), erased
only when the person asks to erase their conversation. Keyed by a hash of the
conversation id, so that writing it again changes nothing (idempotent) and nothing
leads back to the conversation once it is purged. No text, no commune: the
département is the finest territory.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Iterable, Optional

import sqlalchemy as sa

AGE_BANDS = (("moins_16", 0, 15), ("16_25", 16, 25), ("26_44", 26, 44), ("45_plus", 45, 200))
NO_REFERRAL_REASONS = {"detresse": "détresse", "hors_sujet": "hors sujet", "refus": "refus de préciser",
                       "abandon": "conversation laissée"}
DECLINE_INTENTS = ("decline_to_say", "deny")

metadata = sa.MetaData()
facts = sa.Table(
    "conversation_facts", metadata,
    sa.Column("fact_key", sa.String(32), primary_key=True),  # sha256 of the conversation id, cut
    sa.Column("day", sa.Date, nullable=False, index=True),  # UTC day the conversation started
    sa.Column("week", sa.String(8), nullable=False),  # ISO week, "2026-W49"
    sa.Column("month", sa.String(7), nullable=False, index=True),  # "2026-12"
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("channel", sa.String(40)),
    sa.Column("department_code", sa.String(3), index=True),
    sa.Column("need", sa.String(40)),
    sa.Column("public", sa.String(40)),
    sa.Column("age_band", sa.String(10)),
    sa.Column("handicap", sa.Boolean, nullable=False, default=False),
    sa.Column("first_network", sa.String(40)),
    sa.Column("networks", sa.String(400), nullable=False, default=""),  # ",cio,mission_locale,"
    sa.Column("no_referral_reason", sa.String(12)),  # NO_REFERRAL_REASONS, None when referred
    sa.Column("messages", sa.Integer, nullable=False, default=0),
    sa.Column("fallbacks", sa.Integer, nullable=False, default=0),
    sa.Column("wrong_need", sa.Integer, nullable=False, default=0),
    sa.Column("handoff_asked", sa.Boolean, nullable=False, default=False),
    sa.Column("handoff_served", sa.Boolean, nullable=False, default=False),
    sa.Column("callback_asked", sa.Boolean, nullable=False, default=False),
    sa.Column("rating", sa.Integer),
    sa.Column("commented", sa.Boolean, nullable=False, default=False),
    sa.Column("distress", sa.Boolean, nullable=False, default=False),
    # Seconds from the first wait for a counsellor to a counsellor taking the
    # conversation; a wait that ended with nobody free (the reminder) is a timeout.
    sa.Column("handoff_wait_seconds", sa.Integer),
    sa.Column("handoff_timed_out", sa.Boolean, nullable=False, default=False),
    # Kinds of the remote services of the last referral: ",phone,tchat," (spec: kind).
    sa.Column("remote_kinds", sa.String(60), nullable=False, default=""),
)
# Columns added after the table first shipped, added in place to an older table.
ADDED_COLUMNS = {"handoff_wait_seconds": "INTEGER", "handoff_timed_out": "BOOLEAN NOT NULL DEFAULT FALSE",
                 "remote_kinds": "VARCHAR(60) NOT NULL DEFAULT ''"}


# Months whose facts changed since the dashboard's monthly sums were last made
# (bot/indicators/rollup.py): marked in the same transaction as the change.
stale_months = sa.Table("indicator_stale_months", metadata, sa.Column("month", sa.String(7), primary_key=True))


def create(bind: Any) -> None:
    """The tables, and the columns an older facts table lacks (`bind`: an engine, or
    a connection whose transaction the caller owns)."""
    metadata.create_all(bind)
    present = {column["name"] for column in sa.inspect(bind).get_columns(facts.name)}
    missing = [(name, kind) for name, kind in ADDED_COLUMNS.items() if name not in present]
    if not missing:
        return
    if isinstance(bind, sa.engine.Engine):
        with bind.begin() as connection:
            _add_columns(connection, missing)
    else:
        _add_columns(bind, missing)


def _add_columns(connection: Any, missing: list) -> None:
    for name, kind in missing:
        try:
            with connection.begin_nested():  # a savepoint: on PostgreSQL a failure would end the transaction
                connection.execute(sa.text(f"ALTER TABLE {facts.name} ADD COLUMN {name} {kind}"))
        except sa.exc.DBAPIError:
            # The web app and the Rasa server start together: the other one may have
            # added it a moment ago.
            if name not in {column["name"] for column in sa.inspect(connection).get_columns(facts.name)}:
                raise


def mark_stale(connection: Any, months: Iterable[str]) -> None:
    rows = [{"month": month} for month in sorted(set(months))]
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    connection.execute(insert(stale_months).values(rows).on_conflict_do_nothing())


def fact_key(sender_id: str) -> str:
    return hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:32]


def age_band(age: Any) -> Optional[str]:
    try:
        years = int(float(age))
    except (TypeError, ValueError):
        return None
    return next((slug for slug, low, high in AGE_BANDS if low <= years <= high), None)


def fact_of(summary: dict, events: Iterable[Any]) -> dict:
    """The fact of a conversation from its review summary (bot.review.summaries) and
    its Rasa events (objects of rasa.shared.core.events)."""
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    started = dt.datetime.fromtimestamp(summary["started_at"], tz=dt.timezone.utc).date()
    year, week, _ = started.isocalendar()
    networks = [n for n in summary["networks"].strip(",").split(",") if n]
    row = {"fact_key": fact_key(summary["sender_id"]), "day": started, "week": f"{year}-W{week:02d}",
           "month": started.strftime("%Y-%m"), "year": started.year, "channel": summary["channel"],
           "department_code": summary["department_code"], "need": summary["need"], "public": summary["public"],
           "age_band": None, "handicap": False, "first_network": networks[0] if networks else None,
           "networks": summary["networks"], "no_referral_reason": None, "messages": summary["messages"],
           "fallbacks": summary["fallbacks"], "wrong_need": summary["wrong_need"],
           "handoff_asked": bool(summary["handoff"]), "handoff_served": False, "callback_asked": False,
           "rating": summary["rating"], "commented": False, "distress": False,
           "handoff_wait_seconds": None, "handoff_timed_out": False, "remote_kinds": ""}
    last_intent, waiting_since = None, None
    for event in events:
        if isinstance(event, UserUttered):
            intent = (event.intent or {}).get("name")
            if (event.text or "").startswith("EXTERNAL: "):
                continue
            last_intent = intent
            row["distress"] |= intent == "distress"
            row["callback_asked"] |= intent == "request_callback"
            row["handoff_asked"] |= intent == "ask_human"
        elif isinstance(event, BotUttered):
            custom = (event.data or {}).get("custom")
            if isinstance(custom, dict) and custom.get("type") == "referral":
                kinds = [r.get("kind") for r in custom.get("remote") or [] if isinstance(r, dict)]
                kinds = [kind for kind in dict.fromkeys(kinds) if isinstance(kind, str) and kind.isalpha()]
                row["remote_kinds"] = "," + ",".join(kinds) + "," if kinds else ""
        elif isinstance(event, SlotSet):
            if event.key == "age":
                row["age_band"] = age_band(event.value) or row["age_band"]
            elif event.key == "handicap" and event.value is not None:
                row["handicap"] = event.value is True or str(event.value).lower() in ("true", "oui", "1")
            elif event.key == "handoff_status":
                if event.value == "waiting" and waiting_since is None and not row["handoff_served"]:
                    waiting_since = event.timestamp
                elif event.value == "held" and not row["handoff_served"]:
                    row["handoff_served"] = True
                    if waiting_since is not None:
                        row["handoff_wait_seconds"] = max(0, round(event.timestamp - waiting_since))
                elif event.value == "closed" and waiting_since is not None and not row["handoff_served"]:
                    row["handoff_timed_out"] = True  # nobody took it: action_handoff_timeout
            elif event.key == "satisfaction_comment" and event.value not in (None, "", "aucun"):
                row["commented"] = True
    if not networks:
        row["no_referral_reason"] = ("detresse" if row["distress"] else "hors_sujet" if last_intent == "out_of_scope"
                                     else "refus" if last_intent in DECLINE_INTENTS else "abandon")
    return row


def upsert(connection: Any, row: dict) -> None:
    updated = connection.execute(sa.update(facts).where(facts.c.fact_key == row["fact_key"]).values(**row)).rowcount
    if not updated:
        connection.execute(sa.insert(facts).values(**row))
    mark_stale(connection, [row["month"]])


def write_if_missing(connection: Any, row: dict) -> bool:
    """For the purge: a conversation already counted is not counted again."""
    if connection.execute(sa.select(facts.c.fact_key).where(facts.c.fact_key == row["fact_key"])).first():
        return False
    connection.execute(sa.insert(facts).values(**row))
    mark_stale(connection, [row["month"]])
    return True


def forget(connection: Any, sender_ids: Iterable[str]) -> None:
    """Erasure asked by the person: their conversation is not counted."""
    keys = [fact_key(sender) for sender in sender_ids]
    if keys and sa.inspect(connection).has_table(facts.name):
        months = connection.execute(sa.select(facts.c.month).where(facts.c.fact_key.in_(keys))).scalars().all()
        connection.execute(sa.delete(facts).where(facts.c.fact_key.in_(keys)))
        mark_stale(connection, months)
