"""E-mail addresses (own regex: Presidio's one needs tldextract, which may go online)."""
from __future__ import annotations

import re
from typing import Iterable

from .base import FinderRecognizer, Span

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b",
    re.IGNORECASE,
)


# Spelled out: "lucie point bernard arobase gmail point com".
_SPOKEN = re.compile(
    r"(?<![\w.])[\w.-]+(?:\s+point\s+[\w-]+)*\s+(?:arobase|arrobase|at)\s+[\w-]+"
    r"(?:\s+point\s+[\w-]+)+",
    re.IGNORECASE,
)


class EmailRecognizer(FinderRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    NAME = "FrenchEmailRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for pattern in (_EMAIL, _SPOKEN):
            for match in pattern.finditer(text):
                yield match.start(), match.end(), 1.0
