"""French social security number (NIR): 13 digits + 2-digit key, spaces optional."""
from __future__ import annotations

import re
from typing import Iterable

from .base import FinderRecognizer, Span

_NIR = re.compile(
    r"(?<![\w])([12378])[\s.]?(\d{2})[\s.]?(\d{2})[\s.]?(\d{2}|2A|2B)[\s.]?(\d{3})"
    r"[\s.]?(\d{3})(?:[\s.]?(\d{2}))?(?![\w])",
    re.IGNORECASE,
)


def nir_key(body13: str) -> int:
    """Key = 97 - (number mod 97); Corsica 2A/2B count as 19/18."""
    body = body13.upper().replace("2A", "19").replace("2B", "18")
    return 97 - int(body) % 97


class NirRecognizer(FinderRecognizer):
    ENTITY = "FR_NIR"
    NAME = "FrenchNirRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for match in _NIR.finditer(text):
            sex, year, month, dept, commune, order, key = match.groups()
            if not (1 <= int(month) <= 12 or 20 <= int(month) <= 99):
                continue
            body = f"{sex}{year}{month}{dept}{commune}{order}"
            if key is None:
                yield match.start(), match.end(), 0.7  # 13-digit form, no key given
            elif int(key) == nir_key(body):
                yield match.start(), match.end(), 1.0
            else:
                # Wrong key: likely a typo of a real NIR; still too specific to keep.
                yield match.start(), match.end(), 0.6
