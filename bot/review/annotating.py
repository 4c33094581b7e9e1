"""What a reviewer writes: the right intent and entities of a message, the tags and
comment of a conversation. The caller owns the transaction; nothing is committed
here. The choices offered are those the NLU is trained on (data/nlu/)."""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
import yaml

from bot.review.store import conversation_reviews, messages, tag_choices

NLU_DIR = Path("data/nlu")
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\((\w+)(?::[^)]*)?\)|\{([^}]*)\})")
LINE = re.compile(r"^\s*(?P<entity>\w+)\s*:\s*(?P<text>.+?)\s*(?:=>\s*(?P<value>.+?)\s*)?$")


@dataclass(frozen=True)
class Vocabulary:
    intents: tuple[str, ...]
    entities: tuple[str, ...]
    examples: frozenset  # normalised texts of every example, for deduplication


@lru_cache(maxsize=4)
def vocabulary(nlu_dir: Path = NLU_DIR) -> Vocabulary:
    """Intents and entities that have training examples in `nlu_dir`, and the examples."""
    intents, entities, examples = set(), set(), set()
    for path in sorted(Path(nlu_dir).rglob("*.yml")):
        for item in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu") or []:
            if not isinstance(item, dict) or "intent" not in item:
                continue
            intents.add(str(item["intent"]))
            for line in str(item.get("examples") or "").splitlines():
                line = line.strip()
                if not line.startswith("- "):
                    continue
                text = line[2:]
                for match in ENTITY_MARKUP.finditer(text):
                    if match.group(2):
                        entities.add(match.group(2))
                    elif match.group(3):
                        try:
                            entities.add(str(json.loads("{" + match.group(3) + "}")["entity"]))
                        except (ValueError, KeyError):
                            pass
                examples.add(normalise(ENTITY_MARKUP.sub(lambda m: m.group(1), text)))
    return Vocabulary(tuple(sorted(intents)), tuple(sorted(entities)), frozenset(examples))


def normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def parse_entities(typed: str, message: str, known: tuple[str, ...]) -> tuple[list[dict], list[str]]:
    """Lines "entité : passage" or "entité : passage => valeur" (the passage as it is
    written in the message). Returns (entities, French errors)."""
    found, errors = [], []
    for number, line in enumerate(typed.splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE.match(line)
        if not match:
            errors.append(f"Ligne {number} : écrivez « entité : passage », par exemple « public : caissière => salarie ».")
            continue
        entity, text, value = match.group("entity"), match.group("text"), match.group("value")
        if entity not in known:
            errors.append(f"Ligne {number} : l'entité « {entity} » n'existe pas (choix : {', '.join(known)}).")
        elif text not in message:
            errors.append(f"Ligne {number} : le passage « {text} » n'est pas dans le message (respectez la casse).")
        else:
            found.append({"entity": entity, "text": text, "value": value or text})
    return found, errors


def entities_as_lines(stored: Optional[str]) -> str:
    lines = []
    for entity in json.loads(stored or "[]"):
        value = "" if entity["value"] == entity["text"] else f" => {entity['value']}"
        lines.append(f"{entity['entity']} : {entity['text']}{value}")
    return "\n".join(lines)


def annotate_message(connection: Any, event_id: int, *, intent: str, entities: list[dict],
                     login: str, now: Optional[float] = None) -> bool:
    """Sets the right reading of one message; False when it is not in the index.
    A message already exported can be annotated again: it will be exported again."""
    updated = connection.execute(
        sa.update(messages).where(messages.c.event_id == event_id)
        .values(right_intent=intent, right_entities=json.dumps(entities, ensure_ascii=False),
                annotated_by=login, annotated_at=now or time.time(), exported_at=None, exported_to=None)).rowcount
    return bool(updated)


def review_conversation(connection: Any, sender_id: str, *, chosen_tags: list[str], comment: str,
                        login: str, now: Optional[float] = None) -> None:
    known = {slug for slug, _ in tag_choices(connection)}
    values = {"tags": "," + ",".join(tag for tag in chosen_tags if tag in known) + "," if chosen_tags else "",
              "comment": comment.strip(), "reviewed_by": login, "reviewed_at": now or time.time()}
    updated = connection.execute(sa.update(conversation_reviews)
                                 .where(conversation_reviews.c.sender_id == sender_id).values(**values)).rowcount
    if not updated:
        connection.execute(sa.insert(conversation_reviews).values(sender_id=sender_id, **values))


def conversation_review(connection: Any, sender_id: str) -> dict:
    if not sa.inspect(connection).has_table(conversation_reviews.name):
        return {"tags": "", "comment": ""}
    row = connection.execute(sa.select(conversation_reviews)
                             .where(conversation_reviews.c.sender_id == sender_id)).first()
    return dict(row._mapping) if row else {"tags": "", "comment": ""}


def message_annotations(connection: Any, sender_id: str) -> dict[int, dict]:
    """event id → its index row (annotation, corrected, redacted again)."""
    if not sa.inspect(connection).has_table(messages.name):
        return {}
    rows = connection.execute(sa.select(messages).where(messages.c.sender_id == sender_id))
    return {row.event_id: dict(row._mapping) for row in rows}
