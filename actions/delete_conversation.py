"""action_delete_conversation: the person confirmed they want their conversation
erased. Its call-back requests and satisfaction answers are deleted (their ids are
in the conversation), the bot says so, then `Restarted`: the tracker store sees the
pair (this action, Restarted) and deletes everything stored before it. The widget
forgets the conversation in the browser when it gets the confirmation."""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import callback_access, satisfaction_access
from actions.record_satisfaction import ANSWER_IDS
from actions.request_callback import REQUEST_IDS

logger = logging.getLogger(__name__)


class ActionDeleteConversation(Action):
    def name(self) -> str:
        return "action_delete_conversation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        _delete("call-back requests", callback_access.delete_requests, tracker.get_slot(REQUEST_IDS))
        _delete("satisfaction answers", satisfaction_access.delete_answers, tracker.get_slot(ANSWER_IDS))
        dispatcher.utter_message(response="utter_conversation_deleted")
        return [Restarted()]


def _delete(what: str, delete, ids) -> None:
    if not ids:
        return
    try:
        delete(list(ids))
    except Exception as error:  # noqa: BLE001 - the conversation is erased all the same
        # The type only: a driver message could quote the parameters.
        logger.error("Erasure: %s not deleted (%s)", what, type(error).__name__)
