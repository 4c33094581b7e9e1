"""Referral rules: read by the referral package's own loader, checked here.

The matrix format (directory/rules/matrix.yml + regions/<code>.yml) belongs to
directory.referral.matrix; its `load_rules(rules_dir)` returns dicts with need,
region_code (None = national), rank, network_code (or network), conditions,
reason, and optionally file/line for error reports.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path

import yaml

from directory.importing.errors import ImportDataError
from directory.importing.networks import normalize_network
from directory.importing.report import ImportReport
from directory.vocabulary import Need

LOADER_MODULE = "directory.referral.matrix"


def read_rules(rules_dir: Path, shown_as: str, report: ImportReport) -> list[dict] | None:
    """Valid rule rows, or None when there is nothing to import yet (no matrix file
    or no loader): existing rules are then left as they are."""
    if not (rules_dir / "matrix.yml").is_file():
        report.notes_fr.append(f"Règles d'orientation non importées : {shown_as}/matrix.yml absent.")
        return None
    if importlib.util.find_spec(LOADER_MODULE) is None:
        report.notes_fr.append(f"Règles d'orientation non importées : module {LOADER_MODULE} absent.")
        return None
    loader = importlib.import_module(LOADER_MODULE)
    try:
        raw_rules = loader.load_rules(rules_dir)
    except (ValueError, OSError, yaml.YAMLError) as error:
        raise ImportDataError(f"Règles d'orientation ({shown_as}) illisibles : {error}") from None
    rows: list[dict] = []
    seen: set[tuple] = set()
    for raw in raw_rules:
        rule = dict(raw) if isinstance(raw, dict) else dict(vars(raw))
        file = str(rule.get("file") or shown_as)
        line = int(rule.get("line") or 0)
        problem, row = _rule(rule, generic_need=getattr(loader, "GENERIC_NEED", None))
        if problem is None and rule_key(row) in seen:
            problem = f"doublon : règle {row['need']} / {row['network_code']} rang {row['rank']} déjà présente"
        if problem is not None:
            report.reject(file, line, problem)
            continue
        seen.add(rule_key(row))
        rows.append(row)
    return rows


def rule_key(row) -> tuple:
    conditions = json.dumps(row["conditions"] or {}, sort_keys=True, ensure_ascii=False)
    return (row["need"], row["region_code"], row["rank"], row["network_code"], conditions)


def _rule(rule: dict, generic_need: str | None = None) -> tuple[str | None, dict]:
    need = str(rule.get("need") or "")
    # The loader's generic first level ("*": status declined, or no line applies)
    # is a need of the rules table like the others.
    if need not in {n.value for n in Need} and need != generic_need:
        return f"besoin inconnu « {need} »", {}
    raw_network = str(rule.get("network_code") or rule.get("network") or "")
    network = normalize_network(raw_network)
    if network is None:
        return f"réseau inconnu « {raw_network} »", {}
    try:
        rank = int(rule.get("rank"))
    except (TypeError, ValueError):
        return f"rang invalide « {rule.get('rank')} »", {}
    conditions = rule.get("conditions") or {}
    if not isinstance(conditions, dict):
        return "conditions mal formées (un ensemble de clés attendu)", {}
    reason = str(rule.get("reason") or "").strip()
    if not reason:
        return "raison (reason) manquante", {}
    region_code = rule.get("region_code")
    return None, {
        "need": need,
        "region_code": str(region_code) if region_code not in (None, "") else None,
        "rank": rank,
        "network_code": network.value,
        "conditions": conditions,
        "reason": reason,
    }
