"""action_offer_satisfaction: after goodbye/thanks or feedback, shows the 1-5 rating
buttons (`/feedback{"rating": "4"}`) once per conversation: on feedback ("je veux
donner mon avis"), or when the person was referred and the buttons were not shown
yet. Nothing otherwise. The answer is stored by action_record_satisfaction."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

REFERRAL_ACTION = "action_refer"


def was_referred(tracker: Tracker) -> bool:
    return any(e.get("event") == "action" and e.get("name") == REFERRAL_ACTION
               for e in tracker.events)


def was_offered(tracker: Tracker) -> bool:
    return any(e.get("event") == "bot"
               and (e.get("metadata") or {}).get("utter_action") == "utter_ask_rating"
               for e in tracker.events)


class ActionOfferSatisfaction(Action):
    def name(self) -> str:
        return "action_offer_satisfaction"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[EventType]:
        if tracker.get_slot("rating") is not None:
            return []  # already answered in this conversation
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        # Asked for ("je veux donner mon avis"), or once after a referral.
        if intent == "feedback" or (was_referred(tracker) and not was_offered(tracker)):
            dispatcher.utter_message(response="utter_ask_rating")
        return []
