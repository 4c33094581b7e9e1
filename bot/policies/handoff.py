"""HandoffPolicy: the bot stays silent while a counsellor is awaited or answers.

When the slot `handoff_status` is `waiting` or `held` and a new user message has
just arrived, it predicts `action_listen` with confidence 1.0 and a priority above
RulePolicy, so no other policy answers. Exceptions, still answered by the bot:
distress and erasure (and the affirm/deny that confirms an erasure), the
intents the staff console triggers (counsellor_message, counsellor_hand_back) and
the reminder that ends a wait nobody answered (EXTERNAL_handoff_timeout).
Nothing to train: it only reads the tracker.

config.yml:
    policies:
      - name: bot.policies.handoff.HandoffPolicy
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME, EXTERNAL_MESSAGE_PREFIX
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

SLOT = "handoff_status"
SILENT_STATUSES = ("waiting", "held")
# The bot still answers these during a handoff: safety and the right to erasure.
ANSWERED_INTENTS = ("distress", "delete_conversation")
# Triggered by the staff console (their rules relay the message / end the handoff),
# or by Rasa's reminder when nobody took the conversation (actions/handoff_timeout.py).
COUNSELLOR_INTENTS = ("counsellor_message", "counsellor_hand_back", "EXTERNAL_handoff_timeout")
# The person's answer to this question confirms or cancels an erasure.
ERASURE_QUESTION = "utter_ask_delete_confirmation"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=False
)
class HandoffPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Above RulePolicy and CorrectionPolicy: a tie at confidence 1.0 goes to the
        # higher priority.
        return {POLICY_PRIORITY: RULE_POLICY_PRIORITY + 2}

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        # Nothing learnt; an empty resource so that loading the model finds it.
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        if must_stay_silent(tracker):
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
        return self._prediction(probabilities)


def must_stay_silent(tracker: DialogueStateTracker) -> bool:
    """A new user message in a conversation a counsellor holds or is awaited in."""
    if tracker.get_slot(SLOT) not in SILENT_STATUSES:
        return False
    if tracker.latest_action_name != ACTION_LISTEN_NAME:
        return False  # the bot is answering a message it was allowed to answer
    message = tracker.latest_message
    if message is None:
        return False
    intent = message.intent.get("name")
    if intent in ANSWERED_INTENTS:
        return False
    if intent in COUNSELLOR_INTENTS and _from_the_console(message.text):
        return False  # typed `/counsellor_message` by the person: stays silent
    return _question_before(tracker) != ERASURE_QUESTION


def _from_the_console(text: Optional[Text]) -> bool:
    """Rasa's trigger_intent and its reminders write "EXTERNAL: …"; a story step
    (training, conversation tests) has no text at all. A channel always carries the
    text the person typed."""
    return text is None or text.startswith(EXTERNAL_MESSAGE_PREFIX)


def _question_before(tracker: DialogueStateTracker) -> Optional[Text]:
    """The last bot action before the latest user message (not action_listen)."""
    seen_user = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            seen_user = True
        elif seen_user and isinstance(event, ActionExecuted):
            if event.action_name != ACTION_LISTEN_NAME:
                return event.action_name
    return None
