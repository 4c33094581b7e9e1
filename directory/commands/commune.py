"""`python -m directory commune "st brieuc" [--region 53]`: how the directory reads a
commune, as the bot does: homonyms are settled by the site's region or by a tenfold
population (the others are listed), and listed when nothing settles them."""
from __future__ import annotations

import argparse
import sys

from sqlalchemy import inspect

from directory.cli import UserError
from directory.communes import CommuneInfo, Resolution, load_resolver
from directory.communes.homonyms import chosen_among_homonyms, settle
from directory.db import make_engine, make_session_factory

HELP = "Retrouve une commune à partir de ce qu'une personne écrit (nom, code postal, code INSEE)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("texte", nargs="+", help="ce que la personne a écrit, par exemple « st brieuc » ou « 35000 »")
    parser.add_argument("--region", help="code INSEE de la région du site (départage les communes homonymes), par exemple 53")


def run(args: argparse.Namespace) -> int:
    text = " ".join(args.texte).strip()
    if not text:
        raise UserError("indiquez une commune, un code postal ou un code INSEE.")
    engine = make_engine(getattr(args, "database_url", None))
    try:
        if not inspect(engine).has_table("communes"):
            raise UserError("l'annuaire est vide : lancez d'abord « python -m directory import ».")
        resolver = load_resolver(make_session_factory(engine))
    finally:
        engine.dispose()
    if not len(resolver):
        raise UserError("aucune commune dans l'annuaire : lancez d'abord « python -m directory import ».")
    resolution = settle(resolver.resolve(text), args.region)
    if resolution.status == "not_found":
        print(f"Aucune commune trouvée pour « {text} ». Vérifiez l'orthographe ou indiquez le code postal.", file=sys.stderr)
        return 1
    print(to_text(text, resolution))
    return 0


def to_text(text: str, resolution: Resolution) -> str:
    if resolution.status == "found":
        lines = describe(resolution.commune)
        if chosen_among_homonyms(resolution):
            lines.append("  Autres communes de ce nom : " + " ; ".join(
                f"{c.name} ({c.department_name}, {c.department_code})" for c in resolution.candidates[1:]))
        return "\n".join(lines)
    lines = [f"Plusieurs communes correspondent à « {text} » :"]
    for number, commune in enumerate(resolution.candidates, start=1):
        lines.append(f"  {number}. {commune.name} ({commune.department_name}, {commune.department_code})"
                     f" – {_postcodes(commune)}")
    return "\n".join(lines)


def describe(commune: CommuneInfo) -> list[str]:
    return [
        f"Commune : {commune.name}",
        f"  Département : {commune.department_name} ({commune.department_code})",
        f"  Région : {commune.region_name or '—'}",
        f"  Codes postaux : {_postcodes(commune)}",
        f"  Code INSEE : {commune.insee_code}",
    ]


def _postcodes(commune: CommuneInfo) -> str:
    return ", ".join(commune.postcodes) if commune.postcodes else "inconnu"
