"""IBAN (FR76… and other countries), grouped by 4 or not, validated by python-stdnum:
the country's length and account format as well as mod 97. Mod 97 alone accepts
about one random string in 97, and the longest-prefix search below tries up to
twenty of them: "XK4471ZQ et je cherche u" passed, and the end of a sentence was
lost to <IBAN>."""
from __future__ import annotations

import re
from typing import Iterable

from .base import FinderRecognizer, Span

_CANDIDATE = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){10,30}", re.IGNORECASE)


def iban_is_valid(compact: str) -> bool:
    from stdnum import iban

    # check_country=False: the format of the IBAN registry, not the national bank lists
    # (which would refuse a real account of a bank missing from them).
    return iban.is_valid(compact.upper(), check_country=False)


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
