"""French street addresses: number (+ bis/ter) + type of way + name; lieu-dit; flats.

The commune and postcode that follow are kept (the service needs them).
"""
from __future__ import annotations

import re
from typing import Iterable

from .base import FinderRecognizer, Span

_WAYS = (
    r"rue|ruelle|avenue|av\.?|bd\.?|bld\.?|boulevard|place|pl\.|chemin|ch\.|impasse|imp\.?|"
    r"all[ée]e|route|rte\.?|quai|cours|square|sq\.?|r[ée]sidence|r[ée]s\.?|lotissement|lot\.?|"
    r"hameau|chauss[ée]e|passage|voie|sentier|cit[ée]|rond[- ]point|faubourg|fbg\.?|"
    r"promenade|esplanade|parvis|mail|mont[ée]e|traverse|villa|domaine|clos|venelle|"
    r"zone\s+artisanale|za|zi|zac"
)
# Words that end a street name (what follows is the commune, the sentence…).
_STOP = (
    r"à|a|au|et|je|j|on|il|elle|pour|mais|donc|dans|chez|sur|vers|près|pres|depuis|"
    r"c|ça|ca|qui|que|mon|ma|mes|est|suis|merci|bonjour|svp|cedex|en|avec|ou|où"
)
_NAME_WORD = rf"(?!(?:{_STOP})\b)(?!\d{{5}}\b)[\w'’\-]+\.?"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}"
_NUMBER = r"\d{1,4}\s?(?:bis|ter|quater|b|t)?\b,?"
_NUMBERED = re.compile(
    rf"(?<![\w/])(?:{_NUMBER}\s*(?:{_WAYS})\b\.?\s+{_NAME})", re.IGNORECASE
)
# No number: only "lieu-dit X", or a way after "j'habite / je vis / adresse".
_LIEU_DIT = re.compile(rf"\blieu[- ]dit\s+{_NAME}", re.IGNORECASE)
_CUED = re.compile(
    rf"\b(?:habite|vis|r[ée]side|demeure|adresse\s*(?:est|c'est|:)?)\s+"
    rf"(?:au|à|a|en|dans\s+la|dans\s+le|sur\s+la|sur\s+le|l[ae])?\s*"
    rf"(?P<addr>(?:{_WAYS})\b\.?\s+{_NAME})",
    re.IGNORECASE,
)
# Flat details need an identifier ("bât B", "appt 12"): "le bâtiment", "porter" stay.
_FLAT = re.compile(
    r"\b(?:appartement|appart|appt|apt|b[âa]timent|b[âa]t|escalier|esc|porte|[ée]tage)\b\.?\s*"
    r"(?:n[°o]\s*)?(?-i:\d{1,4}[A-Z]?|[A-Z]\d{0,3})\b",
    re.IGNORECASE,
)
_POSTBOX = re.compile(r"\b(?:BP|CS)\s?\d{2,6}\b")


class AddressRecognizer(FinderRecognizer):
    ENTITY = "FR_ADDRESS"
    NAME = "FrenchAddressRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for pattern in (_NUMBERED, _LIEU_DIT):
            for match in pattern.finditer(text):
                yield match.start(), _trim(text, match.start(), match.end()), 0.95
        for match in _CUED.finditer(text):
            yield match.start("addr"), _trim(text, match.start("addr"), match.end("addr")), 0.85
        for pattern in (_FLAT, _POSTBOX):
            for match in pattern.finditer(text):
                yield match.start(), match.end(), 0.8


def _trim(text: str, start: int, end: int) -> int:
    """Drop trailing punctuation from the span."""
    while end > start and text[end - 1] in " ,.;:!?":
        end -= 1
    return end
