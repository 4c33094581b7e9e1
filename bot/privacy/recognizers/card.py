"""Bank card numbers: 13 to 19 digits (spaces/dashes allowed) passing the Luhn check."""
from __future__ import annotations

import re
from typing import Iterable

from .base import FinderRecognizer, Span

_CARD = re.compile(r"(?<![\w])\d(?:[ -]?\d){12,18}(?![\w])")


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


class CardRecognizer(FinderRecognizer):
    ENTITY = "CREDIT_CARD"
    NAME = "CardRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for match in _CARD.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if luhn_is_valid(digits):
                yield match.start(), match.end(), 0.95  # NIR/IBAN win a tie
