"""The referral matrix as data: directory/rules/matrix.yml and regional overrides.

`load_rules(rules_dir)` reads and validates the files and returns the rows of the
`referral_rules` table; the importer stores them, the engine reads them back.
Any mistake in a file raises `RulesError` with a French message naming the file
and the line concerned, so a region editing its rules gets a clear refusal.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from directory.referral.eligibility import condition_errors
from directory.vocabulary import Need, Network

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
MATRIX_FILE = "matrix.yml"
REGIONS_DIR = "regions"
# The generic first level (declined status, or no line applies).
GENERIC_NEED = "*"
_REGION_CODE = re.compile(r"^\d{2,3}$")


class RulesError(ValueError):
    """A rules file is invalid; the message is French and names the file."""


def load_rules(rules_dir: Path | str = DEFAULT_RULES_DIR) -> list[dict]:
    """All rows of the referral matrix: national ones (region_code None) then each
    region's overrides, in a stable order. Each row: need, region_code, rank
    (1 = most appropriate), network_code, conditions (dict), reason (French)."""
    rules_dir = Path(rules_dir)
    matrix_path = rules_dir / MATRIX_FILE
    if not matrix_path.is_file():
        raise RulesError(f"Fichier de règles introuvable : {matrix_path}.")
    rows = _rows_from_file(matrix_path, region_code=None, require_all_needs=True)
    regions_dir = rules_dir / REGIONS_DIR
    if regions_dir.is_dir():
        for path in sorted(regions_dir.glob("*.yml")):
            if not _REGION_CODE.match(path.stem):
                raise RulesError(
                    f"{path.name} : le nom du fichier doit être le code de la région "
                    "(par exemple 24.yml pour le Centre-Val de Loire)."
                )
            rows += _rows_from_file(path, region_code=path.stem, require_all_needs=False)
    return rows


def _rows_from_file(path: Path, *, region_code: str | None, require_all_needs: bool) -> list[dict]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise RulesError(f"{path.name} : YAML illisible ({error}).") from None
    if not isinstance(document, dict) or not isinstance(document.get("needs"), dict):
        raise RulesError(f"{path.name} : le fichier doit contenir une clé « needs » (dictionnaire besoin → lignes).")
    unknown_keys = set(document) - {"needs"}
    if unknown_keys:
        raise RulesError(f"{path.name} : clé(s) inconnue(s) : {', '.join(sorted(map(str, unknown_keys)))}.")
    needs = document["needs"]
    known_needs = [member.value for member in Need] + [GENERIC_NEED]
    for need in needs:
        if need not in known_needs:
            raise RulesError(
                f"{path.name} : besoin inconnu « {need} » (possibles : {', '.join(known_needs)})."
            )
    if require_all_needs:
        missing = [need for need in known_needs if need not in needs]
        if missing:
            raise RulesError(f"{path.name} : besoin(s) sans règle : {', '.join(missing)}.")
    rows = []
    for need in known_needs:  # stable order whatever the file's order
        if need in needs:
            rows += _rows_for_need(path.name, need, needs[need], region_code)
    return rows


def _rows_for_need(file_name: str, need: str, lines: object, region_code: str | None) -> list[dict]:
    if not isinstance(lines, list) or not lines:
        raise RulesError(f"{file_name} : « {need} » doit être une liste non vide de lignes.")
    networks = {member.value for member in Network}
    rows = []
    for rank, line in enumerate(lines, start=1):
        where = f"{file_name} : {need}, ligne {rank}"
        if not isinstance(line, dict):
            raise RulesError(f"{where} : chaque ligne doit être un dictionnaire (network, when, reason).")
        unknown_keys = set(line) - {"network", "when", "reason"}
        if unknown_keys:
            raise RulesError(f"{where} : clé(s) inconnue(s) : {', '.join(sorted(map(str, unknown_keys)))}.")
        network = line.get("network")
        if network not in networks:
            raise RulesError(
                f"{where} : réseau inconnu « {network} » (possibles : {', '.join(sorted(networks))})."
            )
        errors = condition_errors(line.get("when"))
        if errors:
            raise RulesError(f"{where} : {' '.join(errors)}")
        reason = line.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise RulesError(f"{where} : il manque la raison (« reason »), en français, montrée à la personne.")
        rows.append(
            {
                "need": need,
                "region_code": region_code,
                "rank": rank,
                "network_code": network,
                "conditions": dict(line.get("when") or {}),
                "reason": reason.strip(),
            }
        )
    return rows
