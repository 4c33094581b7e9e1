"""IBAN (FR76… and other countries), grouped by 4 or not, validated by mod 97."""
from __future__ import annotations

import re
from typing import Iterable

from .base import FinderRecognizer, Span

_CANDIDATE = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30}", re.IGNORECASE)


def iban_is_valid(compact: str) -> bool:
    compact = compact.upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


class IbanRecognizer(FinderRecognizer):
    ENTITY = "IBAN_CODE"
    NAME = "IbanRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for match in _CANDIDATE.finditer(text):
            raw = match.group()
            # The regex may swallow a following word: try the longest valid prefix.
            for end in range(len(raw), 14, -1):
                if raw[end - 1] == " ":
                    continue
                if iban_is_valid(raw[:end].replace(" ", "")):
                    yield match.start(), match.start() + end, 1.0
                    break
