"""Rasa component: a second look at a long story that DIET could not decide.

In a story of several sentences, DIET's confidence spreads over the needs the story
touches (money, a move, past jobs…) and the FallbackClassifier answers with the two
likeliest needs as buttons. Most of the time the right need is one of those two, and
what the person asks is in the last sentences. Here a second model (TextModel: the
n-grams and word vectors of bot/nlu/text_model.py, trained on the examples of the 13
needs) reads the whole story and its last sentences, and picks between DIET's two
likeliest needs when it clearly prefers one; otherwise the fallback stands.

Only fallbacks of long messages are looked at: a short message that falls back is
rather unclear than spread over several topics. Placed right after the
FallbackClassifier, before the out-of-scope and distress nets (they keep the last
word)."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.base import TrainedTextComponent
from bot.nlu.text_model import SPACY_DOC, TextModel, load_saved, load_spacy, save, sentences
from directory.vocabulary import Need

logger = logging.getLogger(__name__)

NEEDS = frozenset(need.value for need in Need)
FALLBACK = "nlu_fallback"
MODEL_FILE = "long_message_resolver.pkl"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LongMessageResolver(TrainedTextComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "min_words": 25,  # a "long" message
            "last_sentences": 2,  # where the question usually is
            "min_probability": 0.35,  # the chosen need, by the second model
            "min_margin": 0.1,  # over the other of DIET's two
            **TrainedTextComponent.TEXT_MODEL_DEFAULTS,
        }

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) in NEEDS and m.get(TEXT)]
        if len({m.get(INTENT) for m in examples}) < 2:
            return self._resource
        model = TextModel(load_spacy(self._config["spacy_model"]), c=self._config["C"],
                          seed=self._config["random_seed"])
        model.fit([m.get(TEXT) for m in examples], [m.get(INTENT) for m in examples])
        save(self._storage, self._resource, MODEL_FILE, {"model": model})
        self._model = model
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LongMessageResolver":
        config = {**cls.get_default_config(), **config}
        saved = load_saved(model_storage, resource, MODEL_FILE, config["spacy_model"])
        return cls(config, model_storage, resource, saved["model"] if saved else None)

    def choice(self, message: Message) -> Optional[str]:
        """The need picked between DIET's two likeliest, or None (the fallback stands)."""
        text = message.get(TEXT) or ""
        if len(text.split()) < self._config["min_words"]:
            return None
        ranking = [r["name"] for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK]
        candidates = ranking[:2]
        if len(candidates) < 2 or not set(candidates) <= NEEDS:
            return None
        last = " ".join(sentences(text, message.get(SPACY_DOC))[-self._config["last_sentences"]:])
        probabilities = self._model.probabilities([text, last]).mean(axis=0)
        classes = self._model.classes
        first, second = (float(probabilities[classes.index(c)]) if c in classes else 0.0 for c in candidates)
        best, best_p, other_p = (candidates[0], first, second) if first >= second else (candidates[1], second, first)
        if best_p < self._config["min_probability"] or best_p - other_p < self._config["min_margin"]:
            return None
        return best

    def process(self, messages: List[Message]) -> List[Message]:
        if self._model is None:
            return messages
        for message in messages:
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != FALLBACK:
                continue
            need = self.choice(message)
            if need is None:
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            confidence = next((r["confidence"] for r in ranking if r.get("name") == need), 0.0)
            message.set(INTENT, {"name": need, "confidence": float(np.round(confidence, 4))}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [r for r in ranking if r.get("name") != FALLBACK], add_to_output=True)
        return messages
