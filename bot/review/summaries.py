"""One summary row per conversation, in the conversation store, updated by the
redacting tracker store on every save from the tracker already in memory: the
review list filters and counts these rows and never scans Rasa's events table.
Only slugs, codes, counts and times: no text. Erased with the conversation (on
request and by the retention purge)."""
from __future__ import annotations

from typing import Any, Iterable, Optional

import sqlalchemy as sa

LOW_CONFIDENCE = 0.6  # below: "à traiter" in the review
FALLBACK_INTENTS = ("nlu_fallback",)
EXTERNAL_PREFIX = "EXTERNAL: "

metadata = sa.MetaData()
summaries = sa.Table(
    "conversation_summaries", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("started_at", sa.Float, nullable=False, index=True),
    sa.Column("last_at", sa.Float, nullable=False, index=True),
    sa.Column("channel", sa.String(40)),
    sa.Column("need", sa.String(40), index=True),
    sa.Column("public", sa.String(40)),
    sa.Column("department_code", sa.String(3), index=True),
    sa.Column("networks", sa.String(400), nullable=False, default=""),  # ",cio,france_travail," (LIKE-able)
    sa.Column("messages", sa.Integer, nullable=False, default=0),
    sa.Column("fallbacks", sa.Integer, nullable=False, default=0),
    sa.Column("wrong_need", sa.Integer, nullable=False, default=0),
    sa.Column("handoff", sa.Boolean, nullable=False, default=False),
    sa.Column("rating", sa.Integer),
    sa.Column("min_confidence", sa.Float),
)


def create(engine: Any) -> None:
    metadata.create_all(engine)


def department_of(insee_code: Optional[str]) -> Optional[str]:
    """Overseas codes have three digits (97411 → 974), the others two (2A004 → 2A)."""
    if not insee_code or len(str(insee_code)) != 5:
        return None
    code = str(insee_code)
    return code[:3] if code.startswith("97") else code[:2]


def summarize(sender_id: str, events: Iterable[Any]) -> Optional[dict]:
    """The summary of these Rasa events (objects of rasa.shared.core.events), or
    None when there is nothing to summarise."""
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    row = {"sender_id": sender_id, "started_at": None, "last_at": None, "channel": None, "need": None,
           "public": None, "department_code": None, "networks": "", "messages": 0, "fallbacks": 0,
           "wrong_need": 0, "handoff": False, "rating": None, "min_confidence": None}
    for event in events:
        row["started_at"] = event.timestamp if row["started_at"] is None else row["started_at"]
        row["last_at"] = event.timestamp
        if isinstance(event, UserUttered):
            intent = (event.intent or {}).get("name")
            if (event.text or "").startswith(EXTERNAL_PREFIX):
                continue  # the console's own triggers
            row["messages"] += 1
            row["channel"] = event.input_channel or row["channel"]
            row["fallbacks"] += intent in FALLBACK_INTENTS
            row["wrong_need"] += intent == "wrong_need"
            confidence = (event.intent or {}).get("confidence")
            if isinstance(confidence, (int, float)) and not (event.text or "").startswith("/"):
                row["min_confidence"] = min(confidence, row["min_confidence"] if row["min_confidence"] is not None
                                            else confidence)
        elif isinstance(event, SlotSet):
            if event.key in ("need", "public"):
                row[event.key] = event.value if isinstance(event.value, str) else row[event.key]
            elif event.key == "commune_insee":
                row["department_code"] = department_of(event.value) or row["department_code"]
            elif event.key == "handoff_status" and event.value in ("waiting", "held"):
                row["handoff"] = True
            elif event.key == "rating" and isinstance(event.value, (int, float, str)):
                try:
                    row["rating"] = int(float(event.value))
                except ValueError:
                    pass
        elif isinstance(event, BotUttered):
            custom = (event.data or {}).get("custom")
            if isinstance(custom, dict) and custom.get("type") == "referral":
                networks = [s.get("network") for s in custom.get("structures") or [] if isinstance(s, dict)]
                row["networks"] = "," + ",".join(dict.fromkeys(n for n in networks if n)) + ","
    return row if row["started_at"] is not None else None


def upsert(connection: Any, row: dict) -> None:
    updated = connection.execute(sa.update(summaries).where(summaries.c.sender_id == row["sender_id"])
                                 .values(**row)).rowcount
    if not updated:
        connection.execute(sa.insert(summaries).values(**row))


def delete_senders(connection: Any, senders: list[str]) -> None:
    if senders and sa.inspect(connection).has_table(summaries.name):
        connection.execute(sa.delete(summaries).where(summaries.c.sender_id.in_(senders)))
