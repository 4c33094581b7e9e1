"""`python -m directory commune "st brieuc"`: how the directory reads a commune."""
from __future__ import annotations

import argparse
import sys

from sqlalchemy import inspect

from directory.cli import UserError
from directory.communes import CommuneInfo, CommuneResolver, Resolution
from directory.db import make_engine, make_session_factory

HELP = "Retrouve une commune à partir de ce qu'une personne écrit (nom, code postal, code INSEE)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("texte", nargs="+", help="ce que la personne a écrit, par exemple « st brieuc » ou « 35000 »")


def run(args: argparse.Namespace) -> int:
    text = " ".join(args.texte).strip()
    if not text:
        raise UserError("indiquez une commune, un code postal ou un code INSEE.")
    engine = make_engine(getattr(args, "database_url", None))
    try:
        if not inspect(engine).has_table("communes"):
            raise UserError("l'annuaire est vide : lancez d'abord « python -m directory import ».")
        with make_session_factory(engine)() as session:
            resolver = CommuneResolver.from_session(session)
    finally:
        engine.dispose()
    if not len(resolver):
        raise UserError("aucune commune dans l'annuaire : lancez d'abord « python -m directory import ».")
    resolution = resolver.resolve(text)
    if resolution.status == "not_found":
        print(f"Aucune commune trouvée pour « {text} ». Vérifiez l'orthographe ou indiquez le code postal.", file=sys.stderr)
        return 1
    print(to_text(text, resolution))
    return 0


def to_text(text: str, resolution: Resolution) -> str:
    if resolution.status == "found":
        return "\n".join(describe(resolution.commune))
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
