"""action_counsellor_message: relays a counsellor's words to the person. The staff
console triggers the intent `counsellor_message` (entity counsellor_text) through
Rasa's HTTP API; this is the only bot message whose text is not a response.
From the referral desk, the entity counsellor_referral carries the situation and
the ids of the cards the counsellor chose: they are rebuilt from the directory
(directory/referral/desk.py) and sent as the spec's referral payload."""
from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

logger = logging.getLogger(__name__)

# Rasa's text for an intent triggered through the HTTP API (UserUttered.create_external).
EXTERNAL_PREFIX = "EXTERNAL: "


def is_triggered(tracker: Tracker) -> bool:
    """True for an intent triggered by the console, False when a person typed
    `/counsellor_message…` in the chat (they must not speak as a counsellor)."""
    return str(tracker.latest_message.get("text") or "").startswith(EXTERNAL_PREFIX)


class ActionCounsellorMessage(Action):
    def name(self) -> str:
        return "action_counsellor_message"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        if not is_triggered(tracker):
            return []
        text = next(tracker.get_latest_entity_values("counsellor_text"), None)
        if isinstance(text, str) and text.strip():
            # The flag lands in the bot message's metadata: the tracker store
            # redacts these texts (a counsellor may write a name), not the bot's own.
            dispatcher.utter_message(text=text.strip(), counsellor=True)
        chosen = next(tracker.get_latest_entity_values("counsellor_referral"), None)
        if chosen is not None:
            payload = chosen_cards(chosen)
            if payload is None:
                # Never shown to the person: the console says nothing was sent.
                logger.warning("counsellor_referral ignored: not a valid desk choice.")
            else:
                dispatcher.utter_message(json_message=payload, counsellor=True)
        return [SlotSet("handoff_status", "held")]


def chosen_cards(entity: object) -> dict | None:
    """The referral payload of the cards chosen at the desk, or None when the
    entity is not a desk choice (malformed, unknown need, no card left)."""
    from actions import directory_access
    from directory.referral.desk import DeskQuery, chosen_referral, desk_search

    try:
        choice = json.loads(entity) if isinstance(entity, str) else None
        ids = [str(i) for i in choice["ids"]]
        age = choice.get("age")
        query = DeskQuery(
            need=str(choice["need"]), public=choice.get("public"),
            age=age if isinstance(age, int) and not isinstance(age, bool) else None,
            handicap=choice.get("handicap") is True, cadre=choice.get("cadre") is True,
            commune=directory_access.commune_by_insee(choice.get("commune_insee")),
            network=choice.get("network"), max_km=float(choice.get("max_km", 30.0)))
        with directory_access.session_factory().begin() as session:
            referral = chosen_referral(desk_search(session, query), ids)
    except (TypeError, ValueError, KeyError, AttributeError, directory_access.DirectoryUnavailable):
        return None
    return referral.to_payload() if referral.structures else None
