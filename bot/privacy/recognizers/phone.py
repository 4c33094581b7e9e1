"""French phone numbers: libphonenumber first, a strict regex as safety net."""
from __future__ import annotations

import re
from typing import Iterable

import phonenumbers

from .base import FinderRecognizer, Span

# Ten digits starting with 0, or +33/0033 and nine digits, any usual separators.
_FALLBACK = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?[1-9]|0[1-9])(?:[\s.\-/]?\d{2}){4}(?!\d)"
)


class FrenchPhoneRecognizer(FinderRecognizer):
    ENTITY = "PHONE_NUMBER"
    NAME = "FrenchPhoneRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for match in phonenumbers.PhoneNumberMatcher(
            text, "FR", leniency=phonenumbers.Leniency.POSSIBLE
        ):
            digits = re.sub(r"\D", "", match.raw_string)
            if len(digits) >= 9:  # ignore short codes, postcodes, years
                yield match.start, match.end, 1.0
        for match in _FALLBACK.finditer(text):
            yield match.start(), match.end(), 0.9
