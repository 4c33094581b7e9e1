"""Distress cues: phrasings that mean danger for the person, matched on folded
text. A lexicon, not a model: it backs up the classifier where a miss costs most."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.text import fold

CUES_FILE = Path(__file__).with_name("distress_cues.yml")


_WORD_LIST = re.compile(r"<(\w+)>")


def expand_word_lists(cue: str, words: dict[str, str]) -> str:
    """"(<partner>) m'interdit" -> "((?:mari|femme|…)) m'interdit"."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in words:
            raise ValueError(f"liste de mots inconnue <{name}> dans l'indice {cue!r}")
        return f"(?:{words[name]})"
    return _WORD_LIST.sub(replace, cue)


@lru_cache(maxsize=None)
def load_cues(path: Path = CUES_FILE) -> tuple[re.Pattern[str], ...]:
    with path.open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    words = spec.get("words", {})
    return tuple(re.compile(expand_word_lists(cue, words)) for cue in spec["cues"])


def has_distress_cue(text: str, cues: tuple[re.Pattern[str], ...] | None = None) -> bool:
    folded = " ".join(fold(text).split())
    return any(cue.search(folded) for cue in (cues or load_cues()))
