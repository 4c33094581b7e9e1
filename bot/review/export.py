"""Annotated messages → Rasa NLU training data (YAML, grouped by intent).

Each message annotated and not yet exported goes to one of three places:
- `duplicate`: its text (case and spaces aside) is already an example of data/nlu/
  or of this export; nothing is written;
- `held_out`: a fixed share of conversations (by a hash of their id, so that a
  conversation's messages stay together and a second export keeps the split) goes
  to a separate file that must never be merged: it measures the next model on
  real traffic (`rasa test nlu --nlu <that file>`);
- `train`: the rest, to merge into data/nlu/ after reading it.
Messages masked whole by a reviewer are not exported. The caller owns the
transaction: the messages are marked exported in it.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Optional

import sqlalchemy as sa
import yaml

from bot.review.annotating import Vocabulary, normalise
from bot.review.redaction import MESSAGE_PLACEHOLDER
from bot.review.store import events, exports, messages

HELD_OUT_SHARE = 0.2


@dataclass
class Export:
    train: dict = field(default_factory=dict)     # intent → [example in Rasa markup]
    held_out: dict = field(default_factory=dict)
    duplicates: int = 0
    skipped: int = 0  # masked whole

    @property
    def counts(self) -> dict:
        return {"train": sum(map(len, self.train.values())), "held_out": sum(map(len, self.held_out.values())),
                "duplicates": self.duplicates, "skipped": self.skipped}


def in_held_out(sender_id: str, share: float) -> bool:
    bucket = int(hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:8], 16) % 1000
    return bucket < round(share * 1000)


def markup(text: str, entities: list[dict]) -> str:
    """The text with its entities in Rasa's markup, first occurrence of each passage,
    overlapping ones left out."""
    spans = []
    for entity in entities:
        start = text.find(entity["text"])
        end = start + len(entity["text"])
        if start < 0 or any(start < other_end and other_start < end for other_start, other_end, _ in spans):
            continue
        spans.append((start, end, entity))
    result, position = [], 0
    for start, end, entity in sorted(spans, key=lambda span: span[0]):
        result.append(text[position:start])
        passage = text[start:end]
        if entity["value"] == passage:
            result.append(f"[{passage}]({entity['entity']})")
        else:
            result.append(f"[{passage}]" + json.dumps({"entity": entity["entity"], "value": entity["value"]},
                                                     ensure_ascii=False))
        position = end
    result.append(text[position:])
    return "".join(result)


def export(connection: Any, vocabulary: Vocabulary, *, held_out_share: float = HELD_OUT_SHARE,
           now: Optional[float] = None) -> Export:
    now = now or time.time()
    rows = connection.execute(sa.select(messages, events.c.data)
                              .join(events, events.c.id == messages.c.event_id)
                              .where(messages.c.annotated_at.is_not(None), messages.c.exported_at.is_(None))
                              .order_by(messages.c.right_intent, messages.c.event_id)).all()
    result = Export()
    seen = set(vocabulary.examples)
    for row in rows:
        text = " ".join((json.loads(row.data or "{}").get("text") or "").split())
        if not text or MESSAGE_PLACEHOLDER in text or row.right_intent not in vocabulary.intents:
            result.skipped += 1
            destination = "skipped"
        elif normalise(text) in seen:
            result.duplicates += 1
            destination = "duplicate"
        else:
            seen.add(normalise(text))
            destination = "held_out" if in_held_out(row.sender_id, held_out_share) else "train"
            target = result.held_out if destination == "held_out" else result.train
            target.setdefault(row.right_intent, []).append(markup(text, json.loads(row.right_entities or "[]")))
        connection.execute(sa.update(messages).where(messages.c.event_id == row.event_id)
                           .values(exported_at=now, exported_to=destination))
    return result


def run(connection: Any, vocabulary: Vocabulary, login: str, *, held_out_share: float = HELD_OUT_SHARE,
        now: Optional[float] = None) -> tuple[int, Export, str, str]:
    """Exports, keeps the two files in review_exports: (export id, result, train
    YAML, held-out YAML)."""
    now = now or time.time()
    result = export(connection, vocabulary, held_out_share=held_out_share, now=now)
    day = time.strftime("%Y-%m-%d", time.gmtime(now))
    train = to_yaml(result.train, f"Messages réels annotés en revue, export du {day} : à relire puis "
                                  "à ajouter à data/nlu/.")
    held_out = to_yaml(result.held_out, f"Messages réels mis de côté, export du {day} : ne jamais "
                                        "les ajouter à data/nlu/ (mesure : rasa test nlu --nlu ce_fichier).")
    export_id = connection.execute(sa.insert(exports).values(
        created_at=now, created_by=login, counts=json.dumps(result.counts), train_yaml=train,
        held_out_yaml=held_out)).inserted_primary_key[0]
    return export_id, result, train, held_out


def to_yaml(grouped: dict, title: str) -> str:
    """Rasa 3 NLU YAML, one block per intent, sorted."""
    lines = [f"# {title}", 'version: "3.1"', "nlu:"]
    for intent in sorted(grouped):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {example}" for example in grouped[intent]]
    if not grouped:
        lines[-1] = "nlu: []"
    text = "\n".join(lines) + "\n"
    yaml.safe_load(text)  # fails here, not in Rasa, if an example broke the YAML
    return text
