"""What the slots say about the person, as the referral engine wants it.
"non_precise" (the person preferred not to say) counts as unknown."""
from __future__ import annotations

from typing import Any

from directory.vocabulary import Need, Public

DECLINED = "non_precise"
NEEDS = frozenset(member.value for member in Need)
PUBLICS = frozenset(member.value for member in Public)
MIN_AGE, MAX_AGE = 1, 129


def known_need(value: Any) -> str | None:
    return value if isinstance(value, str) and value in NEEDS else None


def known_public(value: Any) -> str | None:
    return value if isinstance(value, str) and value in PUBLICS else None


def known_age(value: Any) -> int | None:
    """An int age from a slot/entity value ("17", 17.0, "17 ans"), else None."""
    if value is None or isinstance(value, bool) or value == DECLINED:
        return None
    text = str(value).strip().split()[0] if str(value).strip() else ""
    try:
        age = int(float(text))
    except (ValueError, OverflowError):  # "1e999" (inf), "nan", a word
        return None
    return age if MIN_AGE <= age <= MAX_AGE else None


def flag(value: Any) -> bool:
    """Bool slots may hold True or the entity's string "true"."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "oui", "yes"}
    return bool(value)
