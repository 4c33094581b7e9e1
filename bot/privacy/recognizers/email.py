"""E-mail addresses (own regex: Presidio's one needs tldextract, which may go online)."""
from __future__ import annotations

import re
from typing import Iterable

from .base import FinderRecognizer, Span

_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b",
    re.IGNORECASE,
)


class EmailRecognizer(FinderRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    NAME = "FrenchEmailRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for match in _EMAIL.finditer(text):
            yield match.start(), match.end(), 1.0
