"""Finds the age a person states about themselves (or their child) in French text.

Pure logic, no Rasa: "j'ai 17 ans", "17ans", "agé de 45 ans", "45 balais",
"dix-sept ans", "je vais avoir 16 ans"; but not durations ("depuis 2 ans",
"il y a 10 ans", "10 ans d'expérience") nor years, levels or postcodes."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.text import fold

MIN_AGE, MAX_AGE = 10, 99

_UNITS = ["", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"]
_TEENS = ["dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
          "dix-sept", "dix-huit", "dix-neuf"]
_TENS = {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante",
         70: "septante", 80: "huitante", 90: "nonante"}


def _number_words() -> dict[str, int]:
    """French number words 10..99, hyphenated ("vingt-et-un", "soixante-dix-sept")."""
    words = {teen: 10 + i for i, teen in enumerate(_TEENS)}
    for tens, word in _TENS.items():
        words[word] = tens
        for unit in range(1, 10):
            link = "-et-" if unit == 1 and tens < 80 else "-"
            words[f"{word}{link}{_UNITS[unit]}"] = tens + unit
    # France: 70-79 and 90-99 are built on soixante / quatre-vingt.
    for base, start in (("soixante", 70), ("quatre-vingt", 90)):
        for i, teen in enumerate(_TEENS):
            link = "-et-" if base == "soixante" and i == 1 else "-"
            words[f"{base}{link}{teen}"] = start + i
    words["quatre-vingts"] = words["quatre-vingt"] = words["octante"] = 80
    for unit in range(1, 10):
        words[f"quatre-vingt-{_UNITS[unit]}"] = 80 + unit
        words[f"octante-{_UNITS[unit]}"] = 80 + unit
    return words


NUMBER_WORDS = _number_words()
_WORD_NUMBER = "|".join(
    sorted((w.replace("-", r"[-\s]+") for w in NUMBER_WORDS), key=len, reverse=True)
)
# Glued "17a"/"17ans" or spaced "17 ans"; slang units too.
_UNIT = r"(?:ans?|balais|piges?|berges?|printemps)\b"
_CANDIDATE = re.compile(
    rf"(?<![\w+/.,-])(?:(?P<digits>\d{{2}})(?:\s*{_UNIT}|a\b)|(?P<words>{_WORD_NUMBER})\s+{_UNIT})"
)
# "mon âge : 45", "age 45" (no unit needed after the word "âge").
_AGE_WORD = re.compile(r"\bage\s*(?:[:=]|est de|c'est|est)?\s*(?P<digits>\d{2})\b(?!\s*[\d%€h])")

# Verbs after which a number of years is an age ("j'ai 17", "mon fils a 15",
# "je vais avoir 16"); "il y a 10 ans" and "j'ai travaillé 10 ans" are excluded.
_HAVE = {"ai", "jai", "g", "a", "as", "avez", "avons", "ont", "avoir", "aurai", "aura",
         "auras", "aurez", "aurons", "auront", "aurais", "aurait", "eu", "moi", "fete", "feter", "feterai", "fetera"}
_SKIPPED = {"bientot", "presque", "deja", "juste", "seulement", "tout", "a", "peine",
            "pile", "que", "qu", "environ", "pas", "encore", "meme", "genre", "quasi",
            "quasiment", "enfin", "maintenant", "actuellement", "mes", "ses",
            "bien", "officiellement", "bon", "euh"}
_PERSONS = {"fils", "fille", "enfant", "gamin", "gamine", "ado", "adolescent",
            "adolescente", "jeune", "garcon", "homme", "femme", "personne", "neveu",
            "niece", "frere", "soeur", "sœur", "moi", "age", "agee", "ages", "agees"}
_OPENERS = {"bonjour", "bonsoir", "salut", "slt", "bjr", "moi", "hello", "coucou"}
_TOKEN = re.compile(r"[\w-]+|[^\w\s']")
# Right context meaning a duration ("10 ans d'expérience", "2 ans de chômage").
_DURATION_AFTER = re.compile(
    r"^\s*(?:d'|de\b|dans\b|chez\b|comme\b|en tant\b|au\b|a la\b|a l'|passe|plus tot|"
    r"plus tard|apres|auparavant|que je|qu'il|qu'elle|maintenant que|deja que)"
)


@dataclass(frozen=True)
class AgeMention:
    start: int
    end: int
    age: int


def find_ages(text: str) -> list[AgeMention]:
    folded = fold(text)
    mentions = []
    for match in _CANDIDATE.finditer(folded):
        age = _value(match)
        if age is None or not MIN_AGE <= age <= MAX_AGE:
            continue
        before = folded[max(0, match.start() - 60) : match.start()]
        after = folded[match.end() : match.end() + 30]
        if _is_age_context(before) and not _DURATION_AFTER.match(after):
            mentions.append(AgeMention(match.start(), match.end(), age))
    if not mentions:
        for match in _AGE_WORD.finditer(folded):
            age = int(match.group("digits"))
            if MIN_AGE <= age <= MAX_AGE:
                mentions.append(AgeMention(match.start("digits"), match.end("digits"), age))
    return mentions


def _value(match: re.Match) -> int | None:
    if match.group("digits"):
        return int(match.group("digits"))
    key = re.sub(r"[-\s]+", "-", match.group("words"))
    return NUMBER_WORDS.get(key)


def _is_age_context(before: str) -> bool:
    tokens = _TOKEN.findall(before)
    if not tokens:
        return True  # the message starts with the age: "17 ans, je cherche..."
    last = tokens[-1]
    if last in _PERSONS and len(tokens) == 1:
        return True
    if last in ("de", "d") and len(tokens) >= 2 and tokens[-2] in _PERSONS:
        return True  # "mon fils de 15 ans", "agée de 45 ans"
    # Skip adverbs, but "a" stays a verb when it is the last word ("il a 15 ans").
    i = len(tokens) - 1
    while i > 0 and tokens[i] in _SKIPPED and tokens[i] != "a":
        i -= 1
    word = tokens[i]
    if word in _HAVE:
        previous = tokens[i - 1] if i > 0 else ""
        if word in ("a", "ont") and (not previous.isalpha() or previous == "y"):
            return False  # "à 17 ans", "de 16 à 25 ans", "il y a 10 ans"
        return True
    return not word.isalnum() or word in _OPENERS  # after punctuation or "bonjour"
