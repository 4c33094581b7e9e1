"""Answers read in the context of the question they answer (pure logic, no Rasa).

Outside a question, "36", "Brest", "lycée" or "je préfère pas" say little; after
"Quel âge avez-vous ?", "Dans quelle commune habitez-vous ?", "quelle est votre
situation ?" they are the answer. actions/validate_referral_form.py calls these
only for the question that is pending; the cues are in answer_cues.yml."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.age import MAX_AGE, MIN_AGE, NUMBER_WORDS
from bot.nlu.cues import folded

CUES_FILE = Path(__file__).with_name("answer_cues.yml")
# A bare answer is short: a longer message is a sentence, read by the NLU as usual.
MAX_BARE_WORDS = 5
_NUMBER = re.compile(r"(?<![\d,.])(\d{1,3})(?![\d,.]|\s*(%|€|euros?|h\b|e\b|eme\b|ieme\b|er\b|ere\b|km\b))")
_WORD = re.compile(r"[\w'-]+")


@dataclass(frozen=True)
class AnswerCues:
    refusal: tuple[re.Pattern[str], ...]
    public_alone: tuple[tuple[str, re.Pattern[str]], ...]
    fillers: re.Pattern[str]
    asking: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=None)
def load_cues(path: Path = CUES_FILE) -> AnswerCues:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return AnswerCues(
        refusal=tuple(re.compile(cue) for cue in data["refusal"]),
        public_alone=tuple((value, re.compile(cue)) for value, cues in data["public_alone"].items()
                           for cue in cues),
        fillers=re.compile(rf"(?<![\w'])(?:{data['fillers']})(?![\w'])"),
        asking=tuple(re.compile(cue) for cue in data["asking"]),
    )


def words(text: str) -> list[str]:
    return _WORD.findall(folded(text))


def is_short(text: str) -> bool:
    return 0 < len(words(text)) <= MAX_BARE_WORDS


def core(text: str, cues: AnswerCues | None = None) -> str:
    """The answer without its filler words and punctuation: "euh bah le lycée !" -> "lycee"."""
    cues = cues or load_cues()
    text = re.sub(r"[^\w' -]", " ", folded(text))
    return " ".join(cues.fillers.sub(" ", text).split())


def is_refusal(text: str, cues: AnswerCues | None = None) -> bool:
    """"Je préfère ne pas le dire" in the person's words: "jprefere pas", "ça vous
    regarde pas", "c'est perso", "non merci"."""
    cues = cues or load_cues()
    text = folded(text)
    return any(cue.search(text) for cue in cues.refusal)


def asks_for_something(text: str, cues: AnswerCues | None = None) -> bool:
    """The message asks for something ("je voudrais…", "en fait…", a question mark),
    so it may state a need besides answering the question asked."""
    cues = cues or load_cues()
    text = folded(text)
    return any(cue.search(text) for cue in cues.asking)


def age_answer(text: str) -> int | None:
    """A bare age after "Quel âge avez-vous ?": "36", "j'en ai 36", "trente-six",
    "bientôt 18" (a short answer holding one number of years, not a postcode, an
    hour, a price or a level like "3e")."""
    if not is_short(text):
        return None
    folded_text = folded(text)
    numbers = [int(match.group(1)) for match in _NUMBER.finditer(folded_text)]
    numbers += [NUMBER_WORDS[w] for w in _number_words(folded_text)]
    if len(numbers) != 1:
        return None
    return numbers[0] if MIN_AGE <= numbers[0] <= MAX_AGE else None


def _number_words(folded_text: str) -> list[str]:
    """French number words 10-99 in the text, longest first ("quatre-vingt-dix")."""
    joined = "-" + "-".join(_WORD.findall(folded_text.replace("-", " "))) + "-"
    found = []
    for word in sorted(NUMBER_WORDS, key=len, reverse=True):
        marker = f"-{word}-"
        while marker in joined:
            found.append(word)
            joined = joined.replace(marker, "-", 1)
    return found


def public_answer(text: str, cues: AnswerCues | None = None) -> str | None:
    """A situation named in a word or two after "quelle est votre situation ?"."""
    cues = cues or load_cues()
    answer = core(text, cues)
    if not 0 < len(answer.split()) <= MAX_BARE_WORDS - 1:
        return None
    for value, cue in cues.public_alone:
        if cue.search(answer):
            return value
    return None


def commune_text(text: str) -> str | None:
    """What to look up as a commune after "Dans quelle commune habitez-vous ?": a
    short answer ("Brest", "à coté de quimper", "29200"), else None."""
    return text.strip() if is_short(text) else None


# The words right before a job title that make it the person's own, now.
_OWN_JOB = re.compile(
    r"(?:\b(?:je suis|jsuis|j'suis|suis|je travaille comme|je bosse comme|je taffe comme|je fais|"
    r"j'exerce comme|j'exerce en tant que|en tant que|travaille comme|bosse comme|poste de|poste d'|"
    r"je suis employe comme|je suis employee comme|je suis embauche comme|je suis embauchee comme|"
    r"(?:mon|ma) (?:metier|poste|job|travail|boulot|profession|fonction)(?: actuel| actuelle)?(?: c'est| c est| :| est| =)?)"
    r"(?: actuellement| en ce moment| depuis \w+ ans?)?(?: un| une| en)?\s*)$")


# …or right after it: "cariste depuis 10 ans", "aide-soignante en CDI".
_OWN_JOB_AFTER = re.compile(
    r"^\W*(depuis|chez|en cdi|en cdd|en interim|a temps|a mi-temps|de metier|de profession|"
    r"dans (un|une|le|la|les|l')|a l'hopital|en ehpad|en usine|en clinique|en creche|au (restaurant|magasin|supermarche))\b")


def says_own_job(before: str, after: str = "") -> bool:
    """The words around a job title say it is the person's, now: "je suis…",
    "je bosse comme…", "en tant que…", "… depuis 10 ans"; not "je voudrais devenir…"
    nor "j'étais…"."""
    if _OWN_JOB.search(folded(before) + " " if before.strip() else ""):
        return True
    return bool(_OWN_JOB_AFTER.search(folded(after))) and not _PAST_OR_WISH.search(folded(before))


_PAST_OR_WISH = re.compile(r"\b(j'etais|etais|ancien|ancienne|ex|devenir|voudrais|veux|aimerais|souhaite|reve)\b")


def is_the_whole_answer(text: str, start: int, end: int) -> bool:
    """The job title is (nearly) all the answer: "serveuse", "euh cariste"."""
    rest = core(text[:start] + " " + text[end:])
    return is_short(text) and not rest.strip(" .!,")
