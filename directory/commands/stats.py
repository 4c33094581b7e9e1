"""`python -m directory stats [--json]`: what the directory holds and how old it is."""
from __future__ import annotations

import argparse
import json

from sqlalchemy import inspect

from directory.cli import UserError
from directory.db import make_engine, make_session_factory
from directory.statistics import directory_stats

HELP = "Affiche le contenu de l'annuaire : structures par réseau et par région, lacunes, âge des données."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="sortie JSON (pour les scripts)")


def run(args: argparse.Namespace) -> int:
    engine = make_engine(getattr(args, "database_url", None))
    try:
        if not inspect(engine).has_table("import_runs"):
            raise UserError("l'annuaire est vide : lancez d'abord « python -m directory import ».")
        with make_session_factory(engine)() as session:
            stats = directory_stats(session)
    finally:
        engine.dispose()
    print(json.dumps(stats, ensure_ascii=False, indent=2) if args.json else to_text(stats))
    return 0


def to_text(stats: dict) -> str:
    lines = [
        "Annuaire des partenaires",
        f"  Structures : {stats['structures']} (dont {stats['curated']} ajoutées ou corrigées à la main, "
        f"{stats['without_coordinates']} sans coordonnées)",
        f"  Communes : {stats['communes']}",
        f"  Services à distance : {stats['remote_services']}",
        f"  Règles d'orientation : {stats['referral_rules']}",
        "",
        "Structures par réseau :",
    ]
    lines += [f"  {row['structures']:>6}  {row['network']} – {row['label']}" for row in stats["by_network"]]
    lines += ["", "Structures par région :"]
    lines += [
        f"  {row['structures']:>6}  {row['region_code'] or '—'} {row['region_name'] or '(région inconnue)'}"
        for row in stats["by_region"]
    ]
    lines += ["", "Âge des données, par source :"]
    for row in stats["by_source"]:
        dates = row["data_date_min"] or "date inconnue"
        if row["data_date_max"] and row["data_date_max"] != row["data_date_min"]:
            dates = f"de {row['data_date_min']} à {row['data_date_max']}"
        lines.append(f"  {row['source']} : {row['structures']} structures, données de {dates}")
        lines.append(f"      source : {row['source_label']}")
    last = stats["last_import"]
    lines.append("")
    if last is None:
        lines.append("Dernier import : aucun.")
    else:
        lines.append(
            f"Dernier import : {last['finished_at']} (UTC), {last['rejected']} ligne(s) rejetée(s), "
            f"données lues dans {last['data_dir']}"
        )
    return "\n".join(lines)
