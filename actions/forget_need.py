"""action_forget_need: after a distress message, or "ce n'est pas ma question", the
need is forgotten, so that no later message ("je suis au chômage", "à Rennes") brings
back a referral the person did not ask for. What they said of their situation stays."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionForgetNeed(Action):
    def name(self) -> str:
        return "action_forget_need"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        if tracker.get_slot("need") is None:
            return []
        return [SlotSet("need", None)]
