"""The open-data files of `staged/`, which need more than a plain import
(../shared/data/README.md):

- France Travail agencies of 2019 with their street address and own position.
  They supersede the names-only agency list for the agencies both hold; a
  names-only row is kept only for an agency the 2019 list does not have.
- Transitions Pro: one row per département served (the association a person of
  that département is sent to), its seat's address when the source gives one.
- France VAE relay points (10 regions): located `conseil_vae` structures.

A data folder without `staged/` still imports (the notes say what is missing).
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz

from directory.importing.paths import display_path
from directory.importing.report import ImportReport
from directory.importing.structures import StructureReader

STAGED_DIR = "staged"
FRANCE_TRAVAIL_LOCATED = "france_travail_agences_2019.csv"
TRANSITIONS_PRO = "transitions_pro_2022.csv"
VAE_RELAYS = "points_relais_vae_2024.csv"
# The names-only agency list in partners/, which the located list supersedes.
FRANCE_TRAVAIL_NAMES_ONLY = "france_travail_agences"

# Two agency names of the same département are the same agency when, once the
# network's own words are removed, one name's words are (nearly) all in the other:
# "Agence Pôle emploi SAINT JEAN DE LUZ" and "France Travail Ape Saint Jean De Luz".
SAME_AGENCY_SCORE = 90
_NOISE = re.compile(
    r"\b(?:agence|pole|emploi|france|travail|ape|pe|ale|provisoire|de|du|des|la|le|les|l|d|et"
    r"|st|saint|ste|sainte)\b"
)


def read_staged(reader: StructureReader, data_dir: Path, report: ImportReport) -> dict[str, list[dict]]:
    """The valid rows of each staged file present, by source (the file's stem)."""
    folder = Path(data_dir) / STAGED_DIR
    rows: dict[str, list[dict]] = {}
    for name in (FRANCE_TRAVAIL_LOCATED, TRANSITIONS_PRO, VAE_RELAYS):
        path = folder / name
        source = path.stem
        if not path.is_file():
            report.notes_fr.append(f"{display_path(path, data_dir)} absent : ces structures ne sont pas importées.")
            continue
        report.table(f"structures:{source}", f"Structures – {source}")
        rows[source] = reader.read_file(path, source, display_path(path, data_dir),
                                        serves_department=name == TRANSITIONS_PRO)
    return rows


def drop_superseded_agencies(open_rows: list[dict], located: list[dict], report: ImportReport) -> list[dict]:
    """`open_rows` without the names-only France Travail rows of an agency that
    `located` (the 2019 list with addresses) already holds."""
    if not located:
        return open_rows
    located_names: dict[str | None, list[str]] = defaultdict(list)
    for row in located:
        located_names[row["department_code"]].append(agency_words(row["name"]))
    kept, dropped = [], 0
    for row in open_rows:
        if row["source"] == FRANCE_TRAVAIL_NAMES_ONLY and _held(row, located_names):
            dropped += 1
            continue
        kept.append(row)
    report.notes_fr.append(
        f"France Travail : {dropped} agence(s) de la liste sans adresse remplacée(s) par la même agence "
        f"de la liste de 2019 avec adresse ; {sum(r['source'] == FRANCE_TRAVAIL_NAMES_ONLY for r in kept)} "
        "gardée(s), absentes de la liste de 2019."
    )
    return kept


def _held(row: dict, located_names: dict[str | None, list[str]]) -> bool:
    words = agency_words(row["name"])
    if not words:
        return False
    return any(fuzz.token_set_ratio(words, other) >= SAME_AGENCY_SCORE
               for other in located_names.get(row["department_code"], ()))


def agency_words(name: str) -> str:
    """The words that tell one agency from another, lower case, without accents."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[^a-z0-9]+", " ", plain)
    return " ".join(_NOISE.sub(" ", plain).split())
