"""ROME v3 job titles ("appellations") from the shared data folder.

Pure data module: no Rasa import, so the rasa-sdk action server can use it too.
The CSV is read once, on first use (never at import time).
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR_ENV = "SPRO_DATA_DIR"
CSV_RELATIVE_PATH = Path("metiers") / "rome_appellations.csv"


@dataclass(frozen=True)
class Appellation:
    """One ROME job title. `label` is the official inclusive label
    ("Chauffeur / Chauffeuse de machines agricoles"); `masculine` and `feminine`
    are the two readable forms derived from it (equal when the title is epicene)."""

    code: str
    label: str
    rome_code: str
    rome_label: str
    masculine: str
    feminine: str


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV, PROJECT_ROOT.parent / "shared" / "data"))


def csv_path() -> Path:
    return data_dir() / CSV_RELATIVE_PATH


def gender_forms(label: str) -> tuple[str, str]:
    """Split an inclusive ROME label into (masculine, feminine) forms.

    "Technicien forestier / Technicienne forestière d'études" gives
    ("Technicien forestier d'études", "Technicienne forestière d'études");
    "Garde national / nationale de la chasse" gives ("Garde national de la chasse",
    "Garde nationale de la chasse"). Labels with several slashes are split
    left to right, one slash at a time."""
    masculine = feminine = label
    while " / " in masculine or " / " in feminine:
        new_masculine = _split_once(masculine)[0]
        new_feminine = _split_once(feminine)[1]
        if (new_masculine, new_feminine) == (masculine, feminine):
            break
        masculine, feminine = new_masculine, new_feminine
    return masculine, feminine


def _split_once(text: str) -> tuple[str, str]:
    if " / " not in text:
        return text, text
    left, right = text.split(" / ", 1)
    left_words, right_words = left.split(" "), right.split(" ")
    # The feminine words replace the last k words of the left part, where k is the
    # longest run that looks like gender variants of each other (same stem).
    k = 0
    for size in range(min(len(left_words), len(right_words)), 0, -1):
        pairs = zip(left_words[-size:], right_words[:size])
        if all(_same_stem(a, b) for a, b in pairs):
            k = size
            break
    if k == 0:
        # "au directeur / à la directrice marketing": the variant of the last left
        # word comes later on the right; the words before it replace as many words.
        for j in range(1, len(right_words)):
            if _same_stem(left_words[-1], right_words[j]):
                replaced = max(1, min(j, len(left_words) - 1))
                masculine = " ".join(left_words + right_words[j + 1 :])
                feminine = " ".join(left_words[:-replaced] + right_words)
                return masculine, feminine
        k = 1  # different words ("Steward / Hôtesse"): swap the last word only
    masculine = " ".join(left_words + right_words[k:])
    feminine = " ".join(left_words[:-k] + right_words)
    return masculine, feminine


def _same_stem(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    prefix = min(4, len(a), len(b))
    return a[:prefix] == b[:prefix]


_ACRONYM = re.compile(r"\s*-[A-Z0-9][A-Z0-9 .&-]*-\s*$")


def strip_acronym(label: str) -> str:
    """"Auxiliaire de Vie Sociale -AVS-" -> "Auxiliaire de Vie Sociale"."""
    return _ACRONYM.sub("", label).strip()


@lru_cache(maxsize=4)
def load_appellations(path: str | None = None) -> tuple[Appellation, ...]:
    """All appellations of the CSV (cached: the file is read once per path)."""
    source = Path(path) if path else csv_path()
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    appellations = []
    for row in rows:
        label = row["appellation_label"].strip()
        masculine, feminine = gender_forms(label)
        appellations.append(
            Appellation(
                code=row["appellation_code"].strip(),
                label=label,
                rome_code=row["rome_code"].strip(),
                rome_label=row["rome_label"].strip(),
                masculine=masculine,
                feminine=feminine,
            )
        )
    return tuple(appellations)


@lru_cache(maxsize=4)
def _by_code(path: str | None = None) -> dict[str, Appellation]:
    return {a.code: a for a in load_appellations(path)}


@lru_cache(maxsize=4)
def _by_label(path: str | None = None) -> dict[str, Appellation]:
    return {a.label: a for a in load_appellations(path)}


@lru_cache(maxsize=4)
def _rome_labels(path: str | None = None) -> dict[str, str]:
    return {a.rome_code: a.rome_label for a in load_appellations(path)}


def appellation_by_code(code: str) -> Appellation | None:
    return _by_code().get(str(code))


def appellation_by_label(label: str) -> Appellation | None:
    """Lookup by the exact official label (the `metier` entity value)."""
    return _by_label().get(label)


def rome_label(rome_code: str) -> str | None:
    """"J1506" -> "Soins infirmiers généralistes"."""
    return _rome_labels().get(rome_code.upper())


def appellations_for_rome(rome_code: str) -> list[Appellation]:
    code = rome_code.upper()
    return [a for a in load_appellations() if a.rome_code == code]
