"""Person names announced by a cue: "je m'appelle X", "moi c'est X Y", "Mme X",
signatures ("Cordialement, X"), "mon fils X"… Complements spaCy's NER, which
misses lower-case names and single first names."""
from __future__ import annotations

import re
from typing import Iterable

from ..keep import KEEP_WORDS, normalise
from .base import FinderRecognizer, Span

_TITLES = {"m", "m.", "mr", "mme", "mlle", "madame", "monsieur", "mademoiselle", "dr", "docteur"}

# Words that cannot be part of a name (they end it).
_STOP = {
    "et", "je", "j", "ai", "suis", "habite", "mais", "donc", "alors", "car", "pour",
    "qui", "que", "à", "a", "de", "du", "des", "en", "au", "aux", "sur", "avec", "mon",
    "ma", "mes", "votre", "vous", "merci", "bonjour", "salut", "le", "la", "les", "un",
    "une", "ans", "et", "ou", "est", "c", "ce", "cela", "ça", "ca", "il", "elle", "on",
    "nous", "ils", "elles", "me", "m", "moi", "toi", "pas", "ne", "n", "plus", "très",
    "tres", "bien", "aussi", "voudrais", "veux", "cherche", "recherche", "dans", "chez",
    "par", "svp", "stp", "sinon", "puis", "ensuite", "depuis", "quand", "comme", "si",
    "madame", "monsieur", "mademoiselle", "bonsoir", "hello", "coucou", "oui", "non",
    "actuellement", "aujourd", "ici", "là", "la-bas", "j'ai", "j'habite", "j’ai",
    "demandeur", "demandeuse", "salarié", "salariée", "étudiant", "étudiante", "lycéen",
    "lycéenne", "collégien", "collégienne", "apprenti", "apprentie", "parent", "mère",
    "père", "maman", "papa", "au", "chômage", "chomage", "inscrit", "inscrite",
    "intéressé", "intéressée", "perdu", "perdue", "né", "née", "ton", "ta", "tes",
    "son", "sa", "ses", "notre", "leur", "y", "en", "encore", "toujours", "jamais",
}
_NAME_PARTICLES = {"de", "du", "des", "d'", "le", "la", "van", "von", "di", "da", "ben", "el", "al"}
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*")

# Strong cues: what follows is a name even in lower case.
_STRONG = re.compile(
    r"\b(?:je\s+m['’]\s?ap+el+e?s?|j['’]\s?m['’]\s?ap+el+e?s?|(?:il|elle)\s+s['’]\s?ap+el+e?|"
    r"je\s+me\s+nomme|je\s+m['’]\s?nomme|"
    r"mon\s+(?:nom|prénom|prenom|nom\s+de\s+famille|nom\s+complet)\s+(?:est|c['’]est|:)|"
    r"(?:moi|mon\s+nom|mon\s+prénom|mon\s+prenom)\s*,?\s*c['’]\s?est|"
    r"je\s+suis\s+(?=(?-i:[A-ZÀ-Ý][a-zà-ÿ]+\s+[A-ZÀ-Ý]{2,})\b)|"  # "je suis Julie MARTIN"
    r"nom\s*:|prénom\s*:|prenom\s*:|signé|signe\s*:)\s*",
    re.IGNORECASE,
)
# Weak cues: a capitalised word must follow.
_WEAK = re.compile(
    r"(?:\b(?-i:M\.|Mr\.?|Mme\.?|Mlle\.?|Madame|Monsieur|Mademoiselle|Dr\.?|Docteur|Me\.?)(?!\w)"
    r"|\b(?:madame|monsieur|mademoiselle)"
    r"|\b(?:mon|ma)\s+(?:fils|fille|enfant|fr[èe]re|s[œo]e?ur|mari|femme|conjoint|conjointe|"
    r"compagnon|compagne|conseill[eè]re?|ami|amie|copain|copine|coll[èe]gue|patron|patronne|"
    r"tuteur|tutrice|r[ée]f[ée]rente?|prof|professeure?)"
    r"|\b(?:cordialement|bien\s+à\s+vous|bien\s+a\s+vous|salutations|amicalement|"
    r"bien\s+cordialement|merci\s+d['’]avance|bonne\s+journ[ée]e|bonne\s+soir[ée]e|"
    r"sinc[èe]res\s+salutations|de\s+la\s+part\s+de)\s*[,.!]?"
    # Greetings and thanks addressed to someone, "c'est Léa", "elle s'appelle Emma".
    r"|\b(?:merci|bonjour|bonsoir|salut|coucou)\s*,?"
    r"|\b(?:rappeler|appeler|contacter|joindre|demander|voir|avec|chez|pour)"
    r"|\bc['’]\s?est(?=\s+(?-i:[A-ZÀ-Ý]))"
    r"|\b(?:s['’]\s?appelle|s['’]\s?appellent))\s*\n?\s*",
    re.IGNORECASE,
)


def _name_after(text: str, pos: int, *, capitalised: bool) -> tuple[int, int] | None:
    """Up to three name words starting at pos (particles allowed inside)."""
    start = end = None
    count = 0
    for match in _WORD.finditer(text, pos):
        if end is None:
            if text[pos:match.start()].strip(" :\"«»-"):
                break  # the cue is not directly followed by a word
        else:
            gap = text[end:match.start()]
            if gap.strip(" -") or "\n" in gap:
                break  # punctuation or line break between words: the name is over
        word = match.group()
        lower = word.lower().rstrip("'’")
        is_particle = end is not None and lower in _NAME_PARTICLES
        if not is_particle:
            if lower in _STOP or lower.split("'")[0] in {"j", "c", "m", "l", "n", "qu"}:
                break
            if capitalised and (
                not word[0].isupper() or normalise(word) in KEEP_WORDS
            ):
                break  # "ma conseillère de Pôle emploi": the name is over
            if lower in _TITLES and start is None:
                continue  # "ma conseillère Mme Nguyen": skip the title
        if start is None:
            if is_particle:
                break
            start = match.start()
        end = match.end()
        count += not is_particle
        if count == 3:
            break
    if start is None:
        return None
    # Never end on a particle ("Jean de").
    while True:
        tail = text[start:end].rsplit(" ", 1)
        if len(tail) == 2 and tail[1].lower() in _NAME_PARTICLES:
            end = start + len(tail[0])
        else:
            break
    return start, end


class PersonCueRecognizer(FinderRecognizer):
    ENTITY = "PERSON"
    NAME = "PersonCueRecognizer"

    def find(self, text: str) -> Iterable[Span]:
        for pattern, capitalised in ((_STRONG, False), (_WEAK, True)):
            for match in pattern.finditer(text):
                span = _name_after(text, match.end(), capitalised=capitalised)
                if span:
                    # Strong cues are trusted even against the keep-list (score 1).
                    yield span[0], span[1], 1.0 if not capitalised else 0.9
