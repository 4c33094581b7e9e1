"""action_out_of_scope: says what the assistant is for, and where to turn when the
matter belongs to another public service: a benefit's amount (France Travail, the
CAF), a dispute with an employer (the labour inspection), a school sanction (the
school, the rectorat's mediator); a manipulation attempt gets a short answer that the
assistant holds no such data. The matter is read by the same lexicon as the NLU's
out-of-scope net (bot/nlu/out_of_scope_cues.yml)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.nlu.out_of_scope import everyday_topic

# The topics that have an answer of their own; any other gets utter_out_of_scope.
RESPONSES = {
    "manipulation": "utter_out_of_scope_manipulation",
    "assistant_internals": "utter_out_of_scope_manipulation",
    "role_change": "utter_out_of_scope_manipulation",
    "benefits": "utter_out_of_scope_benefits",
    "labour_law": "utter_out_of_scope_labour_law",
    "school_discipline": "utter_out_of_scope_school_discipline",
}
DEFAULT_RESPONSE = "utter_out_of_scope"


def response_for(text: str | None) -> str:
    return RESPONSES.get(everyday_topic(text or ""), DEFAULT_RESPONSE)


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response=response_for((tracker.latest_message or {}).get("text")))
        return []
