"""Dates of birth: any date after a birth cue; a bare full date only if it looks like one.

Plain years ("en 2019"), ages ("17 ans") and appointment dates (recent or future
years) are kept: the NLU needs them and they do not identify anyone.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from .base import FinderRecognizer, Span

_MONTHS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|"
    r"novembre|d[ée]cembre|janv\.?|f[ée]vr?\.?|avr\.?|juil\.?|sept?\.?|oct\.?|nov\.?|d[ée]c\.?"
)
_NUMERIC = r"(?P<d1>[0-3]?\d)\s?[/.\-]\s?(?P<m1>[01]?\d)\s?[/.\-]\s?(?P<y1>\d{4}|\d{2})"
_TEXTUAL = rf"(?P<d2>[0-3]?\d|1er)\s+(?P<m2>{_MONTHS})(?:\s+(?P<y2>\d{{4}}|\d{{2}}))?"
_DATE = rf"(?:{_NUMERIC}|{_TEXTUAL})"
_CUE = (
    r"(?:\bn[ée]e?s?\s+(?:le\s+)?|\bddn\s*:?\s*|\bdate\s+de\s+naissance\s*(?:est\s+)?(?:le\s+)?:?\s*"
    r"|\bnaissance\s*:?\s*(?:le\s+)?|\banniversaire\s*(?:est\s+)?(?:le\s+)?:?\s*)"
)
_CUED = re.compile(rf"{_CUE}(?P<date>{_DATE})(?![\w/])", re.IGNORECASE)
# "née en juin 2001": month and year after a birth cue (a plain year is kept).
_CUED_MONTH = re.compile(
    rf"\bn[ée]e?s?\s+(?:en\s+)?(?P<date>(?:{_MONTHS})\s+(?:\d{{4}}|\d{{2}}))(?![\w/])",
    re.IGNORECASE,
)
_BARE = re.compile(rf"(?<![\w/])(?P<date>{_DATE})(?![\w/])", re.IGNORECASE)


def _full_year(raw: str | None) -> int | None:
    if not raw:
        return None
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year <= dt.date.today().year % 100 else 1900
    return year


class BirthDateRecognizer(FinderRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    NAME = "BirthDateRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for pattern in (_CUED, _CUED_MONTH):
            for match in pattern.finditer(text):
                yield match.start("date"), match.end("date"), 1.0
        # Without a cue: a complete date whose year is a plausible birth year
        # (ten years ago or more); recent/future dates are appointments.
        latest = dt.date.today().year - 10
        for match in _BARE.finditer(text):
            year = _full_year(match.group("y1") or match.group("y2"))
            if year is not None and 1900 <= year <= latest:
                yield match.start("date"), match.end("date"), 0.6
