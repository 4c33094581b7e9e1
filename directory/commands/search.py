"""`python -m directory search --need vae [--public salarie] [--handicap] [--cadre]
[--age 34] [--commune "Lucé"] [--secteur artisanat] [--json]`: the referral a person
would get. `--json` prints `{"custom": referral.to_payload()}`, the bot's message."""
from __future__ import annotations

import argparse
import json
import unicodedata

from sqlalchemy import inspect, select

from directory.cli import UserError
from directory.db import make_engine, make_session_factory
from directory.models import Commune
from directory.referral import refer
from directory.referral.eligibility import SECTEURS
from directory.vocabulary import Need, Network, Public, RemoteKind

HELP = "Propose les structures et services à distance adaptés à une personne (orientation)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--need", required=True, help=f"besoin ({', '.join(n.value for n in Need)})")
    parser.add_argument("--public", help=f"situation ({', '.join(p.value for p in Public)})")
    parser.add_argument("--handicap", action="store_true", help="la personne est en situation de handicap")
    parser.add_argument("--cadre", action="store_true", help="la personne est cadre")
    parser.add_argument("--age", type=int, help="âge en années")
    parser.add_argument("--commune", help="commune : nom ou code INSEE (par exemple « Lucé » ou 28218)")
    parser.add_argument("--secteur", help=f"secteur d'activité pour une création d'entreprise ({', '.join(SECTEURS)})")
    parser.add_argument("--json", action="store_true", help="sortie JSON : le message envoyé par le bot")


def run(args: argparse.Namespace) -> int:
    _check_choice(args.need, Need, "besoin")
    if args.public is not None:
        _check_choice(args.public, Public, "public")
    engine = make_engine(getattr(args, "database_url", None))
    try:
        if not inspect(engine).has_table("import_runs"):
            raise UserError("l'annuaire est vide : lancez d'abord « python -m directory import ».")
        factory = make_session_factory(engine)
        with factory() as session:
            commune = _commune(session, factory, args.commune) if args.commune else None
            try:
                referral = refer(session, need=args.need, public=args.public, handicap=args.handicap,
                                 cadre=args.cadre, age=args.age, commune=commune, secteur=args.secteur)
            except ValueError as error:
                raise UserError(str(error)) from None
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps({"custom": referral.to_payload()}, ensure_ascii=False, indent=2))
    else:
        print(to_text(referral.to_payload()))
    return 0


def _check_choice(value: str, enum, what: str) -> None:
    if value not in {member.value for member in enum}:
        allowed = ", ".join(member.value for member in enum)
        raise UserError(f"{what} inconnu « {value} » (valeurs possibles : {allowed}).")


def _commune(session, factory, text: str):
    """The CommuneInfo for `text`: the shared resolver when the communes package
    provides it, else an exact INSEE code or exact name (any case, any accents)."""
    try:
        from directory.communes import load_resolver  # provided by the communes area
    except ImportError:
        load_resolver = None
    if load_resolver is not None:
        resolution = load_resolver(factory).resolve(text)
        if resolution.status == "found":
            return resolution.commune
        if resolution.status == "ambiguous":
            raise UserError(_ambiguous(text, resolution.candidates))
        raise UserError(f"commune introuvable : « {text} ».")
    return _commune_by_sql(session, text)


def _commune_by_sql(session, text: str):
    from directory.communes import CommuneInfo

    text = text.strip()
    row = session.get(Commune, text.upper())
    if row is not None:
        return CommuneInfo.from_row(row)
    wanted = _fold(text)
    # Names are compared folded in Python: SQLite has no accent-insensitive collation.
    codes = sorted(code for code, name in session.execute(select(Commune.insee_code, Commune.name))
                   if _fold(name) == wanted)
    matches = [session.get(Commune, code) for code in codes]
    if not matches:
        raise UserError(f"commune introuvable : « {text} » (donnez son nom exact ou son code INSEE).")
    if len(matches) > 1:
        raise UserError(_ambiguous(text, [CommuneInfo.from_row(row) for row in matches]))
    return CommuneInfo.from_row(matches[0])


def _ambiguous(text: str, candidates) -> str:
    listed = "\n".join(f"  - {c.name} ({c.department_name}, code INSEE {c.insee_code})" for c in candidates)
    return f"plusieurs communes s'appellent « {text} » ; précisez avec le code INSEE :\n{listed}"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split())


def to_text(payload: dict) -> str:
    """The referral as a person would read it (French)."""
    need = Need(payload["need"]).label
    public = Public(payload["public"]).label if payload["public"] else "situation non précisée"
    place = payload["commune"] or "commune non précisée"
    lines = [f"Besoin : {need} — {public} — {place}", ""]
    if payload["structures"]:
        lines.append("Structures proposées (la plus adaptée d'abord) :")
    else:
        lines.append("Aucune structure proposée près de chez vous.")
    for rank, item in enumerate(payload["structures"], start=1):
        distance = f"à {item['distance_km']:.1f} km".replace(".", ",") if item["distance_km"] is not None else "à distance"
        lines.append(f"{rank}. {item['name']} ({Network(item['network']).label}, {distance})")
        where = ", ".join(part for part in (item["address"], " ".join(p for p in (item["postcode"], item["commune"]) if p)) if part)
        if where:
            lines.append(f"   Adresse : {where}")
        for label, key in (("Téléphone", "phone"), ("Courriel", "email"), ("Site", "website")):
            if item[key]:
                lines.append(f"   {label} : {item[key]}")
        lines.append(f"   Pourquoi : {item['reason']}")
    if payload["remote"]:
        lines += ["", "Services à distance :"]
        for item in payload["remote"]:
            hours = f" ({item['hours']})" if item["hours"] else ""
            lines.append(f"  - {item['name']} — {RemoteKind(item['kind']).label} : {item['contact']}{hours}")
    return "\n".join(lines)
