"""The French word list that keeps everyday words from being read as misspelt communes."""
import pytest

from directory.communes.lexicon import is_french_word


@pytest.mark.parametrize("word", [
    "sante", "galere", "bureau", "caisse", "mairie", "vente", "ventes", "personne",
    "hotellerie", "tendu", "travaux", "metaux", "creche",
])
def test_everyday_words_are_french(word):
    assert is_french_word(word)


@pytest.mark.parametrize("word", ["lorient", "dreux", "brieuc", "luce", "brest", "sant", "rennnes"])
def test_place_names_and_typos_are_not(word):
    assert not is_french_word(word)


def test_inflected_forms_are_known_as_typed_with_their_accents():
    assert is_french_word("boulangeres", "boulangères")
