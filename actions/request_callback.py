"""Call-back by a counsellor, with explicit consent (callback_form).

1. callback_consent: "J'accepte que mon numéro soit conservé 7 jours au plus…" Oui/Non.
2. callback_status: the number is read from the current message only
   (tracker.latest_message, in memory; the tracker store redacts what it persists),
   stored encrypted in the separate call-back store, and NEVER put in a slot: the
   slot only says what happened (saved, invalid, failed, cancelled, error).
   Two tries at most.
3. action_request_callback tells the person, then clears both slots (a new request
   can be made later).
"""
from __future__ import annotations

import logging
import os
from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import callback_access
from bot.callbacks.phone import find_moment, find_number

logger = logging.getLogger(__name__)

SAVED, INVALID, FAILED, CANCELLED, ERROR = "saved", "invalid", "failed", "cancelled", "error"
DELAY_ENV = "SPRO_CALLBACK_DELAY"
REQUEST_IDS = "callback_request_ids"  # this conversation's requests (erased with it)
DEFAULT_DELAY = "dans les 2 jours ouvrés"  # the region's commitment: set $SPRO_CALLBACK_DELAY
DECLINED = "non_precise"


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> str:
        return "validate_callback_form"

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Optional[EventType]:
        """Consent first; no consent ends the form; an invalid number is asked again."""
        consent = tracker.get_slot("callback_consent")
        if consent is None:
            return SlotSet("requested_slot", "callback_consent")
        if consent and tracker.get_slot("callback_status") in (None, INVALID):
            return SlotSet("requested_slot", "callback_status")
        return SlotSet("requested_slot", None)

    async def extract_callback_status(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> dict[str, Any]:
        if (tracker.get_slot("requested_slot") != "callback_status"
                or not tracker.get_slot("callback_consent")):
            return {}
        message = tracker.latest_message or {}
        text = str(message.get("text") or "")
        number = None if text.startswith("/") else find_number(text)
        if number is None:
            if (message.get("intent") or {}).get("name") == "deny":
                return {"callback_status": CANCELLED}
            if tracker.get_slot("callback_status") == INVALID:
                return {"callback_status": FAILED}
            dispatcher.utter_message(response="utter_callback_invalid_number")
            return {"callback_status": INVALID}
        try:
            request = callback_access.save_request(
                number=number, need=tracker.get_slot("need"),
                commune=_known(tracker.get_slot("commune")), moment=find_moment(text))
        except Exception as error:  # noqa: BLE001 - the person must get an answer
            # The type only: a driver message could quote the parameters.
            logger.error("Call-back request not stored (%s)", type(error).__name__)
            return {"callback_status": ERROR}
        # Kept in the conversation (a random id, never the number): erasing the
        # conversation erases the request too. run() returns it (not a form slot).
        tracker.slots[REQUEST_IDS] = [*(tracker.slots.get(REQUEST_IDS) or []), request]
        return {"callback_status": SAVED}

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        before = tracker.get_slot(REQUEST_IDS)
        events = await super().run(dispatcher, tracker, domain)
        if tracker.slots.get(REQUEST_IDS) != before:
            events.append(SlotSet(REQUEST_IDS, tracker.slots[REQUEST_IDS]))
        return events

    def validate_callback_consent(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"callback_consent": value}

    def validate_callback_status(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        return {"callback_status": value}


class ActionRequestCallback(Action):
    """After callback_form: says what was done, then clears the form's slots."""

    def name(self) -> str:
        return "action_request_callback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[EventType]:
        status = tracker.get_slot("callback_status")
        if not tracker.get_slot("callback_consent") or status == CANCELLED:
            dispatcher.utter_message(response="utter_callback_declined")
        elif status == SAVED:
            dispatcher.utter_message(response="utter_callback_confirmed",
                                     delay=os.environ.get(DELAY_ENV) or DEFAULT_DELAY)
        elif status == ERROR:
            dispatcher.utter_message(response="utter_callback_error")
        else:
            dispatcher.utter_message(response="utter_callback_failed")
        return [SlotSet("callback_consent", None), SlotSet("callback_status", None)]


def _known(value: Any) -> Optional[str]:
    return None if value in (None, "", DECLINED) else str(value)
