"""`python -m directory stats [--json]`: what the directory holds and how old it is."""
from __future__ import annotations

import argparse
import json

from sqlalchemy import inspect

from directory.cli import UserError
from directory.db import make_engine, make_session_factory
from directory.coverage import FAR_KM, network_coverage, national_share_far
from directory.statistics import directory_stats

HELP = ("Affiche le contenu de l'annuaire : structures par réseau et par région, lacunes, âge des données, "
        "part de la population loin de chaque réseau.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="sortie JSON (pour les scripts)")
    parser.add_argument("--couverture", action="store_true",
                        help=f"détail par réseau et par département : structures situées, âge des données, "
                             f"part de la population à plus de {FAR_KM:.0f} km")
    parser.add_argument("--reseau", metavar="CODE", help="avec --couverture : un seul réseau (ex. cio)")
    parser.add_argument("--departement", metavar="CODE", help="avec --couverture : un seul département (ex. 29)")


def run(args: argparse.Namespace) -> int:
    engine = make_engine(getattr(args, "database_url", None))
    try:
        if not inspect(engine).has_table("import_runs"):
            raise UserError("l'annuaire est vide : lancez d'abord « python -m directory import ».")
        with make_session_factory(engine)() as session:
            stats = directory_stats(session)
            if args.couverture:
                _check_filters(session, args)
                detail = network_coverage(session, network=args.reseau, department_code=args.departement)
                stats["coverage"] = [row.to_dict() for row in detail]
            else:
                shares = national_share_far(network_coverage(session))
                stats["share_far"] = {code: round(share, 4) for code, share in shares.items()}
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(coverage_text(stats["coverage"]) if args.couverture else to_text(stats))
    return 0


def _check_filters(session, args: argparse.Namespace) -> None:
    from sqlalchemy import select

    from directory.models import Commune, NetworkRow

    if args.reseau is not None and session.get(NetworkRow, args.reseau) is None:
        raise UserError(f"réseau inconnu « {args.reseau} » (voir « python -m directory stats »).")
    if args.departement is not None and session.scalar(
            select(Commune.insee_code).where(Commune.department_code == args.departement).limit(1)) is None:
        raise UserError(f"département inconnu « {args.departement} » (exemples : 29, 2A, 974).")


def coverage_text(rows: list[dict]) -> str:
    lines = [f"Couverture par réseau et par département (population à plus de {FAR_KM:.0f} km "
             "de la structure la plus proche du réseau) :",
             f"  {'réseau':<20} {'département':<28} {'situées':>7} {'données':<20} {'loin':>7}"]
    for row in rows:
        dates = row["data_date_min"] or "—"
        if row["data_date_max"] and row["data_date_max"] != row["data_date_min"]:
            dates = f"{row['data_date_min']} à {row['data_date_max']}"
        department = f"{row['department_code']} {row['department_name']}"[:28]
        lines.append(f"  {row['network']:<20} {department:<28} {row['located']:>7} {dates:<20} "
                     f"{_percent(row['share_far']):>7}")
    return "\n".join(lines)


def _percent(share: float) -> str:
    return f"{share * 100:.1f} %".replace(".", ",")


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
    lines += [f"  {row['structures']:>6}  {row['network']} – {row['label']}"
              f" ({_percent(stats['share_far'].get(row['network'], 1.0))} de la population à plus de {FAR_KM:.0f} km)"
              for row in stats["by_network"]]
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
