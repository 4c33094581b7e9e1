"""Length-bucketed batches: every example once per epoch, far less padding."""
import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.constants import TEXT
from rasa.utils.tensorflow.constants import BALANCED, SEQUENCE, SEQUENCE_LENGTH
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import FeatureArray, RasaModelData

from bot.nlu.bucketed_diet import LengthBucketedBatchDataGenerator, length_bucketed_order


def padded_tokens(lengths: np.ndarray, batch_size: int) -> int:
    """Tokens a model computes on when each batch is padded to its longest example."""
    batches = np.array_split(lengths, range(batch_size, len(lengths), batch_size))
    return sum(len(batch) * batch.max() for batch in batches)


@pytest.fixture
def lengths():
    # Like our data: mostly short messages, some long life stories.
    rng = np.random.default_rng(0)
    return np.concatenate([rng.integers(2, 12, 900), rng.integers(25, 48, 100)])


def test_order_keeps_every_example_once(lengths):
    order = length_bucketed_order(lengths, 64, np.random.default_rng(1))
    assert sorted(order) == list(range(len(lengths)))


def test_order_cuts_most_of_the_padding(lengths):
    shuffled = np.random.default_rng(2).permutation(len(lengths))
    bucketed = length_bucketed_order(lengths[shuffled], 64, np.random.default_rng(1))
    assert padded_tokens(lengths[shuffled][bucketed], 64) < 0.5 * padded_tokens(lengths[shuffled], 64)


def test_order_is_reproducible_and_shuffles_the_batches(lengths):
    first = length_bucketed_order(lengths, 64, np.random.default_rng(1))
    assert np.array_equal(first, length_bucketed_order(lengths, 64, np.random.default_rng(1)))
    assert not np.array_equal(first, length_bucketed_order(lengths, 64, np.random.default_rng(2)))


def test_short_last_run_stays_last():
    lengths = np.arange(100)
    order = length_bucketed_order(lengths, 64, np.random.default_rng(3))
    assert set(order[64:]) == set(range(64, 100))


def _model_data(lengths: np.ndarray) -> RasaModelData:
    sequences = np.empty(len(lengths), dtype=object)
    sequences[:] = [scipy.sparse.coo_matrix(np.ones((n, 3))) for n in lengths]
    labels = np.array([[i % 5] for i in range(len(lengths))])
    return RasaModelData(
        label_key="label",
        label_sub_key="ids",
        data={
            TEXT: {
                SEQUENCE: [FeatureArray(sequences, number_of_dimensions=3)],
                SEQUENCE_LENGTH: [FeatureArray(np.array(lengths), number_of_dimensions=1)],
            },
            "label": {"ids": [FeatureArray(labels, number_of_dimensions=2)]},
        },
    )


def _epoch_padding(generator: RasaBatchDataGenerator) -> tuple[int, list[int]]:
    batch_size = generator._current_batch_size
    seen = np.asarray(generator._data[TEXT][SEQUENCE_LENGTH][0], dtype=int)
    return padded_tokens(seen, batch_size), sorted(seen.tolist())


def test_rasa_generator_with_buckets_sees_the_same_examples_with_less_padding(lengths):
    options = dict(batch_size=[64, 256], epochs=3, batch_strategy=BALANCED, shuffle=True)
    rasa = RasaBatchDataGenerator(_model_data(lengths), **options)
    ours = LengthBucketedBatchDataGenerator(_model_data(lengths), random_seed=42, **options)
    for _ in range(3):
        rasa_padding, rasa_examples = _epoch_padding(rasa)
        our_padding, our_examples = _epoch_padding(ours)
        assert our_examples == rasa_examples
        assert our_padding < 0.5 * rasa_padding
        assert len(ours) == len(rasa)
        rasa.on_epoch_end()
        ours.on_epoch_end()
