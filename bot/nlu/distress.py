"""Distress cues: phrasings that mean danger for the person, matched on folded
text. A lexicon, not a model: it backs up the classifier where a miss costs most."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.cues import compile_cues, folded

CUES_FILE = Path(__file__).with_name("distress_cues.yml")


@lru_cache(maxsize=None)
def load_cues(path: Path = CUES_FILE) -> tuple[re.Pattern[str], ...]:
    with path.open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    return compile_cues(spec["cues"], spec.get("words", {}))


def has_distress_cue(text: str, cues: tuple[re.Pattern[str], ...] | None = None) -> bool:
    text = folded(text)
    return any(cue.search(text) for cue in (cues or load_cues()))
