"""Referral engine: which partner structures and remote services to propose.

    from directory.referral import refer
    with factory.begin() as session:
        referral = refer(session, need="vae", public="salarie", commune=commune_info)
    dispatcher.utter_message(json_message=referral.to_payload())  # {"custom": …} on the wire

Deterministic: the same inputs give the same output (stable tie-breaks), and the
data comes from an in-memory copy of the database refreshed after each import.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from directory.referral.catalog import catalog_for, clear_cache
from directory.referral.eligibility import SECTEURS, Person
from directory.referral.matrix import GENERIC_NEED, RulesError, load_rules
from directory.referral.payload import Referral, ReferralStructure, RemoteContact
from directory.referral.selection import accepted_lines, choose_remote, choose_structures
from directory.vocabulary import Need, Public

__all__ = [
    "Referral",
    "ReferralStructure",
    "RemoteContact",
    "RulesError",
    "clear_cache",
    "load_rules",
    "refer",
]


def refer(
    session: Session,
    *,
    need: str,
    public: str | None = None,
    handicap: bool = False,
    cadre: bool = False,
    age: int | None = None,
    commune=None,
    secteur: str | None = None,
    woman: bool = False,
) -> Referral:
    """The referral for a person. `commune` is a `directory.communes.CommuneInfo`
    (None when unknown); `secteur` (commerce, artisanat, agriculture) chooses the
    chamber for business creation and apprenticeships; `woman` is True only when
    the person's own words say so. Unknown need/public/secteur: ValueError (French)."""
    need = Need.from_slug(need).value
    if public is not None:
        public = Public.from_slug(public).value
    if secteur is not None and secteur not in SECTEURS:
        raise ValueError(f"Secteur inconnu « {secteur} » (valeurs possibles : {', '.join(SECTEURS)}).")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 < age < 130):
        raise ValueError(f"Âge invalide : {age!r}.")

    person = Person(public=public, handicap=bool(handicap), cadre=bool(cadre), age=age, secteur=secteur,
                    woman=bool(woman))
    region_code = getattr(commune, "region_code", None)
    catalog = catalog_for(session)
    lines = accepted_lines(catalog, need, person, region_code)
    structures, used_remote = choose_structures(catalog, lines, commune, need)
    if not structures:
        # No structure nor service of the accepted networks anywhere near (a chamber
        # absent from the open data of an overseas département): the generic first
        # level rather than nothing.
        lines = lines + [line for line in catalog.lines(GENERIC_NEED, region_code)
                         if line.network not in {l.network for l in lines}]
        structures, used_remote = choose_structures(catalog, lines, commune, need)
    remote = choose_remote(catalog, need, lines, region_code, exclude=used_remote)
    return Referral(
        need=need,
        public=public,
        commune=commune,
        structures=structures,
        remote=remote,
        networks=tuple(line.network for line in lines),
    )
