"""The referral desk of the console (/conseil/orienter): a counsellor on the phone or
tchat platform types a situation and gets the bot's referral with its reasons, the
first-level information for the need, the remote services and the other structures
near the person (filters: network, distance). During a handoff the chosen cards go
into the conversation: the console triggers `counsellor_message` with the query and
the chosen ids (entity counsellor_referral), and the action server rebuilds the same
cards from the directory (directory/referral/desk.py), so nothing but ids and the
situation travels, and the widget receives the spec's referral payload.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml
from aiohttp import web
from sqlalchemy.exc import OperationalError

from directory.referral.desk import DEFAULT_MAX_KM, DeskQuery, DeskResult, desk_search, network_choices
from directory.vocabulary import Need, Public

NEEDS_DOMAIN = Path(__file__).resolve().parents[2] / "domain" / "needs.yml"
DISTANCES_KM = (10, 30, 60, 120)
REFERRAL_ENTITY = "counsellor_referral"


@dataclass
class DeskForm:
    """What the counsellor typed, as typed (to refill the form), and the errors."""

    values: dict[str, str]
    query: Optional[DeskQuery] = None
    errors: dict[str, str] = field(default_factory=dict)
    candidates: list = field(default_factory=list)  # homonymous communes to choose from
    said_back: Optional[str] = None  # "Commune comprise : …" when a homonym was chosen


FIELDS = ("besoin", "situation", "age", "commune", "reseau", "distance", "handicap", "cadre")


def read_form(values: dict[str, str], resolve_commune) -> DeskForm:
    """`resolve_commune(text)` → directory Resolution (settled as the bot does)."""
    form = DeskForm(values={name: str(values.get(name, "")).strip() for name in FIELDS})
    typed = form.values
    need = typed["besoin"]
    if need not in {n.value for n in Need}:
        form.errors["besoin"] = "Choisissez le besoin de la personne."
    public = typed["situation"] or None
    if public is not None and public not in {p.value for p in Public}:
        form.errors["situation"] = "Choisissez une situation dans la liste."
    age = None
    if typed["age"]:
        if not typed["age"].isdigit() or not 0 < int(typed["age"]) < 130:
            form.errors["age"] = "Indiquez l'âge en années, par exemple 34."
        else:
            age = int(typed["age"])
    network = typed["reseau"] or None
    if network is not None and network not in dict(network_choices()):
        form.errors["reseau"] = "Choisissez un réseau dans la liste."
    max_km = float(DEFAULT_MAX_KM)
    if typed["distance"]:
        if typed["distance"] not in {str(km) for km in DISTANCES_KM}:
            form.errors["distance"] = "Choisissez une distance dans la liste."
        else:
            max_km = float(typed["distance"])
    commune = None
    if typed["commune"]:
        resolution = resolve_commune(typed["commune"])
        if resolution.status == "found":
            commune = resolution.commune
            from directory.communes.homonyms import chosen_among_homonyms

            if chosen_among_homonyms(resolution):
                form.said_back = f"Commune comprise : {commune.label}."
        elif resolution.status == "ambiguous":
            form.candidates = list(resolution.candidates)
            form.errors["commune"] = (f"Plusieurs communes s'appellent « {typed['commune']} » : "
                                      "choisissez-en une ci-dessous ou tapez son code postal.")
        else:
            form.errors["commune"] = (f"Commune introuvable : « {typed['commune']} ». "
                                      "Vérifiez l'orthographe ou tapez le code postal.")
    if not form.errors:
        form.query = DeskQuery(need=need, public=public, age=age, handicap=typed["handicap"] == "oui",
                               cadre=typed["cadre"] == "oui", commune=commune, network=network,
                               max_km=max_km)
    return form


def referral_entity(query: DeskQuery, ids: list[str]) -> str:
    """The entity the console sends: the situation and the chosen ids, no text."""
    return json.dumps({
        "need": query.need, "public": query.public, "age": query.age, "handicap": query.handicap,
        "cadre": query.cadre, "commune_insee": getattr(query.commune, "insee_code", None),
        "network": query.network, "max_km": query.max_km, "ids": ids,
    }, ensure_ascii=False)


@functools.lru_cache(maxsize=1)
def first_level_information() -> dict[str, str]:
    """Need slug → the bot's first-level text for it (domain/needs.yml)."""
    responses = yaml.safe_load(NEEDS_DOMAIN.read_text(encoding="utf-8"))["responses"]
    return {need.value: responses[f"utter_info_{need.value}"][0]["text"] for need in Need
            if f"utter_info_{need.value}" in responses}


def search(session_factory, resolver_for, values: dict[str, str]) -> tuple[DeskForm, Optional[DeskResult]]:
    """The form read and, when it is valid, the desk's result. Raises
    web.HTTPServiceUnavailable (French) when the directory cannot be read."""
    from directory.communes.homonyms import settle

    try:
        resolver = resolver_for()
        form = read_form(values, lambda text: settle(resolver.resolve(text)))
        if form.query is None:
            return form, None
        with session_factory() as session:
            return form, desk_search(session, form.query)
    except OperationalError:
        raise web.HTTPServiceUnavailable(
            text="L'annuaire est indisponible pour le moment : réessayez dans un instant.") from None


def choices() -> dict:
    """The lists of the form, slug and French label."""
    return {
        "needs": [(n.value, n.label) for n in Need],
        "publics": [(p.value, p.label) for p in Public],
        "networks": network_choices(),
        "distances": DISTANCES_KM,
    }
