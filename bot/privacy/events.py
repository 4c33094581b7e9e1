"""Redaction of serialised Rasa events (`event.as_dict()`), before they are stored.

User texts, entity values and slot values are redacted; the few values the service
needs and that identify nobody (need, public, commune, age…) are kept as they are.
Bot utterances hold structure contacts, not the user's data: they are kept, except
- those relayed from a human counsellor, who may write anything (the action marks
  them with `counsellor: true` in the message metadata): redacted whole;
- the passages between « » where a response quotes what the person said (a trade
  name): redacted, so that no later response can echo personal data into storage.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Dict

# Slots/entities whose values are categories or places, never a person.
ALLOWED_SLOTS = frozenset({
    "need", "public", "commune", "commune_insee", "age", "secteur", "metier",
    "rome_code", "handicap", "cadre", "woman", "requested_slot", "handoff_status",
    # Random ids of this conversation's call-back requests and satisfaction answers.
    "callback_request_ids", "satisfaction_answer_ids",
})
# Set by actions/counsellor_message.py on the messages a counsellor typed.
COUNSELLOR_FLAG = "counsellor"
# Slots that hold channel metadata (may include an IP or a user agent): dropped.
DROPPED_SLOTS = frozenset({"session_started_metadata"})
# What a bot response quotes from the person sits between French quotation marks.
QUOTED = re.compile(r"(«\s*)([^»]*?)(\s*»)")

Redact = Callable[[str], str]


def redact_event(data: Dict[str, Any], redact: Redact) -> Dict[str, Any]:
    """A redacted copy of one serialised event."""
    data = dict(data)
    kind = data.get("event")
    if kind == "user":
        _redact_user(data, _memo(redact))
    elif kind == "slot":
        name = data.get("name")
        if name in DROPPED_SLOTS:
            data["value"] = None
        elif name not in ALLOWED_SLOTS:
            data["value"] = _redact_value(data.get("value"), redact)
    elif kind == "entities":
        data["entities"] = [_redact_entity(e, redact) for e in data.get("entities") or []]
    elif kind == "session_started":
        data["metadata"] = {}
    elif kind == "bot" and isinstance(data.get("text"), str):
        if (data.get("metadata") or {}).get(COUNSELLOR_FLAG):
            data["text"] = redact(data["text"])
        else:
            data["text"] = redact_quotes(data["text"], redact)
    return data


def redact_quotes(text: str, redact: Redact) -> str:
    """The passages between « » redacted, the rest of a bot response as it is."""
    return QUOTED.sub(lambda m: m.group(1) + redact(m.group(2)) + m.group(3), text)


def _redact_user(data: Dict[str, Any], redact: Redact) -> None:
    if isinstance(data.get("text"), str):
        data["text"] = redact(data["text"])
    # Channel metadata may carry an IP address, a user agent, an account id.
    data["metadata"] = {}
    parse_data = data.get("parse_data")
    if isinstance(parse_data, dict):
        parse_data = dict(parse_data)
        if isinstance(parse_data.get("text"), str):
            parse_data["text"] = redact(parse_data["text"])
        parse_data["entities"] = [
            _redact_entity(e, redact) for e in parse_data.get("entities") or []
        ]
        parse_data.pop("metadata", None)
        data["parse_data"] = parse_data


def _redact_entity(entity: Any, redact: Redact) -> Any:
    if not isinstance(entity, dict) or entity.get("entity") in ALLOWED_SLOTS:
        return entity
    entity = dict(entity)
    entity["value"] = _redact_value(entity.get("value"), redact)
    if isinstance(entity.get("text"), str):
        entity["text"] = redact(entity["text"])
    return entity


def _redact_value(value: Any, redact: Redact) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_value(item, redact) for item in value]
    if isinstance(value, dict):
        return {key: _redact_value(item, redact) for key, item in value.items()}
    return value  # numbers, booleans, None identify nobody


def _memo(redact: Redact) -> Redact:
    """The same text appears in `text` and `parse_data.text`: redact it once."""
    cache: Dict[str, str] = {}

    def cached(text: str) -> str:
        if text not in cache:
            cache[text] = redact(text)
        return cache[text]

    return cached
