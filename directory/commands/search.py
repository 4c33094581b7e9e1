"""`python -m directory search --need vae [--public salarie] [--handicap] [--cadre]
[--femme] [--age 34] [--commune "Lucé"] [--region 53] [--secteur artisanat] [--json]`:
the referral a person would get. `--json` prints `{"custom": referral.to_payload()}`,
the bot's message. A commune name shared by several communes is settled as the bot
settles it (the site's region, a tenfold population), said on stderr; it is an
error only when nothing settles it."""
from __future__ import annotations

import argparse
import json
import sys

from sqlalchemy import inspect

from directory.cli import UserError
from directory.db import make_engine, make_session_factory
from directory.vocabulary import SECTEURS, Need, Network, Public, RemoteKind

HELP = "Propose les structures et services à distance adaptés à une personne (orientation)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--need", required=True, help=f"besoin ({', '.join(n.value for n in Need)})")
    parser.add_argument("--public", help=f"situation ({', '.join(p.value for p in Public)})")
    parser.add_argument("--handicap", action="store_true", help="la personne est en situation de handicap")
    parser.add_argument("--cadre", action="store_true", help="la personne est cadre")
    parser.add_argument("--femme", action="store_true",
                        help="la personne a dit être une femme (le bot ne le demande jamais)")
    parser.add_argument("--age", type=int, help="âge en années")
    parser.add_argument("--commune", help="commune : nom ou code INSEE (par exemple « Lucé » ou 28218)")
    parser.add_argument("--region", help="code INSEE de la région du site (départage les communes homonymes)")
    parser.add_argument("--secteur", help=f"secteur d'activité pour une création d'entreprise ({', '.join(SECTEURS)})")
    parser.add_argument("--json", action="store_true", help="sortie JSON : le message envoyé par le bot")


def run(args: argparse.Namespace) -> int:
    _check_choice(args.need, Need, "besoin")
    if args.public is not None:
        _check_choice(args.public, Public, "public")
    from directory.referral import refer  # numpy and the catalog: this command only

    engine = make_engine(getattr(args, "database_url", None))
    try:
        if not inspect(engine).has_table("import_runs"):
            raise UserError("l'annuaire est vide : lancez d'abord « python -m directory import ».")
        factory = make_session_factory(engine)
        with factory() as session:
            commune = _commune(session, factory, args.commune, args.region) if args.commune else None
            try:
                referral = refer(session, need=args.need, public=args.public, handicap=args.handicap,
                                 cadre=args.cadre, age=args.age, commune=commune, secteur=args.secteur,
                                 woman=args.femme)
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


def _commune(session, factory, text: str, region: str | None = None):
    """The CommuneInfo for `text`, read as the bot reads it (directory.communes)."""
    from directory.communes import load_resolver
    from directory.communes.homonyms import chosen_among_homonyms, settle

    resolution = settle(load_resolver(factory).resolve(text), region)
    if resolution.status == "found":
        if chosen_among_homonyms(resolution):
            others = ", ".join(c.label for c in resolution.candidates[1:])
            print(f"Commune comprise : {resolution.commune.label} (autres communes de ce nom : {others} ; "
                  "précisez le code INSEE ou --region pour une autre).", file=sys.stderr)
        return resolution.commune
    if resolution.status == "ambiguous":
        raise UserError(_ambiguous(text, resolution.candidates))
    raise UserError(f"commune introuvable : « {text} ».")


def _ambiguous(text: str, candidates) -> str:
    listed = "\n".join(f"  - {c.name} ({c.department_name}, code INSEE {c.insee_code})" for c in candidates)
    return f"plusieurs communes s'appellent « {text} » ; précisez avec le code INSEE :\n{listed}"


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
