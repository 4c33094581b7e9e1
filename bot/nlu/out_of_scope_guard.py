"""Rasa component: a need predicted for a message about an everyday matter that only
shares the need's word (bot/nlu/out_of_scope_cues.yml) becomes `out_of_scope`: the
assistant says what it is for instead of asking for a commune to refer a tourist
trip. Placed after the FallbackClassifier (a low confidence already falls back) and
before the DistressGuard (danger always wins)."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.base import IntentGuard
from bot.nlu.out_of_scope import load_topics, matching_topic
from directory.vocabulary import Need

NEEDS = frozenset(need.value for need in Need)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class OutOfScopeGuard(IntentGuard):
    guarded_intent = "out_of_scope"

    def __init__(self, config: Dict[Text, Any] | None = None) -> None:
        super().__init__(config)
        self._topics = load_topics()  # read when the model loads (cached), not at import

    def applies(self, message: Message) -> bool:
        # Only a need is overridden (a fallback or small talk keep their answer), except
        # for manipulation attempts; distress is never: the DistressGuard comes after.
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent == "out_of_scope":
            return False
        topic = matching_topic(message.get(TEXT), self._topics)
        return topic is not None and (intent in NEEDS or topic.any_intent)
