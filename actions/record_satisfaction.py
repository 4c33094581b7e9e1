"""Satisfaction at the end of a conversation: an optional anonymous 1-5 rating
(buttons `/feedback{"rating": "4"}`), then an optional comment (satisfaction_form).

- action_offer_satisfaction: after goodbye/thanks or feedback, shows the rating
  buttons once per conversation: on feedback ("je veux donner mon avis"), or when
  the person was referred and the buttons were not shown yet. Nothing otherwise.
- action_record_satisfaction: after satisfaction_form, stores day, rating, redacted
  comment and need with the indicators (bot.satisfaction); thanks the person.
  `rating` stays set (not offered again); the comment slot is cleared.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.lazy import Lazy, dispose_engine

logger = logging.getLogger(__name__)

NO_COMMENT = "aucun"  # value of satisfaction_comment for "Non merci" (domain/satisfaction.yml)
REFERRAL_ACTION = "action_refer"


def _make_engine():
    from bot.conversations_db import database_url, make_engine

    return make_engine(database_url())


_engine = Lazy(_make_engine, dispose_engine)


def engine():
    """The conversation store's engine (where the indicators live), on first use."""
    return _engine.get()


def reset() -> None:
    """Forget the engine ($CONVERSATIONS_DATABASE_URL changed in tests)."""
    _engine.reset()


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


class ActionRecordSatisfaction(Action):
    def name(self) -> str:
        return "action_record_satisfaction"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[EventType]:
        rating = _rating(tracker.get_slot("rating"))
        if rating is not None:
            comment = _comment(tracker.get_slot("satisfaction_comment"))
            try:
                self.store(rating, comment, tracker.get_slot("need"))
            except Exception as error:  # noqa: BLE001 - an opinion must not break the chat
                logger.error("Satisfaction answer not stored (%s)", type(error).__name__)
        dispatcher.utter_message(response="utter_satisfaction_recorded")
        return [SlotSet("satisfaction_comment", None)]

    @staticmethod
    def store(rating: int, comment: Optional[str], need: Optional[str]) -> None:
        from bot import satisfaction
        from bot.privacy import redact

        redacted = redact(comment) if comment else None
        with engine().begin() as connection:
            satisfaction.record(connection, rating=rating, comment=redacted, need=need)


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
