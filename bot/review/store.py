"""The review's own tables, in the conversation store beside Rasa's events (so that
they are erased with the conversation, on request and by the retention purge):

- review_messages: one row per message typed by a person (Rasa's event id), with
  what the NLU read and whether the person said "ce n'est pas ma question" just
  after; the triage inbox reads it, never a scan of the events table. The
  reviewer's annotation (right intent, entities) and its export state live there.
- conversation_reviews: the tags and comment of a conversation.
- review_tags: the tags offered (data, not code), seeded with the usual ones.
- review_exports: the YAML files of each export to the NLU.

No message text here: texts stay in the events, redacted as stored.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Optional

import sqlalchemy as sa

from bot.review.summaries import EXTERNAL_PREFIX

WRONG_NEED = "wrong_need"
DEFAULT_TAGS = (
    ("bonne_orientation", "Bonne orientation"),
    ("mauvaise_comprehension", "Mauvaise compréhension"),
    ("reponse_manquante", "Réponse manquante"),
    ("hors_sujet", "Hors sujet"),
    ("donnee_personnelle", "Donnée personnelle visible"),
    ("question_repetee", "Question répétée"),
)

metadata = sa.MetaData()
messages = sa.Table(
    "review_messages", metadata,
    sa.Column("event_id", sa.Integer, primary_key=True),  # events.id (Rasa's table)
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False),
    sa.Column("intent", sa.String(255)),
    sa.Column("confidence", sa.Float),
    sa.Column("corrected", sa.Boolean, nullable=False, default=False),  # "ce n'est pas ma question" followed
    sa.Column("right_intent", sa.String(255)),
    sa.Column("right_entities", sa.Text),  # JSON [{"entity", "text", "value"}]
    sa.Column("annotated_by", sa.String(80)),
    sa.Column("annotated_at", sa.Float),
    sa.Column("exported_at", sa.Float),
    sa.Column("exported_to", sa.String(20)),  # train | held_out | duplicate
    sa.Column("redacted_again_at", sa.Float),
    sa.Index("ix_review_messages_triage", "annotated_at", "corrected", "confidence"),
)
conversation_reviews = sa.Table(
    "conversation_reviews", metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("tags", sa.String(400), nullable=False, default=""),  # ",hors_sujet,question_repetee,"
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("reviewed_by", sa.String(80)),
    sa.Column("reviewed_at", sa.Float),
)
tags = sa.Table(
    "review_tags", metadata,
    sa.Column("slug", sa.String(40), primary_key=True),
    sa.Column("label", sa.String(120), nullable=False),
    sa.Column("position", sa.Integer, nullable=False, default=0),
)
# What each export produced (already redacted and reviewed texts: training data from
# then on, kept when a conversation is erased), for the console's download.
exports = sa.Table(
    "review_exports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("counts", sa.Text, nullable=False),  # JSON (bot.review.export.Export.counts)
    sa.Column("train_yaml", sa.Text, nullable=False),
    sa.Column("held_out_yaml", sa.Text, nullable=False),
)
events = sa.table("events", sa.column("id"), sa.column("sender_id"), sa.column("type_name"),
                  sa.column("timestamp"), sa.column("data"))


def create(engine: Any) -> None:
    """The tables and the default tags (once). Safe to call at every start."""
    metadata.create_all(engine)
    with engine.begin() as connection:
        if connection.execute(sa.select(sa.func.count()).select_from(tags)).scalar() == 0:
            connection.execute(sa.insert(tags), [{"slug": slug, "label": label, "position": position}
                                                 for position, (slug, label) in enumerate(DEFAULT_TAGS)])


def tag_choices(connection: Any) -> list[tuple[str, str]]:
    if not sa.inspect(connection).has_table(tags.name):
        return list(DEFAULT_TAGS)
    return [(row.slug, row.label) for row in connection.execute(sa.select(tags).order_by(tags.c.position))]


def slug_of(label: str) -> str:
    """"Réponse manquante" → "reponse_manquante"."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    return "_".join("".join(ch if ch.isalnum() else " " for ch in ascii_text.lower()).split())[:40]


def add_tag(connection: Any, label: str) -> Optional[str]:
    """Adds a tag at the end of the list; its slug, or None when the label gives no
    slug or the tag exists. Tags are never deleted: past reviews keep their meaning."""
    slug, label = slug_of(label), " ".join(label.split())
    if not slug or connection.execute(sa.select(tags.c.slug).where(tags.c.slug == slug)).first():
        return None
    position = connection.execute(sa.select(sa.func.coalesce(sa.func.max(tags.c.position), -1))).scalar() + 1
    connection.execute(sa.insert(tags).values(slug=slug, label=label[:120], position=position))
    return slug


def index_new_messages(connection: Any, sender_id: str) -> int:
    """Adds the person's messages saved since the last call (events with a greater
    id), and marks a message "corrected" when "ce n'est pas ma question" follows it.
    Returns how many rows were added."""
    last = connection.execute(sa.select(sa.func.max(messages.c.event_id))
                              .where(messages.c.sender_id == sender_id)).scalar() or 0
    rows = connection.execute(sa.select(events.c.id, events.c.timestamp, events.c.data)
                              .where(events.c.sender_id == sender_id, events.c.type_name == "user",
                                     events.c.id > last).order_by(events.c.id)).all()
    added = []
    previous = last or None
    for event_id, timestamp, data in rows:
        event = _json(data)
        text = event.get("text") or ""
        if text.startswith(EXTERNAL_PREFIX):
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {})
        if intent.get("name") == WRONG_NEED and previous is not None:
            _mark_corrected(connection, added, previous)
        if text.startswith("/"):  # a button, not typed
            continue
        confidence = intent.get("confidence")
        added.append({"event_id": event_id, "sender_id": sender_id, "at": timestamp or 0.0,
                      "intent": intent.get("name"), "corrected": False,
                      "confidence": float(confidence) if isinstance(confidence, (int, float)) else None})
        previous = event_id
    if added:
        connection.execute(sa.insert(messages), added)
    return len(added)


def _mark_corrected(connection: Any, pending: list[dict], event_id: int) -> None:
    for row in pending:
        if row["event_id"] == event_id:
            row["corrected"] = True
            return
    connection.execute(sa.update(messages).where(messages.c.event_id == event_id).values(corrected=True))


def forget(connection: Any, senders: Iterable[str]) -> None:
    """Erases the review rows of these conversations (tags stay: they are data)."""
    senders = list(senders)
    if not senders:
        return
    for table in (messages, conversation_reviews):
        if sa.inspect(connection).has_table(table.name):
            connection.execute(sa.delete(table).where(table.c.sender_id.in_(senders)))


def _json(data: Any) -> dict:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
