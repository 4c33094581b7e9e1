"""Distress cues: phrasings that mean danger for the person, matched on folded
text. A lexicon, not a model: it backs up the classifier where a miss costs most."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.text import fold

CUES_FILE = Path(__file__).with_name("distress_cues.yml")


@lru_cache(maxsize=None)
def load_cues(path: Path = CUES_FILE) -> tuple[re.Pattern[str], ...]:
    with path.open(encoding="utf-8") as handle:
        cues = yaml.safe_load(handle)["cues"]
    return tuple(re.compile(cue) for cue in cues)


def has_distress_cue(text: str, cues: tuple[re.Pattern[str], ...] | None = None) -> bool:
    folded = " ".join(fold(text).split())
    return any(cue.search(folded) for cue in (cues or load_cues()))
