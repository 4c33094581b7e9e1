"""Administrative identifiers: a file, student, passport, SIRET, allocataire or France
Travail number. Two rules, each with the useful values it leaves alone:

- after a cue word (numéro, n°, identifiant, dossier, passeport, SIRET, carte,
  matricule…), the next code holding digits within the same sentence is personal,
  unless it is a year, a date, a ROME or RNCP code, or too short to identify anyone;
- any run of six digits or more is personal, unless it is an amount (€, euros), a
  school year ("2024-2025") or a date.

Phone numbers, NIR, IBAN and cards have their own recognizers, which win a tie.
"""
from __future__ import annotations

import re
from typing import Iterable

from .base import FinderRecognizer, Span

_CUE = re.compile(
    r"(?<![\w])(?:num[ée]ros?|num|n°|nº|no\.|identifiants?|id|dossiers?|passeport|passport|"
    r"siret|siren|cartes?|matricule|r[ée]f[ée]rences?|r[ée]f\.?|immatriculation|"
    r"allocataire|badge|adh[ée]rent|ine)(?![\w])",
    re.IGNORECASE,
)
# A code: letters and digits, digit groups joined by a space, dot, dash or slash.
_CODE = re.compile(r"(?<![\w])[A-Za-z]*\d[A-Za-z0-9]*(?:[ .\-/]\d[A-Za-z0-9]*)*")
_SENTENCE_END = re.compile(r"[.!?;\n]\s|[.!?;\n]$|\n")
_WINDOW = 60  # characters after the cue where its code may be
_YEAR = re.compile(r"(?:19|20)\d\d")
_USEFUL_CODE = re.compile(r"(?:[A-Na-n]\d{4}|(?:rncp|rs)\s?\d+)", re.IGNORECASE)
_RUN = re.compile(r"(?<![\w])\d+(?:[ .\-]?\d+)*")
_AMOUNT_AFTER = re.compile(r"\s*(?:€|k€|euros?\b|eur\b|brut|net)", re.IGNORECASE)
_SCHOOL_YEAR = re.compile(r"(?:19|20)\d\d\s?[-/ ]\s?(?:19|20)\d\d")
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _after_cue(text: str) -> Iterable[tuple[int, int]]:
    for cue in _CUE.finditer(text):
        window = text[cue.end():cue.end() + _WINDOW]
        end = _SENTENCE_END.search(window)
        if end:
            window = window[:end.start()]
        for code in _CODE.finditer(window):
            value = code.group().strip(" .-/")
            if _YEAR.fullmatch(value) or _USEFUL_CODE.fullmatch(value) or _DATE.fullmatch(value):
                continue
            has_letters = any(ch.isalpha() for ch in value)
            if _digits(value) >= 5 or (has_letters and _digits(value) >= 2 and len(value) >= 5):
                start = cue.end() + code.start()
                yield start, start + len(value)
                break


def _long_runs(text: str) -> Iterable[tuple[int, int]]:
    for run in _RUN.finditer(text):
        value = run.group()
        if _digits(value) < 6:
            continue
        if _AMOUNT_AFTER.match(text, run.end()):
            continue
        if _SCHOOL_YEAR.fullmatch(value) or _DATE.fullmatch(value):
            continue
        yield run.start(), run.end()


class IdentifierRecognizer(FinderRecognizer):
    ENTITY = "FR_IDENTIFIER"
    NAME = "IdentifierRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for start, end in _after_cue(text):
            yield start, end, 0.85
        for start, end in _long_runs(text):
            yield start, end, 0.6
