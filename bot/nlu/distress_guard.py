"""Rasa component: when a message carries a distress cue (bot/nlu/distress_cues.yml),
the intent is `distress`, whatever the classifier said. Sits after DIET and before
the FallbackClassifier, so a low DIET confidence cannot hide danger either."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.distress import has_distress_cue, load_cues

DISTRESS = "distress"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class DistressGuard(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "DistressGuard":
        return cls()

    def __init__(self) -> None:
        self._cues = load_cues()

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

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
