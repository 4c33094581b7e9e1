"""Reading a French phone number in what the person wrote (06 12 34 56 78,
06.12.34.56.78, +33 6 12 34 56 78, 0033…, overseas départements), and the moment
they prefer to be called if they say it in the same message."""
from __future__ import annotations

import re
from typing import Optional

import phonenumbers

# Metropolitan France and the overseas départements/collectivités numbered like it.
FRENCH_REGIONS = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"})
MOMENTS = (  # (pattern, label shown to the counsellor), first match wins
    (r"apr[eè]s[- ]?midi|aprem", "l'après-midi"),
    (r"\bmatin(ée)?\b", "le matin"),
    (r"\bmidi\b|d[ée]jeuner", "à midi"),
    (r"\bsoir(ée)?\b|apr[eè]s \d{1,2} ?h", "le soir"),
    (r"\bn'importe quand\b|\bquand vous voulez\b", "n'importe quand"),
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")


def find_number(text: str) -> Optional[str]:
    """The first valid French number in `text`, in E.164 (+33612345678), or None."""
    for match in phonenumbers.PhoneNumberMatcher(text, "FR"):
        number = match.number
        if (phonenumbers.is_valid_number(number)
                and phonenumbers.region_code_for_number(number) in FRENCH_REGIONS):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # The matcher skips numbers glued to words ("tel:0612345678"): try the digits alone.
    for candidate in re.findall(r"(?:\+|00)?\d[\d .-]{7,}\d", text):
        try:
            number = phonenumbers.parse(candidate, "FR")
        except phonenumbers.NumberParseException:
            continue
        if (phonenumbers.is_valid_number(number)
                and phonenumbers.region_code_for_number(number) in FRENCH_REGIONS):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def for_display(e164: str) -> str:
    """06 12 34 56 78 for a counsellor dialling from France."""
    number = phonenumbers.parse(e164, "FR")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def find_moment(text: str) -> Optional[str]:
    """'le matin', 'mardi l'après-midi'… if the person said when; never the number."""
    lowered = text.lower()
    day = next((d for d in WEEKDAYS if re.search(rf"\b{d}\b", lowered)), None)
    moment = next((label for pattern, label in MOMENTS if re.search(pattern, lowered)), None)
    if day and moment:
        return f"{day} {moment}"
    return day or moment
