"""Rasa component: when a message carries a distress cue (bot/nlu/distress_cues.yml),
the intent is `distress`, whatever the classifier said. It is the last component of
the pipeline: after the FallbackClassifier, so that neither a low DIET confidence
nor two close intents (the fallback's ambiguity rule) can hide danger."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.base import IntentGuard
from bot.nlu.distress import has_distress_cue, load_cues


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class DistressGuard(IntentGuard):
    guarded_intent = "distress"

    def __init__(self, config: Dict[Text, Any] | None = None) -> None:
        super().__init__(config)
        self._cues = load_cues()  # read when the model loads (cached), not at import

    def applies(self, message: Message) -> bool:
        return has_distress_cue(message.get(TEXT), self._cues)
