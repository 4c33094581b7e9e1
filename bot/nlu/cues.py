"""Shared by the cue lexicons (distress, out of scope): folded-text matching and
word lists named once in a cue file and written <name> in its regexes."""
from __future__ import annotations

import re

from bot.nlu.text import fold

# <name>, not a regex's named group (?P<name>…).
_WORD_LIST = re.compile(r"(?<!\?P)<(\w+)>")


def expand_word_lists(cue: str, words: dict[str, str]) -> str:
    """"(<partner>) m'interdit" -> "((?:mari|femme|…)) m'interdit"."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in words:
            raise ValueError(f"liste de mots inconnue <{name}> dans l'indice {cue!r}")
        return f"(?:{words[name]})"
    return _WORD_LIST.sub(replace, cue)


def compile_cues(cues: list[str], words: dict[str, str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(expand_word_lists(cue, words)) for cue in cues)


def folded(text: str) -> str:
    """The text the cues read: folded (no case, no accents), single spaces."""
    return " ".join(fold(text).split())
