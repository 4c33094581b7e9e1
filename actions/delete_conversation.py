"""action_delete_conversation: the person confirmed they want their conversation
erased. The bot says so, then `Restarted`: the tracker store sees the pair
(this action, Restarted) and deletes everything stored before it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionDeleteConversation(Action):
    def name(self) -> str:
        return "action_delete_conversation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_conversation_deleted")
        return [Restarted()]
