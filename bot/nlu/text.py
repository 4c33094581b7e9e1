"""Text folding for matching: lower case, no accents, one char per char, so that
offsets found in the folded text are offsets in the original message."""
from __future__ import annotations

import unicodedata

_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"}


def fold_char(char: str) -> str:
    char = _APOSTROPHES.get(char) or _DASHES.get(char) or char
    if char == "œ" or char == "Œ":
        return "œ"  # keeps one char: "oe" would shift every later offset
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    """"J'habite à Lucé" -> "j'habite a luce" (same length as the input)."""
    return "".join(fold_char(c) for c in text)
