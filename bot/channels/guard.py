"""What a public channel (REST, socket.io) lets through to Rasa.

- `sender`: required, at most MAX_SENDER_CHARS of [A-Za-z0-9_-]. Rasa's REST channel
  puts a message without sender into one shared "default" conversation.
- Text: at most MAX_MESSAGE_CHARS characters; a longer one is refused in French
  (TOO_LONG) before it reaches the NLU, which takes seconds on 100,000 characters
  and blocks every other conversation meanwhile.
- Slash commands: Rasa reads "/intent{json}" as an intent with entities, skipping
  the NLU (and its checks). Only the payloads of the assistant's own buttons pass:
  an intent of the domain that a person may trigger, with the entities a button
  carries, each value of the expected form. Anything else that starts with "/" goes
  on as plain text, read by the NLU like any message.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Optional

import yaml

from directory.vocabulary import Public

MAX_MESSAGE_CHARS = 1000
MAX_SENDER_CHARS = 64
SENDER = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_SENDER_CHARS}}}")
TOO_LONG = ("Votre message est trop long (plus de 1 000 caractères) : il n'a pas été lu. "
            "Pouvez-vous le raccourcir ou l'envoyer en plusieurs fois ?")
BAD_SENDER = ("Requête refusée : « sender » doit être un identifiant de conversation de 1 à "
              f"{MAX_SENDER_CHARS} caractères (lettres sans accent, chiffres, « - », « _ »).")
BAD_MESSAGE = "Requête refusée : « message » doit être un texte."

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "domain"
# Triggered by the counsellor console or by Rasa itself, through the HTTP API
# (with its token): a person typing them would speak as a counsellor.
INTERNAL_INTENTS = frozenset({"counsellor_message", "counsellor_hand_back"})
PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z_]+)(?P<entities>\{.*\})?", re.S)
COMMUNE_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’()-])*", re.U)
# The entities that the buttons carry, and the form of each value.
BUTTON_ENTITIES = {
    "public": lambda value: value in {member.value for member in Public},
    "rating": lambda value: value in {"1", "2", "3", "4", "5"},
    "commune": lambda value: len(value) <= 60 and COMMUNE_NAME.fullmatch(value) is not None,
    "commune_insee": lambda value: re.fullmatch(r"(\d{5}|2[AB]\d{3})", value) is not None,
}
# Entities that only come together (a commune button names the commune and its code).
TOGETHER = ({"commune", "commune_insee"},)


@functools.lru_cache(maxsize=1)
def public_intents() -> frozenset[str]:
    """The intents of domain/ that a person's message (or button) may carry."""
    names = set()
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        for intent in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []:
            names.add(intent if isinstance(intent, str) else next(iter(intent)))
    return frozenset(name for name in names
                     if name not in INTERNAL_INTENTS and not name.startswith("EXTERNAL_"))


REGION_CODE = re.compile(r"\d{2,3}")


def public_metadata(metadata: Any) -> Optional[dict]:
    """The site's region code only (it picks among homonymous communes); the rest of
    what a client sends as metadata is not kept in the conversation."""
    if isinstance(metadata, dict) and isinstance(metadata.get("region"), str) \
            and REGION_CODE.fullmatch(metadata["region"]):
        return {"region": metadata["region"]}
    return None


def valid_sender(sender: Any) -> bool:
    return isinstance(sender, str) and SENDER.fullmatch(sender) is not None


def too_long(text: Optional[str]) -> bool:
    return len(text or "") > MAX_MESSAGE_CHARS


def is_button_payload(text: str) -> bool:
    match = PAYLOAD.fullmatch(text.strip())
    if match is None or match["intent"] not in public_intents():
        return False
    if match["entities"] is None:
        return True
    try:
        entities = json.loads(match["entities"])
    except ValueError:
        return False
    if not isinstance(entities, dict) or not entities:
        return False
    for name, value in entities.items():
        check = BUTTON_ENTITIES.get(name)
        if check is None or not isinstance(value, str) or not check(value):
            return False
    return all(group <= entities.keys() or not group & entities.keys() for group in TOGETHER)


def public_text(text: Optional[str]) -> str:
    """The text to hand to Rasa: a button's payload as it is, any other slash command
    as plain words (without its leading slashes), control characters as spaces."""
    text = "".join(" " if (ord(char) < 32 and char not in "\n\t") or ord(char) == 127 else char
                   for char in (text or ""))
    stripped = text.strip()
    if stripped.startswith("/") and not is_button_payload(stripped):
        return stripped.lstrip("/").strip()
    return text
