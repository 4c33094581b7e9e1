"""What the referral form needs to know about the turn it is in, read from the
tracker's events (pure functions over the event dicts rasa-sdk receives).

- `latest_user_event`: the person's latest message, with its intent, entities and
  channel metadata (the region of the site it comes from);
- `times_asked`: how many times the form has asked a question in a row, so that no
  question is asked a third time;
- `right_after_a_message`: whether the form reads the latest message or comes back
  to its questions after another answer."""
from __future__ import annotations

from typing import Any, Iterable

ACTION_LISTEN = "action_listen"
FORM = "referral_form"
_RESETS = ("restart", "session_started")


def latest_user_event(events: Iterable[dict]) -> dict:
    latest: dict = {}
    for event in events:
        if event.get("event") == "user":
            latest = event
    return latest


def region_of_message(events: Iterable[dict]) -> str | None:
    """The INSEE region code the channel sent with the latest message
    (metadata {"region": "53"}: the widget's data-region-code, or a REST client's)."""
    metadata = latest_user_event(events).get("metadata") or {}
    region = metadata.get("region") if isinstance(metadata, dict) else None
    if isinstance(region, (str, int)) and str(region).strip().isalnum() and len(str(region).strip()) <= 3:
        return str(region).strip()
    return None


def times_asked(events: list[dict], slot: str) -> int:
    """How many times `utter_ask_<slot>` was said before the person's latest message
    since the slot last held a value when the person spoke (a raw value that the
    form then refused does not count), or since the conversation restarted. The form
    stopping and starting again does not reset it: the person was asked all the same."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    count, value = 0, None
    for event in events[:last_user]:
        kind = event.get("event")
        if kind in _RESETS:
            count, value = 0, None
        elif kind == "user" and value is not None:
            count = 0
        elif kind == "slot" and event.get("name") == slot:
            value = event.get("value")
        elif kind == "bot" and (event.get("metadata") or {}).get("utter_action") == f"utter_ask_{slot}":
            count += 1
    return count


def right_after_a_message(events: list[dict]) -> bool:
    """The form runs on the person's latest message, not back from another answer
    (an out-of-scope reply, a question about the bot…): no other action ran since
    the message. Rasa ends the tracker it sends with the form's own execution."""
    actions = [e.get("name") for e in events_since_latest_user(events) if e.get("event") == "action"]
    if actions and actions[-1] == FORM:
        actions = actions[:-1]
    return all(name in (ACTION_LISTEN, "action_extract_slots") for name in actions)


def events_since_latest_user(events: list[dict]) -> list[dict]:
    index = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return events[index + 1:]


def value_before_latest_user(events: list[dict], slot: str) -> Any:
    """The slot's value as it stood before the person's latest message."""
    index = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    value = None
    for event in events[:index]:
        if event.get("event") == "slot" and event.get("name") == slot:
            value = event.get("value")
        elif event.get("event") in _RESETS:
            value = None
    return value
