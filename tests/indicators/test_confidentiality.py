"""Statistical confidentiality: every count under the threshold is hidden, and no
hidden count under the threshold can be worked out from what is published (linear
programming over the published totals finds more than one possible value)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from bot.indicators.confidentiality import TOTAL, label, lines, protect, value_range, with_margins

THRESHOLD = 5


tables = st.integers(1, 3).flatmap(lambda dims: st.dictionaries(
    st.tuples(*[st.sampled_from("abcd")] * dims), st.integers(1, 12), min_size=1, max_size=12))


@settings(max_examples=150, deadline=None)
@given(tables)
def test_no_small_count_can_be_recomputed(cells):
    published = protect(cells, THRESHOLD)
    full = with_margins(cells)
    hidden = {k for k, v in published.items() if v is None}
    small = {k for k, v in full.items() if 0 < v < THRESHOLD}
    for key, value in full.items():
        # What the page shows is true: the value, "< 5" when small, "secret" otherwise.
        assert label(value, published[key], THRESHOLD) == (
            str(value) if key not in hidden else "< 5" if key in small else "secret")
        if key in small:
            assert published[key] is None, key
            # Knowing every published figure and which hidden ones are "< 5", the
            # reader still finds more than one possible value.
            low, high = value_range(full, lines(full), hidden, key, small, THRESHOLD)
            assert high - low >= 1 - 1e-6, (key, value, low, high)


def test_a_single_small_cell_takes_its_neighbour_and_not_more():
    published = protect({("brest", "vae"): 3, ("brest", "formation"): 40, ("quimper", "vae"): 20,
                         ("quimper", "formation"): 30})
    hidden = {key for key, value in published.items() if value is None}
    # 3 hidden; its row and column each need a second hidden value: the smallest of
    # each line, and the diagonal so that the margins still add up.
    assert ("brest", "vae") in hidden and published[(TOTAL, TOTAL)] == 93
    assert published[("brest", TOTAL)] == 43 and published[(TOTAL, "vae")] == 23
    assert len(hidden) == 4


def test_one_conversation_alone_hides_its_total_too():
    assert protect({("29",): 1}) == {("29",): None, (TOTAL,): None}
    assert protect({}) == {}
