"""The person's situation (public, handicap, cadre, secteur) read from what they
say, with the lexicon bot/nlu/situation_cues.yml, on folded text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.cues import expand_word_lists
from bot.nlu.text import fold

CUES_FILE = Path(__file__).with_name("situation_cues.yml")
PARENT = "parent"
SANS_ACTIVITE, DEMANDEUR_EMPLOI = "sans_activite", "demandeur_emploi"

Patterns = tuple[tuple[str, str, re.Pattern[str]], ...]  # (entity, value, pattern)


@dataclass(frozen=True)
class Cues:
    strong: Patterns
    weak: Patterns  # a status said only by what the person left or does not do
    job_search: tuple[re.Pattern[str], ...]


WEAK, JOB_SEARCH, WORDS = "public_weak", "job_search", "words"


@dataclass(frozen=True)
class Mention:
    entity: str  # public | handicap | cadre | secteur
    value: str
    start: int
    end: int


@lru_cache(maxsize=None)
def load_cues(path: Path = CUES_FILE) -> Cues:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)

    def patterns(sections: dict, words: dict[str, str]) -> Patterns:
        return tuple(
            (name, str(value), _compile(pattern, words))
            for name, values in sections.items()
            for value, pattern_list in values.items()
            for pattern in pattern_list
        )

    words = data.get(WORDS) or {}
    strong = {name: values for name, values in data.items() if name not in (WEAK, JOB_SEARCH, WORDS)}
    weak = tuple(("public", value, _compile(p, words)) for value, ps in (data.get(WEAK) or {}).items() for p in ps)
    return Cues(patterns(strong, words), weak, tuple(_compile(p, words) for p in data.get(JOB_SEARCH) or ()))


def _compile(cue: str, words: dict[str, str]) -> re.Pattern[str]:
    return re.compile(expand_word_lists(cue, words))


def _all_mentions(folded: str, cues: Patterns) -> list[Mention]:
    found = []
    for entity, value, pattern in cues:
        for match in pattern.finditer(folded):
            # A cue may mark the words that carry the entity with (?P<word>…): "je
            # suis salariée" is a woman by "salariée", the span the status shares.
            start, end = match.span("word") if "word" in pattern.groupindex else match.span()
            while start < end and folded[start] == " ":  # an optional group matched empty
                start += 1
            found.append(Mention(entity, value, start, end))
    return found


# A status the person no longer has, or denies: "j'étais salariée", "pas salarié".
_NOT_NOW = re.compile(r"(\b(pas|plus|ni|non|jamais) (un |une |en |au |a )?|\b(j'etais|etais|etait|ancien|ancienne|ex-?|avant j'etais|avant) (un |une |en |au |a )?)$")


def _said_as_current(folded: str, mention: Mention) -> bool:
    # Only a status changes: a former manager still counts as "cadre" for the Apec.
    if mention.entity != "public":
        return True
    return not _NOT_NOW.search(folded[max(0, mention.start - 20):mention.start])


def find_situation(text: str, cues: Cues | None = None) -> list[Mention]:
    """At most one mention per entity, denied or past statuses (public) left out. For
    `public`: a parent writing for a child stays `parent` whatever the child's level;
    otherwise the first status said wins: people say who they are, then what they
    want ("je suis en 3e, je voudrais un CAP en apprentissage")."""
    cues = cues or load_cues()
    folded = fold(text)  # same length as `text`: offsets stay valid in the message
    mentions = sorted(
        (m for m in _all_mentions(folded, cues.strong) if _said_as_current(folded, m)),
        key=lambda m: (m.start, -m.end),
    )
    chosen: dict[str, Mention] = {}
    for mention in mentions:
        current = chosen.get(mention.entity)
        if current is None or (mention.value == PARENT and current.value != PARENT):
            chosen[mention.entity] = mention
    if "public" not in chosen:
        weak = sorted(_all_mentions(folded, cues.weak), key=lambda m: (m.start, -m.end))
        if weak:
            chosen["public"] = weak[0]
    public = chosen.get("public")
    if public is not None and public.value == SANS_ACTIVITE and any(p.search(folded) for p in cues.job_search):
        # "je fais rien en ce moment, je cherche du boulot": a job seeker.
        chosen["public"] = Mention("public", DEMANDEUR_EMPLOI, public.start, public.end)
    return sorted(chosen.values(), key=lambda m: m.start)
