"""action_counsellor_message: relays a counsellor's words to the person. The staff
console triggers the intent `counsellor_message` (entity counsellor_text) through
Rasa's HTTP API; this is the only bot message whose text is not a response."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

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
        return [SlotSet("handoff_status", "held")]
