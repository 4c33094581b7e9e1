"""action_offer_likely_needs: first stage of the fallback. Offers the two likeliest
needs of the latest message as buttons, plus "Autre chose" (the capabilities).
When distress was one of the two likeliest intents, the help numbers come first:
in doubt, a person in danger must not be left with a menu.
The second consecutive fallback is a rule: utter_human_contact."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.person import NEEDS
from directory.vocabulary import Need

OFFERED = 2
DISTRESS = "distress"
# When the message gives no hint at all, offer the two most frequent needs.
DEFAULT_NEEDS = ("orientation_scolaire", "recherche_emploi")


class ActionOfferLikelyNeeds(Action):
    def name(self) -> str:
        return "action_offer_likely_needs"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        if _distress_is_likely(ranking):
            dispatcher.utter_message(response="utter_distress_in_doubt")
        likely = [item["name"] for item in ranking if item.get("name") in NEEDS][:OFFERED]
        for need in DEFAULT_NEEDS:
            if len(likely) < OFFERED and need not in likely:
                likely.append(need)
        buttons = [{"title": Need(need).label, "payload": f"/{need}"} for need in likely]
        buttons.append({"title": _response_text(domain, "utter_offer_other"), "payload": "/ask_capabilities"})
        dispatcher.utter_message(response="utter_offer_likely_needs", buttons=buttons)
        return []


def _distress_is_likely(ranking: list[dict[str, Any]]) -> bool:
    intents = [item.get("name") for item in ranking if item.get("name") != "nlu_fallback"]
    return DISTRESS in intents[:OFFERED]


def _response_text(domain: DomainDict, response: str) -> str:
    return domain["responses"][response][0]["text"]
