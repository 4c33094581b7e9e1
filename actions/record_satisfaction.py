"""action_record_satisfaction: after satisfaction_form (an optional anonymous 1-5
rating, then an optional comment), stores day, rating, redacted comment and need
with the indicators (actions.satisfaction_access); thanks the person.
`rating` stays set (not offered again); the comment slot is cleared."""
from __future__ import annotations

import logging
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import satisfaction_access

logger = logging.getLogger(__name__)

ANSWER_IDS = "satisfaction_answer_ids"  # this conversation's answers (erased with it)
NO_COMMENT = "aucun"  # value of satisfaction_comment for "Non merci" (domain/satisfaction.yml)


class ActionRecordSatisfaction(Action):
    def name(self) -> str:
        return "action_record_satisfaction"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[EventType]:
        rating = _rating(tracker.get_slot("rating"))
        events: list[EventType] = [SlotSet("satisfaction_comment", None)]
        if rating is not None:
            comment = _comment(tracker.get_slot("satisfaction_comment"))
            try:
                answer = satisfaction_access.save_answer(rating, comment, tracker.get_slot("need"))
            except Exception as error:  # noqa: BLE001 - an opinion must not break the chat
                logger.error("Satisfaction answer not stored (%s)", type(error).__name__)
            else:  # erasing the conversation erases the answer too
                events.append(SlotSet(ANSWER_IDS, [*(tracker.get_slot(ANSWER_IDS) or []), answer]))
        dispatcher.utter_message(response="utter_satisfaction_recorded")
        return events


def _rating(value: Any) -> Optional[int]:
    try:
        rating = int(str(value))
    except ValueError:
        return None
    return rating if 1 <= rating <= 5 else None


def _comment(value: Any) -> Optional[str]:
    text = str(value or "").strip()
    if not text or text.lower() == NO_COMMENT or text.startswith("/"):
        return None
    return text
