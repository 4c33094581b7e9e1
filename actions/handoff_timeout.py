"""action_handoff_timeout: nobody took a waiting conversation in time. Rasa's reminder
(scheduled by action_handoff) triggers EXTERNAL_handoff_timeout; if the conversation
still waits, the person hears that no counsellor is free, gets the region's phone
services, the remote contacts and the call-back offer, and the assistant speaks again
(handoff_status closed). If a counsellor took it (or it was handed back), nothing."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.counsellor_message import is_triggered
from actions.handoff import region_of, regional_phones


class ActionHandoffTimeout(Action):
    def name(self) -> str:
        return "action_handoff_timeout"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        # Typed "/EXTERNAL_handoff_timeout" by the person: not a reminder.
        if not is_triggered(tracker) or tracker.get_slot("handoff_status") != "waiting":
            return []
        dispatcher.utter_message(response="utter_handoff_timeout")
        for name, number in regional_phones(region_of(tracker)):
            dispatcher.utter_message(response="utter_handoff_regional_phone",
                                     name=name, number=number)
        dispatcher.utter_message(response="utter_human_contact")
        dispatcher.utter_message(response="utter_offer_callback")
        return [SlotSet("handoff_status", "closed")]
