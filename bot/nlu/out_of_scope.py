"""Everyday matters that share a word with a need (a tourist trip, an account on a
public website, a leisure lesson, a timetable), matched on folded text. A lexicon,
not a model: the classifier reads the shared word, these cues read the matter."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.cues import compile_cues, folded

CUES_FILE = Path(__file__).with_name("out_of_scope_cues.yml")


@dataclass(frozen=True)
class Topic:
    name: str
    cues: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        return (any(cue.search(text) for cue in self.cues)
                and not any(need.search(text) for need in self.unless))


@lru_cache(maxsize=None)
def load_topics(path: Path = CUES_FILE) -> tuple[Topic, ...]:
    with path.open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    words = spec.get("words", {})
    return tuple(
        Topic(name, compile_cues(topic["cues"], words), compile_cues(topic.get("unless", []), words))
        for name, topic in spec["topics"].items()
    )


def everyday_topic(text: str, topics: tuple[Topic, ...] | None = None) -> str | None:
    """The everyday matter the text is about ("tourism"…), or None."""
    text = folded(text)
    return next((t.name for t in (topics or load_topics()) if t.matches(text)), None)
