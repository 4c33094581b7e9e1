"""What must survive redaction: words spaCy may tag as a person but that the NLU needs
(networks, diplomas, services), and the list of French commune names."""
from __future__ import annotations

import csv
import functools
import os
import re
import unicodedata
from pathlib import Path

# Any PER span containing one of these (normalised) words is not a person.
KEEP_WORDS = frozenset(
    """
    pole emploi france travail mission missions locale locales apec cap cio cios suio scuio
    transitions pro fongecif opacif parcoursup onisep cpf vae bts but dut cap bep bac bacs
    licence master doctorat brevet dnb greta afpa cma cci crij bij pij cidff psad
    monorientationenligne moncompteformation info jeunesse chambre metiers artisanat
    agriculture region departement conseil regional prefecture mairie caf cpam msa
    erasmus service civique garantie jeunes cej contrat engagement rsa ars ape
    bonjour bonsoir salut merci coucou hello oui non ok d'accord svp stp
    lundi mardi mercredi jeudi vendredi samedi dimanche
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    infirmier infirmiere boulanger boulangere plombier electricien cuisinier cuisiniere
    aide soignant soignante developpeur developpeuse comptable vendeur vendeuse
    """.split()
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[-'’]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return normalise(text).split()


def _communes_csv() -> Path:
    data_dir = os.environ.get("SPRO_DATA_DIR")
    if data_dir:
        return Path(data_dir) / "communes.csv"
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "communes.csv"


@functools.lru_cache(maxsize=1)
def commune_names() -> tuple[frozenset[str], frozenset[str]]:
    """Normalised commune names (with and without leading article): all of them,
    and the "well-known" ones (1,000 inhabitants or more, or several words), which
    win over a person reading even without "à"/"sur" before them. Empty if no data."""
    path = _communes_csv()
    if not path.exists():
        return frozenset(), frozenset()
    every, known = set(), set()
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = normalise(row["name"])
            forms = {name, re.sub(r"^(?:le|la|les|l) ", "", name)}
            every |= forms
            try:
                population = int(row.get("population") or 0)
            except ValueError:
                population = 0
            if population >= 1000 or " " in name:
                known |= forms
    return frozenset(every), frozenset(known)
