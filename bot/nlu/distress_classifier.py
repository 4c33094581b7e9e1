"""Rasa component: a classifier of its own for danger, read sentence by sentence.

The lexicon (DistressGuard) only knows the phrasings written in it, and DIET weighs
distress against twenty other intents over the whole message: a long orientation
story with one sentence about a stepfather's blows reads as an orientation question.
Here a binary model (distress or not), trained on the same training data, scores the
whole message and each of its sentences; the highest score decides. Features that
generalise beyond known phrasings: character n-grams of the folded text (frapp-,
harcel-, "me tape" in any spelling) and spaCy's word vectors (a verb never seen
close to one that was). A message scoring at or above `threshold` is `distress`,
whatever DIET or the fallback said; placed after the FallbackClassifier, like the
guard.

In doubt: when DIET is sure of a need (`doubt_need_confidence`) in a long story and
only this model hears danger, the need stays and the message carries DISTRESS_DOUBT
(its score): the form gives the help numbers first, then goes on with the
orientation. A story of a hard time told to find a training is then not stopped,
and a person in danger who also asks for one still gets the numbers and a human.
The lexicon (DistressGuard, after) still makes a known danger phrasing `distress`.

`threshold` (config.yml), when not set, is chosen on the training data by
cross-validation, never on the held-out sets: the lowest score at which at most
`max_false_alarm_rate` of the other examples, each scored by a model that did not
see it, would be taken for distress (as much recall as that cost allows). A false
alarm gives the help numbers to someone who asked about a training; a miss leaves
someone in danger with an orientation answer: the cost is set low, not zero.
`bench.nlu` reports what it gives on the held-out sets.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.base import TrainedTextComponent
from bot.nlu.parse_keys import DISTRESS_DOUBT
from bot.nlu.text_model import SPACY_DOC, TextModel, load_saved, load_spacy, save, units
from directory.vocabulary import Need

logger = logging.getLogger(__name__)

DISTRESS = "distress"
NEEDS = frozenset(need.value for need in Need)
MODEL_FILE = "distress_classifier.pkl"


# Words that an answer carries around its value ("j'habite à Brest", "je suis au chômage").
ANSWER_WORDS = frozenset("""a à au aux de du des d la le les l en dans sur vers pres près chez je j j'
suis habite habites vis ai ans an moi c est c'est ici ville commune sur secteur coin region région""".split())


def is_bare_answer(message: Message) -> bool:
    """A message that is only a commune, an age or a status with a few linking
    words ("Brest", "à Quimper", "au chômage", "36 ans"): no danger can be told in
    it; DIET, trained on many stories of danger set somewhere, sometimes reads such
    a bare answer as distress. A distress cue in it is still caught by the lexicon,
    which runs after this component."""
    text = message.get(TEXT) or ""
    entities = [e for e in message.get(ENTITIES) or [] if isinstance(e.get("start"), int)]
    if not entities:
        return False
    kept, position = [], 0
    for found in sorted(entities, key=lambda e: e["start"]):
        kept.append(text[position:found["start"]])
        position = max(position, found["end"])
    kept.append(text[position:])
    rest = [w for w in re.split(r"[\s,.;:!?'’-]+", " ".join(kept).lower()) if w]
    return len([w for w in rest if w not in ANSWER_WORDS]) == 0


def _demote_distress(message: Message) -> None:
    """The answer's next likeliest intent (inform when there is none)."""
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in (DISTRESS, "nlu_fallback")]
    following = ranking[0] if ranking else {"name": "inform", "confidence": 1.0}
    message.set(INTENT, {"name": following["name"], "confidence": following["confidence"]}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DistressClassifier(TrainedTextComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "threshold": None,  # None: chosen by cross-validation at training
            "max_false_alarm_rate": 0.01,
            # Shorter messages are left to DIET and the lexicon: this model is for the
            # story in which danger is one sentence; on a bare answer ("au chômage",
            # a commune) it mostly raised false alarms.
            "min_words": 8,
            # DIET this sure of a need: help numbers given, the orientation goes on
            # (the same certainty the form asks before changing the need).
            "doubt_need_confidence": 0.8,
            **TrainedTextComponent.TEXT_MODEL_DEFAULTS,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[TextModel] = None, threshold: Optional[float] = None) -> None:
        super().__init__(config, model_storage, resource, model)
        self._threshold = threshold

    # Training ------------------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        labels = [int(m.get(INTENT) == DISTRESS) for m in examples]
        if sum(labels) < 10:
            logger.warning("Classifieur de détresse : trop peu d'exemples de détresse pour l'entraîner.")
            return self._resource
        # Scored as at prediction: the whole message and each of its sentences.
        example_units = [units(m.get(TEXT), m.get(SPACY_DOC)) for m in examples]
        nlp = load_spacy(self._config["spacy_model"])
        threshold = self._config["threshold"]
        if threshold is None:
            threshold = self._cross_validated_threshold(nlp, example_units, labels)
        model = TextModel(nlp, c=self._config["C"], seed=self._config["random_seed"])
        model.fit(*self._training_set(example_units, labels, range(len(labels))))
        save(self._storage, self._resource, MODEL_FILE, {"model": model, "threshold": float(threshold)})
        self._model, self._threshold = model, float(threshold)
        return self._resource

    @staticmethod
    def _training_set(example_units: List[List[str]], labels: List[int], indices: Any) -> tuple[list, list]:
        """Each example as a whole; the sentences of the other examples too, as
        non-distress (a sentence of an orientation story must not score as danger).
        The sentences of a distress example are not all about danger: left out."""
        texts, targets = [], []
        for i in indices:
            texts.append(example_units[i][0])
            targets.append(labels[i])
            if labels[i] == 0:
                texts += example_units[i][1:]
                targets += [0] * (len(example_units[i]) - 1)
        return texts, targets

    def _cross_validated_threshold(self, nlp: Any, example_units: List[List[str]], labels: List[int]) -> float:
        """The lowest threshold whose out-of-fold false alarms stay within
        `max_false_alarm_rate` (5 folds); each example kept out is scored like a
        message, by its highest unit."""
        from sklearn.model_selection import StratifiedKFold

        y = np.asarray(labels)
        out_of_fold = np.zeros(len(labels))
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=self._config["random_seed"])
        for train_index, test_index in folds.split(np.zeros(len(y)), y):
            model = TextModel(nlp, c=self._config["C"], seed=self._config["random_seed"])
            model.fit(*self._training_set(example_units, labels, train_index))
            flat = [unit for i in test_index for unit in example_units[i]]
            scores = model.scores(flat)
            position = 0
            for i in test_index:
                count = len(example_units[i])
                out_of_fold[i] = scores[position:position + count].max()
                position += count
        negatives = np.sort(out_of_fold[y == 0])[::-1]
        allowed = int(np.floor(self._config["max_false_alarm_rate"] * len(negatives)))
        # Just above the (allowed + 1)-th highest score of a non-distress example.
        threshold = float(np.nextafter(negatives[allowed], 1.0)) if allowed < len(negatives) else 0.5
        positives = out_of_fold[y == 1]
        false_alarms = float(np.mean(out_of_fold[y == 0] >= threshold))
        logger.info("Classifieur de détresse : seuil %.3f (validation croisée : %.1f %% des exemples de "
                    "détresse retenus, %.2f %% des autres pris pour de la détresse).", threshold,
                    100 * float(np.mean(positives >= threshold)), 100 * false_alarms)
        return threshold

    # Loading and prediction -------------------------------------------------------
    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "DistressClassifier":
        config = {**cls.get_default_config(), **config}
        saved = load_saved(model_storage, resource, MODEL_FILE, config["spacy_model"])
        if saved is None:
            logger.warning("Classifieur de détresse absent du modèle : seul le lexique veille.")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, saved["model"], saved["threshold"])

    def score(self, message: Message) -> float:
        text = message.get(TEXT) or ""
        parts = units(text, message.get(SPACY_DOC))
        return float(self._model.scores(parts).max())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if not message.get(TEXT):
                continue
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == DISTRESS:
                if is_bare_answer(message):
                    _demote_distress(message)
                continue
            if self._model is None:
                continue
            if len(message.get(TEXT).split()) < self._config["min_words"]:
                continue
            score = self.score(message)
            if score < self._threshold:
                continue
            said = message.get(INTENT) or {}
            if said.get(INTENT_NAME_KEY) in NEEDS and said.get("confidence", 0) >= self._config["doubt_need_confidence"]:
                message.set(DISTRESS_DOUBT, round(score, 4), add_to_output=True)
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != DISTRESS]
            guarded = {"name": DISTRESS, "confidence": round(score, 4)}
            message.set(INTENT, guarded, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [guarded, *ranking], add_to_output=True)
        return messages
