"""actions/person.py: slot values from any source are checked, never trusted."""
import pytest

from actions.person import known_age, known_need, known_public


@pytest.mark.parametrize("value, age", [
    ("17", 17), (17.0, 17), ("17 ans", 17), (34, 34),
    ("1e999", None), (float("inf"), None), ("nan", None), ("-3", None), ("250", None),
    (True, None), ("", None), ("   ", None), ("dix-sept", None), (None, None),
])
def test_ages(value, age):
    assert known_age(value) == age


@pytest.mark.parametrize("value", ["salarie'; drop table", "<script>", 3, None, ["salarie"]])
def test_unknown_publics_and_needs_are_dropped(value):
    assert known_public(value) is None
    assert known_need(value) is None
