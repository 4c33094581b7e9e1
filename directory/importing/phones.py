"""Light clean-up of phone numbers as the sources write them."""
from __future__ import annotations

import re

import phonenumbers

# Numbering plans dialled from France with a leading 0 (metropolitan France and
# overseas départements/collectivities sharing the French plan).
_FRENCH_PLAN_REGIONS = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"}
_WRITTEN_NATIONALLY = re.compile(r"0[\d ]+")


def clean_phone(raw: str | None) -> str | None:
    """Keeps the number(s), drops what surrounds them.

    "08 09 36 12 12 / Numéro gris : service gratuit + prix d'un appel…" gives
    "08 09 36 12 12"; "+590 5 90 93 76 00" gives "05 90 93 76 00"; two numbers are
    kept, separated by " / ". A number already written as digits and spaces is kept
    as written ("0 800 222 100"). Text with no valid number is kept as is: a number
    is never guessed.
    """
    if raw is None or not raw.strip():
        return None
    text = " ".join(raw.split())
    numbers: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(text, "FR"):
        written = match.raw_string.strip()
        formatted = written if _WRITTEN_NATIONALLY.fullmatch(written) else _format(match.number)
        if formatted not in numbers:
            numbers.append(formatted)
    return " / ".join(numbers) if numbers else text


def _format(number: phonenumbers.PhoneNumber) -> str:
    if phonenumbers.region_code_for_number(number) in _FRENCH_PLAN_REGIONS:
        digits = "0" + phonenumbers.national_significant_number(number)
        if len(digits) == 10:
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
