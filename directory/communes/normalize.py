"""Normalisation of commune names as citizens type them.

"Saint-Brieuc", "st brieuc", "ST BRIEUC" and "saint brieuc" must give the same key, and
"Le Mans", "le mans" and "mans" must meet too. A key is a space-separated string of
lower-case ASCII tokens; `strip_article` gives the key without its leading article.
"""
from __future__ import annotations

import re
import unicodedata

ARTICLES = frozenset({"le", "la", "les", "l"})

# Abbreviations people type; "st" never means anything else in a commune name.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

# "15e", "15eme", "15ieme", "1er", "1ere": arrondissement ordinals, reduced to the number.
_ORDINAL = re.compile(r"^(\d{1,2})(?:e|eme|ieme|em|er|ere|ier|iere)$")
_ORDINAL_SUFFIXES = frozenset({"e", "eme", "ieme", "em", "er", "ere"})
_ARRONDISSEMENT_WORDS = frozenset({"arrondissement", "arrondissements", "arr", "arrt", "arrdt", "ardt"})

_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, no accents, ligatures spelled out: "Œuilly" -> "oeuilly"."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalize_token(token: str) -> str:
    """One already-folded token: abbreviations expanded, ordinals reduced."""
    token = _ABBREVIATIONS.get(token, token)
    match = _ORDINAL.match(token)
    return match.group(1) if match else token


def tokens(text: str) -> list[str]:
    """Folded, normalised tokens; punctuation, hyphens and apostrophes split words."""
    raw = [normalize_token(t) for t in _TOKEN.findall(fold(text))]
    out: list[str] = []
    skip_digits = False
    for token in raw:
        if token == "cedex":  # "Rennes Cedex 9": Cedex and its number are not the commune
            skip_digits = True
            continue
        if skip_digits and token.isdigit() and len(token) <= 2:
            continue
        skip_digits = False
        if out and out[-1].isdigit() and (token in _ORDINAL_SUFFIXES or _is_arrondissement_word(token)):
            continue  # "15 eme", "15e arrondissement", "15e arondisement"
        out.append(token)
    return out


def _is_arrondissement_word(token: str) -> bool:
    # Also its misspellings: "arondissement", "arrondisement", "arrdt".
    return token in _ARRONDISSEMENT_WORDS or (len(token) >= 6 and token.startswith(("arr", "aron")))


def normalize(text: str) -> str:
    """The key of `text`, article kept: "Le Mans" -> "le mans", "St-Brieuc" -> "saint brieuc"."""
    return " ".join(tokens(text))


def strip_article(key: str) -> str:
    """The key without its leading article: "le mans" -> "mans"; "l abergement" -> "abergement"."""
    head, _, rest = key.partition(" ")
    return rest if head in ARTICLES and rest else key
