"""action_handoff_end: the counsellor hands the conversation back to the assistant
(intent `counsellor_hand_back`, triggered by the staff console)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.counsellor_message import is_triggered


class ActionHandoffEnd(Action):
    def name(self) -> str:
        return "action_handoff_end"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        if not is_triggered(tracker):
            return []
        dispatcher.utter_message(response="utter_handoff_back")
        return [SlotSet("handoff_status", None)]
