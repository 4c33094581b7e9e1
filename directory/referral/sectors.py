"""The trade sector of a ROME code (directory/rules/trade_sectors.yml): which
chamber accompanies a business creation or an apprenticeship in that trade."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from directory.vocabulary import SECTEURS

SECTORS_FILE = Path(__file__).resolve().parent.parent / "rules" / "trade_sectors.yml"


@lru_cache(maxsize=None)
def _prefixes(path: Path = SECTORS_FILE) -> dict[str, str | None]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    prefixes = {str(code).upper(): value for code, value in (data.get("prefixes") or {}).items()}
    wrong = sorted(f"{code}: {value}" for code, value in prefixes.items() if value is not None and value not in SECTEURS)
    if wrong:
        raise ValueError(f"{path.name} : secteur inconnu pour {', '.join(wrong)} (possibles : {', '.join(SECTEURS)}).")
    return prefixes


def sector_of_rome(rome_code: str | None, path: Path = SECTORS_FILE) -> str | None:
    """"D1102" (boulangerie) -> "artisanat"; None when unknown or no chamber."""
    if not rome_code:
        return None
    prefixes = _prefixes(path)
    code = str(rome_code).strip().upper()
    for length in range(len(code), 0, -1):
        if code[:length] in prefixes:
            return prefixes[code[:length]]
    return None
