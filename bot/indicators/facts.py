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
)


def create(engine: Any) -> None:
    metadata.create_all(engine)


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
    from rasa.shared.core.events import SlotSet, UserUttered

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
           "rating": summary["rating"], "commented": False, "distress": False}
    last_intent = None
    for event in events:
        if isinstance(event, UserUttered):
            intent = (event.intent or {}).get("name")
            if (event.text or "").startswith("EXTERNAL: "):
                continue
            last_intent = intent
            row["distress"] |= intent == "distress"
            row["callback_asked"] |= intent == "request_callback"
            row["handoff_asked"] |= intent == "ask_human"
        elif isinstance(event, SlotSet):
            if event.key == "age":
                row["age_band"] = age_band(event.value) or row["age_band"]
            elif event.key == "handicap" and event.value is not None:
                row["handicap"] = event.value is True or str(event.value).lower() in ("true", "oui", "1")
            elif event.key == "handoff_status" and event.value == "held":
                row["handoff_served"] = True
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


def write_if_missing(connection: Any, row: dict) -> bool:
    """For the purge: a conversation already counted is not counted again."""
    if connection.execute(sa.select(facts.c.fact_key).where(facts.c.fact_key == row["fact_key"])).first():
        return False
    connection.execute(sa.insert(facts).values(**row))
    return True


def forget(connection: Any, sender_ids: Iterable[str]) -> None:
    """Erasure asked by the person: their conversation is not counted."""
    keys = [fact_key(sender) for sender in sender_ids]
    if keys and sa.inspect(connection).has_table(facts.name):
        connection.execute(sa.delete(facts).where(facts.c.fact_key.in_(keys)))
