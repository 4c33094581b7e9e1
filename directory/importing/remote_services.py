"""directory/curated/remote_services.yml → rows of the remote_services table.

Format: a YAML list of {slug, name, kind (phone|tchat|web|visio|mail), contact,
hours (optional), region_code (null = national), network (optional network code),
needs (list of need slugs; empty = all), source, source_date}.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from directory.importing.errors import ImportDataError
from directory.importing.networks import normalize_network
from directory.importing.report import ImportReport
from directory.vocabulary import Need, RemoteKind

REQUIRED_KEYS = ("slug", "name", "kind", "contact", "source", "source_date")


def read_remote_services(path: Path, shown_as: str, report: ImportReport) -> list[dict]:
    """Valid rows, in file order; invalid entries are rejected into `report`."""
    items = _load_items(path, shown_as)
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for line, item in items:
        problem, row = _remote_service(item)
        if problem is None and row["slug"] in seen:
            problem = f"doublon : slug « {row['slug']} » déjà présent ligne {seen[row['slug']]}"
        if problem is not None:
            report.reject(shown_as, line, problem)
            continue
        seen[row["slug"]] = line
        rows.append(row)
    return rows


def _load_items(path: Path, shown_as: str) -> list[tuple[int, object]]:
    """(line, item) for each list entry; the whole file must be a YAML list."""
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except UnicodeDecodeError:
        raise ImportDataError(f"{shown_as} n'est pas encodé en UTF-8 : fichier mal formé.") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", ligne {mark.line + 1}" if mark is not None else ""
        raise ImportDataError(f"{shown_as}{where} : YAML mal formé ({getattr(error, 'problem', error)}).") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ImportDataError(f"{shown_as} doit contenir une liste de services (« - slug: … »).")
    return [(item_node.start_mark.line + 1, item) for item_node, item in zip(node.value, data)]


def _remote_service(item: object) -> tuple[str | None, dict]:
    if not isinstance(item, dict):
        return "entrée mal formée : un service est un ensemble de clés (slug, name, kind…)", {}
    missing = [key for key in REQUIRED_KEYS if not str(item.get(key) or "").strip()]
    if missing:
        return f"champ(s) obligatoire(s) manquant(s) : {', '.join(missing)}", {}
    kind = str(item["kind"]).strip()
    if kind not in {k.value for k in RemoteKind}:
        return f"type de service inconnu « {kind} » (phone, tchat, web, visio ou mail)", {}
    network_code = None
    if item.get("network"):
        network = normalize_network(str(item["network"]))
        if network is None:
            return f"réseau inconnu « {item['network']} »", {}
        network_code = network.value
    needs = item.get("needs") or []
    if not isinstance(needs, list):
        return "needs doit être une liste de besoins", {}
    unknown = [str(n) for n in needs if str(n) not in {need.value for need in Need}]
    if unknown:
        return f"besoin(s) inconnu(s) : {', '.join(unknown)}", {}
    region_code = item.get("region_code")
    return None, {
        "slug": str(item["slug"]).strip(),
        "name": str(item["name"]).strip(),
        "kind": kind,
        "contact": str(item["contact"]).strip(),
        "hours": str(item["hours"]).strip() if item.get("hours") else None,
        "region_code": str(region_code).strip() if region_code not in (None, "") else None,
        "network_code": network_code,
        "needs": [str(n) for n in needs],
        "source": str(item["source"]).strip(),
        "source_date": str(item["source_date"]).strip(),
        "curated": True,
    }
