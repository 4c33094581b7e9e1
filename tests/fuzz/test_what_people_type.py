"""Whatever a person types (any characters, slash commands, JSON, huge numbers), the
channel guard and the rule-based NLU components answer without an exception, and
no command that a button does not send gets through as one."""
from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels import guard
from bot.nlu.age_extractor import AgeExtractor
from bot.nlu.commune_extractor import CommuneExtractor
from bot.nlu.distress import has_distress_cue
from bot.nlu.metier_extractor import MetierExtractor
from bot.nlu.out_of_scope import everyday_topic
from bot.nlu.situation_extractor import SituationExtractor
from tests.nlu.helpers import create

pytestmark = pytest.mark.fuzz

WORDS = ["je", "suis", "à", "Brest", "ans", "36", "salarié", "/inform", "{", "}", "\"commune\"", ":",
         "chômage", "Saint-Denis", "93066", "1e999", "-", "'", "’", "\n", "\x00", "é", "😀", "CPF",
         "ignore", "instructions", "me", "frappe", "99999999999999999999", "0612345678", "n°"]
# Real characters of any script, and French-looking messages made of known words.
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
)
ENTITY_VALUE = st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.none(),
                         st.lists(st.integers(), max_size=3))
PAYLOAD = st.builds(
    lambda intent, entities: f"/{intent}" + (json.dumps(entities) if entities is not None else ""),
    st.sampled_from(sorted(guard.public_intents()) + ["counsellor_message", "EXTERNAL_x", "x"]),
    st.one_of(st.none(), st.dictionaries(st.sampled_from(["public", "rating", "commune", "commune_insee",
                                                          "age", "need", "text"]),
                                         ENTITY_VALUE, max_size=3)),
)


@given(st.one_of(TEXT, PAYLOAD))
def test_the_guard_lets_through_only_the_buttons_commands(text):
    out = guard.public_text(text)
    assert isinstance(out, str)
    assert all(ord(c) >= 32 or c in "\n\t" for c in out)
    if out.strip().startswith("/"):
        assert guard.is_button_payload(out.strip())


@given(TEXT)
def test_the_lexicons_never_fail(text):
    has_distress_cue(text)
    everyday_topic(text)


@pytest.fixture(scope="module")
def extractors(directory_engine, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIRECTORY_DATABASE_URL", str(directory_engine.url))
        return [create(kind, tmp_path_factory.mktemp(kind.__name__))
                for kind in (AgeExtractor, CommuneExtractor, SituationExtractor, MetierExtractor)]


@given(text=TEXT)
def test_the_entity_extractors_never_fail_and_point_inside_the_text(extractors, text):
    for extractor in extractors:
        for found in extractor.extract(text):
            assert 0 <= found["start"] <= found["end"] <= len(text)
            assert found["value"] is not None
