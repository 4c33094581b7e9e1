"""Rasa component: when a message carries a distress cue (bot/nlu/distress_cues.yml),
the intent is `distress`, whatever the classifier said. It is the last component of
the pipeline: after the FallbackClassifier, so that neither a low DIET confidence
nor two close intents (the fallback's ambiguity rule) can hide danger."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.base import RuleBasedComponent
from bot.nlu.distress import has_distress_cue, load_cues

DISTRESS = "distress"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class DistressGuard(RuleBasedComponent):
    def __init__(self, config: Dict[Text, Any] | None = None) -> None:
        super().__init__(config)
        self._cues = load_cues()  # read when the model loads (cached), not at import

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or not has_distress_cue(text, self._cues):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != DISTRESS]
            guarded = {"name": DISTRESS, "confidence": 1.0}
            message.set(INTENT, guarded, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [guarded, *ranking], add_to_output=True)
        return messages
