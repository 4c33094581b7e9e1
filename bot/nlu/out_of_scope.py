"""Matters out of the service's scope that share a word with a need (a tourist trip,
an account on a public website, a leisure lesson, a benefit's amount, a dispute with
an employer, a school sanction) and attempts to make the assistant leave its role,
matched on folded text. A lexicon, not a model: the classifier reads the shared
word, these cues read the matter. The topic also picks the answer
(actions/out_of_scope.py): where to turn for a benefit or a dispute."""
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
    # Out of scope whatever the classifier said (not only a need): manipulation.
    any_intent: bool = False

    def matches(self, text: str) -> bool:
        return (any(cue.search(text) for cue in self.cues)
                and not any(need.search(text) for need in self.unless))


@lru_cache(maxsize=None)
def load_topics(path: Path = CUES_FILE) -> tuple[Topic, ...]:
    with path.open(encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    words = spec.get("words", {})
    return tuple(
        Topic(name, compile_cues(topic["cues"], words), compile_cues(topic.get("unless", []), words),
              bool(topic.get("any_intent")))
        for name, topic in spec["topics"].items()
    )


def matching_topic(text: str, topics: tuple[Topic, ...] | None = None) -> Topic | None:
    text = folded(text)
    return next((t for t in (topics or load_topics()) if t.matches(text)), None)


def everyday_topic(text: str, topics: tuple[Topic, ...] | None = None) -> str | None:
    """The out-of-scope matter the text is about ("tourism", "benefits"…), or None."""
    topic = matching_topic(text, topics)
    return topic.name if topic else None
