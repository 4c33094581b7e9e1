"""Rasa's DIETClassifier, trained on batches of messages of similar length.

Rasa pads every batch to its longest message. Our training data mixes three-word
messages with long life stories, so a shuffled batch was mostly padding, and the
transformer spent most of each epoch on it (about 8 s an epoch on two cores). Here
each epoch still sees every example once, in batches of similar length taken in a
shuffled order: the same model, trained on a fraction of the padding.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils import train_utils
from rasa.utils.tensorflow.constants import RANDOM_SEED, SEQUENCE_LENGTH
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import Data

# Examples are sorted by length inside windows of this many batches: wide enough to
# group similar lengths, narrow enough that a batch still mixes many intents (DIET
# draws its negative examples from the batch). Measured with `bench.nlu`.
BATCHES_PER_WINDOW = "batches_per_window"
DEFAULT_BATCHES_PER_WINDOW = 10


def length_bucketed_order(
    lengths: np.ndarray,
    batch_size: int,
    rng: np.random.Generator,
    batches_per_window: int = DEFAULT_BATCHES_PER_WINDOW,
) -> np.ndarray:
    """An order of all examples where each run of `batch_size` has similar lengths.

    The runs are shuffled; a last, shorter run stays at the end so that the
    generator's fixed-size slices fall on run boundaries.
    """
    window = batch_size * batches_per_window
    runs: list[np.ndarray] = []
    for start in range(0, len(lengths), window):
        part = np.arange(start, min(len(lengths), start + window))
        ordered = part[np.argsort(lengths[part], kind="stable")]
        runs += [ordered[i:i + batch_size] for i in range(0, len(ordered), batch_size)]
    full = [run for run in runs if len(run) == batch_size]
    partial_runs = [run for run in runs if len(run) < batch_size]
    shuffled = [full[i] for i in rng.permutation(len(full))]
    return np.concatenate(shuffled + partial_runs) if runs else np.arange(0)


class LengthBucketedBatchDataGenerator(RasaBatchDataGenerator):
    """Rasa's batch generator (shuffling, balancing, growing batch size), then
    each epoch's examples reordered by `length_bucketed_order`."""

    def __init__(
        self,
        *args: Any,
        random_seed: int | None = None,
        batches_per_window: int = DEFAULT_BATCHES_PER_WINDOW,
        **kwargs: Any,
    ) -> None:
        # Set before the parent constructor: it prepares the first epoch.
        self._rng = np.random.default_rng(random_seed)
        self._batches_per_window = batches_per_window
        super().__init__(*args, **kwargs)

    def _shuffle_and_balance(self, batch_size: int) -> Data:
        data = super()._shuffle_and_balance(batch_size)
        # DIET's model data always carries the token count of each text.
        lengths = np.asarray(data[TEXT][SEQUENCE_LENGTH][0], dtype=int)
        order = length_bucketed_order(lengths, batch_size, self._rng, self._batches_per_window)
        return self.model_data._data_for_ids(data, order)


@contextmanager
def length_bucketed_batches(random_seed: int | None, batches_per_window: int) -> Iterator[None]:
    """DIET builds its generators through `train_utils`: give it ours meanwhile."""
    original = train_utils.RasaBatchDataGenerator
    train_utils.RasaBatchDataGenerator = partial(
        LengthBucketedBatchDataGenerator, random_seed=random_seed, batches_per_window=batches_per_window
    )
    try:
        yield
    finally:
        train_utils.RasaBatchDataGenerator = original


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class LengthBucketedDIETClassifier(DIETClassifier):
    """DIETClassifier, same options and same model; only the batch order differs."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DIETClassifier.get_default_config(), BATCHES_PER_WINDOW: DEFAULT_BATCHES_PER_WINDOW}

    def train(self, training_data: TrainingData) -> Resource:
        config = self.component_config
        with length_bucketed_batches(config[RANDOM_SEED], config[BATCHES_PER_WINDOW]):
            return super().train(training_data)
