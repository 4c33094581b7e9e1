"""Finds job titles in French text and resolves them to ROME appellations.

Pure logic (no Rasa). Matches the official masculine/feminine forms of every ROME
appellation plus a short list of everyday names ("dev web", "prof des écoles"),
accent- and case-insensitively, longest match first."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot.nlu import rome
from bot.nlu.text import fold

logger = logging.getLogger(__name__)

# Everyday names -> official appellation label (the ROME has no bare "Infirmier").
ALIASES: dict[str, str] = {
    "infirmier": "Infirmier / Infirmière de soins généraux",
    "infirmiere": "Infirmier / Infirmière de soins généraux",
    "infirmier diplome d'etat": "Infirmier / Infirmière de soins généraux",
    "ide": "Infirmier / Infirmière de soins généraux",
    "aide soignant": "Aide-soignant / Aide-soignante",
    "aide soignante": "Aide-soignant / Aide-soignante",
    "dev web": "Développeur / Développeuse web",
    "developpeur": "Développeur / Développeuse informatique",
    "developpeuse": "Développeur / Développeuse informatique",
    "dev": "Développeur / Développeuse informatique",
    "informaticien": "Développeur / Développeuse informatique",
    "informaticienne": "Développeur / Développeuse informatique",
    "prof des ecoles": "Professeur / Professeure des écoles",
    "professeur des ecoles": "Professeur / Professeure des écoles",
    "professeure des ecoles": "Professeur / Professeure des écoles",
    "instit": "Professeur / Professeure des écoles",
    "instituteur": "Professeur / Professeure des écoles",
    "institutrice": "Professeur / Professeure des écoles",
    "maitresse d'ecole": "Professeur / Professeure des écoles",
    "prof de math": "Professeur / Professeure de mathématiques",
    "mecanicien": "Mécanicien / Mécanicienne automobile",
    "mecanicienne": "Mécanicien / Mécanicienne automobile",
    "mecanicien auto": "Mécanicien / Mécanicienne automobile",
    "mecanicienne auto": "Mécanicien / Mécanicienne automobile",
    "mecano": "Mécanicien / Mécanicienne automobile",
    "electricien": "Électricien / Électricienne du bâtiment",
    "electricienne": "Électricien / Électricienne du bâtiment",
    "vendeur": "Vendeur / Vendeuse en alimentation générale",
    "vendeuse": "Vendeur / Vendeuse en alimentation générale",
    "serveur": "Serveur / Serveuse en restauration",
    "serveuse": "Serveur / Serveuse en restauration",
    "soudeur": "Soudeur / Soudeuse à l'arc électrique",
    "soudeuse": "Soudeur / Soudeuse à l'arc électrique",
    "animateur": "Animateur / Animatrice de loisirs pour enfants",
    "animatrice": "Animateur / Animatrice de loisirs pour enfants",
    "paysagiste": "Jardinier / Jardinière paysagiste",
    "routier": "Chauffeur routier / Chauffeuse routière",
    "chauffeur routier": "Chauffeur routier / Chauffeuse routière",
    "chauffeur poids lourd": "Chauffeur / Chauffeuse de poids lourd",
    "chauffeur de bus": "Chauffeur / Chauffeuse de bus",
    "chauffeur de car": "Chauffeur / Chauffeuse de car",
    "medecin": "Médecin généraliste",
    "policier": "Gardien / Gardienne de la paix",
    "policiere": "Gardien / Gardienne de la paix",
    "atsem": "Agent spécialisé / Agente spécialisée des écoles maternelles -ASEM-",
    "avs": "Auxiliaire de vie scolaire",
    "auxiliaire de vie": "Auxiliaire de vie",
    "assistante maternelle": "Assistant maternel / Assistante maternelle",
    "assistant maternel": "Assistant maternel / Assistante maternelle",
    "nounou": "Assistant maternel / Assistante maternelle",
    "sage femme": "Maïeuticien / Maïeuticienne",
    "kine": "Kinésithérapeute",
    "pompier": "Sapeur-pompier / Sapeuse-pompière",
    "pompiere": "Sapeur-pompier / Sapeuse-pompière",
    "militaire": "Soldat / Soldate",
    "agent d'entretien": "Agent / Agente de propreté de locaux",
    "agente d'entretien": "Agent / Agente de propreté de locaux",
    "agent de menage": "Agent / Agente de propreté de locaux",
    "femme de menage": "Agent / Agente de propreté de locaux",
    "commercial": "Attaché commercial / Attachée commerciale sédentaire",
    "commerciale": "Attaché commercial / Attachée commerciale sédentaire",
    "assistante sociale": "Assistant / Assistante de service social",
    "assistant social": "Assistant / Assistante de service social",
    "educateur specialise": "Éducateur spécialisé / Éducatrice spécialisée",
    "educatrice specialisee": "Éducateur spécialisé / Éducatrice spécialisée",
    "educ spe": "Éducateur spécialisé / Éducatrice spécialisée",
}

# Official one-word titles that are mostly ordinary words in a citizen's message.
STOPWORDS = {
    "carriere", "carrier", "glacier", "glaciere", "litiere", "cafetiere", "foreuse",
    "fraiseuse", "batteuse", "betonniere", "betonneuse", "balayeuse", "tronconneuse",
    "lecteur", "lectrice", "hote", "doublure", "figurant", "figurante", "juge", "groom",
    "clown", "comique", "correcteur", "cycliste", "chasseur", "lignard", "mineur",
    "mineuse", "modele", "nez", "personnage", "road", "silhouette", "stationnaire",
    "vestiaire", "mime", "portiere", "voilier", "voiliere", "mixeur", "mixeuse",
    "mariniere", "tourneuse", "pointeuse", "etiqueteuse", "emballeuse", "fumiste",
    "boutefeu", "porion", "routiere", "facteur", "trempeuse", "gardien", "gardienne",
    "batteur", "coursier", "forestier", "forestiere", "hotelier", "hoteliere",
    "imitateur", "performeur", "conteur", "recycleur", "colleuse", "croupier",
    "lutteur", "pilote", "jockey", "percepteur", "preceptrice", "repetiteur",
    "repetitrice", "traminot", "vigile", "cadreur", "encadreur", "decolleteuse",
    "dame", "dames", "cuisiniste", "majordome", "factotum", "debardeur", "mannequin",
    "reporter", "scripte", "tailleur", "tailleuse", "voiturier", "sommelier",
    "perchiste", "ramoneuse", "detacheur", "detacheuse", "surfileuse", "tricoteuse",
    "decortiqueuse", "greffier", "greffiere",
}
# Titles of the people this service sends citizens to: in a message they name
# who the person wants to see, not a trade ("je veux voir un conseiller d'orientation").
STOP_PHRASES = {
    "conseiller d'orientation", "conseillere d'orientation",
    "conseiller d'orientation psychologue", "conseillere d'orientation psychologue",
    "conseiller en insertion professionnelle", "conseillere en insertion professionnelle",
    "conseiller emploi formation", "conseillere emploi formation",
}
MIN_WORD_LENGTH = 3
_WORD = re.compile(r"[a-z0-9œ]+")


@dataclass(frozen=True)
class MetierMention:
    start: int
    end: int
    text: str
    appellation: rome.Appellation


def _normalize_word(word: str) -> str:
    # Same folding on both sides, so plurals match ("infirmières" ~ "infirmiere").
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _key(text: str) -> tuple[str, ...]:
    return tuple(_normalize_word(w) for w in _WORD.findall(fold(text)))


class MetierIndex:
    def __init__(self, appellations: tuple[rome.Appellation, ...]) -> None:
        self._keys: dict[tuple[str, ...], rome.Appellation] = {}
        # Shortest labels first: "Boulanger / Boulangère" wins over longer homonyms.
        for appellation in sorted(appellations, key=lambda a: (len(a.label), a.code)):
            forms = {appellation.masculine, appellation.feminine}
            forms |= {rome.strip_acronym(f) for f in forms}
            for form in forms:
                key = _key(form)
                if key and self._acceptable(key):
                    self._keys.setdefault(key, appellation)
        by_label = {a.label: a for a in appellations}
        for alias, label in ALIASES.items():
            if label in by_label:
                self._keys[_key(alias)] = by_label[label]
            else:
                logger.warning("ROME alias %r: no appellation labelled %r", alias, label)
        for phrase in STOP_PHRASES:
            self._keys.pop(_key(phrase), None)
        self._max_len = max((len(k) for k in self._keys), default=0)

    @staticmethod
    def _acceptable(key: tuple[str, ...]) -> bool:
        if len(key) > 1:
            return True
        word = key[0]
        return len(word) >= MIN_WORD_LENGTH and word not in STOPWORDS and not word.isdigit()

    @classmethod
    def load(cls, path: str | None = None) -> "MetierIndex":
        return cls(rome.load_appellations(path))

    def find(self, text: str) -> list[MetierMention]:
        folded = fold(text)
        words = [(m.start(), m.end(), _normalize_word(m.group())) for m in _WORD.finditer(folded)]
        mentions, i = [], 0
        while i < len(words):
            for size in range(min(self._max_len, len(words) - i), 0, -1):
                key = tuple(w[2] for w in words[i : i + size])
                appellation = self._keys.get(key)
                if appellation is not None:
                    start, end = words[i][0], words[i + size - 1][1]
                    mentions.append(MetierMention(start, end, text[start:end], appellation))
                    i += size
                    break
            else:
                i += 1
        return mentions
