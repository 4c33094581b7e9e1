"""Commune mentions inside a free sentence: "j'habite à Lucé", "sur le 35000",
"je suis vers saint brieuc", "a cote de chatres".

Thousands of communes are also ordinary words (Bar, Vie, Mars, Pont, Orange, Y…), so a
single lower-case word is taken only after a cue ("à", "vers", "j'habite", "près de"…)
or when it is the whole answer; common words need a cue *and* a capital; misspellings
are looked for only right after a cue, and never for an everyday French word that
would only match a small commune ("dans la santé" is not Santes, "à la mairie" not
Mairé; "à Chatres" still finds Chartres). Longest match wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from directory.communes.lexicon import is_french_word
from directory.communes.normalize import ARTICLES, fold, normalize, normalize_token, strip_article

if TYPE_CHECKING:
    from directory.communes.resolver import CommuneResolver, Resolution

MAX_TOKENS = 6
MAX_FUZZY_TOKENS = 3
MIN_FUZZY_LENGTH = 5
FUZZY_CUTOFF = 88.0
# A French word taken for a misspelt commune only if the commune is a town this big.
WORD_AS_TYPO_MIN_POPULATION = 10000

_WORD = re.compile(r"[^\W_]+")

# The word right before the commune (articles aside).
CUES = frozenset(
    "a au aux vers sur dans habite habites habitons habitez habitent vis vit vivons vivez "
    "reside resides residons residez secteur region pres proche cote coin environs alentours "
    "ville commune agglomeration agglo banlieue".split()
)
# "de"/"d"/"du" is a cue only after these: "près de Chartres", "je viens de Dreux".
DE_CUES = frozenset({"de", "d", "du", "des"})
DE_HEADS = frozenset(
    "pres proche cote coin environs alentours region secteur ville commune loin banlieue "
    "agglomeration agglo originaire viens venant suis".split()
)

# Commune names that are everyday words or first names: taken only with a cue and a
# capital ("j'habite à Orange"), never from "une orange" or "je suis en vie".
COMMON_WORDS = frozenset(
    """
    y eu son pas pres vers celle celles douze quarante parce allons etais hem ouste us sus sen
    saint sainte saints saintes bar vie mon plus pont port mer mars avril mai bac orange blanc
    bois bonne boulot campagne contre ecole fille grand hopital jardin job long mere pere mont
    montagne parc peintre quartier riviere rouge val vallee ver vert vieux ville villes oo aime
    marie robert pierre gilles romain bernard mathieu martin julienne passage plaisir union
    possession reunion change charge chemin cote cours couture cultures degre demie don doux
    escale fete folie force four frais grave habit louer machine maisons marche moyen parent
    pin place places plaine plan plans real riche rue table titre tour trait vue bio camarade
    chambre chateau bonnet bourg aube aire auge brie lent sens fosses tampon avion anse garde
    rives lattes lisses salles salon signes termes union vif marin diamant trinite
    """.split()
)
# Names people use for something else: "la Réunion" is the island (a département),
# "la Toussaint" the holidays, "la Suisse", "la Bretagne", "la Champagne" a country
# or a region (each is also a village's name).
NEVER = frozenset({"reunion", "toussaint", "suisse", "bretagne", "champagne"})
# Words around a number that make it an age, an amount or a grade, not a postcode.
NUMBER_UNITS = frozenset("an ans euros euro eur e k km m h heures mois jours habitants personnes".split())
NUMBER_HEADS = frozenset("ai gagne touche salaire paye payee".split())
# What may surround the commune when it is the whole answer ("à Rennes merci").
FILLERS = CUES | DE_CUES | DE_HEADS | ARTICLES | frozenset(
    "j je c est moi oui ok merci svp stp bonjour alors euh bah ben".split()
)

BARE_ANSWER_WORDS = CUES | ARTICLES | frozenset("j oui ok merci svp stp alors euh bah ben".split())


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    resolution: "Resolution"


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    norm: str
    capital: bool
    typed: str  # lower case, accents kept: the lexicon knows "boulangère" as typed


def find_mentions(resolver: "CommuneResolver", sentence: str) -> list[Mention]:
    words = [
        _Word(m.start(), m.end(), normalize_token(fold(m.group())), m.group()[:1].isupper(),
              m.group().lower())
        for m in _WORD.finditer(sentence)
    ]
    mentions: list[Mention] = []
    i = 0
    while i < len(words):
        found = _postcode_at(resolver, words, i) or _name_at(resolver, sentence, words, i)
        if found is None:
            i += 1
            continue
        end, resolution = found
        end, resolution = _with_qualifier(resolver, words, end, resolution)
        start_char, end_char = words[i].start, words[end].end
        mentions.append(Mention(start_char, end_char, sentence[start_char:end_char], resolution))
        i = end + 1
    return mentions


def _postcode_at(resolver, words: list[_Word], i: int):
    word = words[i].norm
    if len(word) != 5 or not word.isdigit():
        return None
    after = words[i + 1].norm if i + 1 < len(words) else ""
    before = words[i - 1].norm if i > 0 else ""
    if after in NUMBER_UNITS or before in NUMBER_HEADS:
        return None
    resolution = resolver.postcode_resolution(word)
    return (i, resolution) if resolution.status != "not_found" else None


def _name_at(resolver, sentence: str, words: list[_Word], i: int):
    if words[i].norm.isdigit():
        return None
    cue = _has_cue(words, i)
    last = min(len(words), i + MAX_TOKENS) - 1
    # Longest exact match first; a misspelt multi-word name ("sant brieuc") beats a
    # one-word exact match of its first word ("saint" is a commune too).
    for j in range(last, i, -1):
        found = _exact(resolver, sentence, words, i, j, cue)
        if found:
            return found
    cue_fuzzy = cue and words[i].norm not in ARTICLES  # the next word gets its own try
    if cue_fuzzy:
        for j in range(min(last, i + MAX_FUZZY_TOKENS - 1), i, -1):
            found = _fuzzy(resolver, sentence, words, i, j)
            if found:
                return found
    found = _exact(resolver, sentence, words, i, i, cue)
    if found:
        return found
    return _fuzzy(resolver, sentence, words, i, i) if cue_fuzzy else None


def _exact(resolver, sentence, words, i, j, cue):
    key = normalize(sentence[words[i].start : words[j].end])
    if not key:
        return None
    resolution = resolver.exact_resolution(key)
    if resolution.status == "not_found" or not _acceptable(resolver, resolution, words, i, j, key, cue):
        return None
    return j, resolution


def _acceptable(resolver, resolution, words: list[_Word], i: int, j: int, key: str, cue: bool) -> bool:
    name = strip_article(key)
    if (words[i].norm in ARTICLES and i == j) or name in NEVER:
        return False
    # The capital that counts is the name's, not the article's ("à la Rochelle").
    head = i + 1 if words[i].norm in ARTICLES and j > i else i
    capital = words[head].capital
    others = words[:i] + words[j + 1 :]
    whole = all(w.norm in FILLERS for w in others)
    # An everyday word names a small commune only as a bare answer ("servant", "à
    # servant"), not in "je suis à la crèche" or "dans la vente".
    bare = all(w.norm in BARE_ANSWER_WORDS for w in others)
    if not bare and _everyday_words(words[head : j + 1]) and not _names_a_town(resolver, resolution):
        return False
    if name in COMMON_WORDS:
        return capital and (cue or whole)
    if cue or whole or " " in name:
        return True
    # One plain word without a cue: only a capital inside the sentence ("Rennes" at the
    # start of a sentence is as likely any capitalised word).
    return capital and i > 0


def _fuzzy(resolver, sentence, words, i, j):
    chunk = words[i : j + 1]
    if chunk[0].norm in ARTICLES:
        chunk = chunk[1:]
    if not chunk or any(not w.norm.isalpha() for w in chunk):
        return None
    if chunk[0].norm in FILLERS or chunk[-1].norm in FILLERS:
        return None
    if len(chunk) == 1 and (chunk[0].norm in COMMON_WORDS or chunk[0].norm in NEVER):
        return None
    key = normalize(sentence[words[i].start : words[j].end])
    if len(strip_article(key)) < MIN_FUZZY_LENGTH:
        return None
    resolution = resolver.fuzzy_resolution(key, FUZZY_CUTOFF)
    if resolution.status == "not_found":
        return None
    if _everyday_words(chunk) and (_accented(chunk) or not _names_a_town(resolver, resolution)):
        return None
    return j, resolution


def _accented(chunk: list[_Word]) -> bool:
    """A French word typed with its accents ("métaux") was meant as that word: a
    misspelt "Meaux" would not gain an "é". (Not `norm`: it also expands "st".)"""
    return any(fold(w.typed) != w.typed for w in chunk)


def _everyday_words(chunk: list[_Word]) -> bool:
    """Lower-case French words ("la vente", "travaux"), not a typed place name."""
    return all(not w.capital and is_french_word(w.norm, w.typed) for w in chunk)


def _names_a_town(resolver, resolution: "Resolution") -> bool:
    """One candidate bears the name of a town of 10,000+ ("chatres" also offers
    Chartres), not only of villages. The resolver knows populations by name."""
    return any(resolver.population(normalize(c.name)) >= WORD_AS_TYPO_MIN_POPULATION
               # "à la porte" is no typo for Le Port: that name is an everyday word too.
               and strip_article(normalize(c.name)) not in COMMON_WORDS
               for c in resolution.candidates)


def _has_cue(words: list[_Word], i: int) -> bool:
    k = i - 1
    if k >= 0 and words[k].norm in ARTICLES and words[i].norm not in ARTICLES:
        k -= 1  # "à la | Rochelle" when the article was not taken into the name
    if k < 0:
        return False
    word = words[k].norm
    if word in CUES:
        return True
    if word == "est":  # "moi c'est Le Mans"
        return k > 0 and words[k - 1].norm == "c"
    if word in DE_CUES:
        return k > 0 and words[k - 1].norm in DE_HEADS
    return False


def _with_qualifier(resolver, words: list[_Word], end: int, resolution):
    """ "saint denis 974", "st denis (93)": a following département or postcode narrows
    the homonyms and joins the mention."""
    if resolution.status != "ambiguous" or end + 1 >= len(words):
        return end, resolution
    narrowed = resolver.narrow(resolution, words[end + 1].norm)
    return (end + 1, narrowed) if narrowed else (end, resolution)
