"""The networks the staged open data locates (../shared/data/staged/), on the real
directory built by the real import: France Travail agencies at their address and
never twice, the Transitions Pro association of the person's département, France
VAE relay points near the communes of their regions."""
from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from directory.communes.info import CommuneInfo
from directory.importing.report import ImportReport
from directory.importing.staged import SAME_AGENCY_SCORE, agency_words, drop_superseded_agencies
from directory.models import Commune, Structure
from directory.referral import refer
from directory.referral.catalog import catalog_for
from directory.referral.selection import SERVED_NOTE

from rapidfuzz import fuzz


@pytest.fixture()
def session(directory_session_factory):
    with directory_session_factory() as session:
        yield session


def staged_rows(shared_data_dir, name: str) -> list[dict]:
    with open(shared_data_dir / "staged" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def largest_commune(session, department_code: str) -> CommuneInfo | None:
    row = session.scalars(
        select(Commune).where(Commune.department_code == department_code, Commune.latitude.is_not(None))
        .order_by(Commune.population.desc(), Commune.insee_code).limit(1)).first()
    return None if row is None else CommuneInfo.from_row(row)


def by_network(referral, network: str):
    return [s for s in referral.structures if s.network == network]


# --- France Travail ------------------------------------------------------------

def test_every_located_agency_is_imported_with_its_address(session, shared_data_dir):
    placed = [r for r in staged_rows(shared_data_dir, "france_travail_agences_2019.csv") if r["latitude"]]
    count = session.scalar(select(func.count()).select_from(Structure)
                           .where(Structure.source == "france_travail_agences_2019",
                                  Structure.address.is_not(None), Structure.coord_precision == "address_source"))
    assert count == len(placed) == 850


def test_no_agency_is_held_twice(session):
    located = session.scalars(select(Structure).where(Structure.source == "france_travail_agences_2019")).all()
    names_only = session.scalars(select(Structure).where(Structure.source == "france_travail_agences")).all()
    assert 0 < len(names_only) < 100, "names-only rows: only agencies the 2019 list lacks"
    twice = [(row.name, other.name) for row in names_only for other in located
             if row.department_code == other.department_code
             and fuzz.token_set_ratio(agency_words(row.name), agency_words(other.name)) >= SAME_AGENCY_SCORE]
    assert not twice


def test_the_agencies_offered_near_a_person_are_all_different(session):
    # What a list of nearby agencies would show (the counsellors' desk, the CLI):
    # the five nearest agencies of each département's largest commune.
    index = catalog_for(session).networks["france_travail"]
    departments = session.scalars(select(Commune.department_code).distinct()).all()
    checked = 0
    for department in departments:
        place = largest_commune(session, department)
        if place is None:
            continue  # an overseas collectivity without commune positions
        nearest = index.nearest_many(place.latitude, place.longitude, 5)
        words = [agency_words(record.name) for record, _ in nearest]
        for i, first in enumerate(words):
            for second in words[i + 1:]:
                assert fuzz.ratio(first, second) < 100, (department, first, second)
        checked += bool(nearest)
    assert checked >= 95


def test_an_agency_at_its_address_wins_over_a_guessed_position_in_the_same_town(session):
    # Troyes has agencies of both lists; the one placed at its address comes first.
    referral = refer(session, need="recherche_emploi", public="demandeur_emploi",
                     commune=CommuneInfo.from_row(session.get(Commune, "10387")))
    agency = by_network(referral, "france_travail")[0]
    row = session.get(Structure, int(agency.id))
    assert row.coord_precision == "address_source" and agency.address


def test_only_names_only_rows_of_a_held_agency_are_dropped():
    report = ImportReport()
    located = [{"name": "France Travail Ape Saint Jean De Luz", "department_code": "64"},
               {"name": "France Travail Troyes Langevin", "department_code": "10"}]
    rows = [
        {"source": "france_travail_agences", "name": "Agence France Travail SAINT JEAN DE LUZ", "department_code": "64"},
        {"source": "france_travail_agences", "name": "Agence France Travail TROYES CENTRE GARE", "department_code": "10"},
        {"source": "france_travail_agences", "name": "Agence France Travail SAINT JEAN DE LUZ", "department_code": "40"},
        {"source": "annuaire_service_public_2019", "name": "Saint Jean de Luz", "department_code": "64"},
    ]
    kept = drop_superseded_agencies(rows, located, report)
    assert kept == rows[1:]
    assert "1 agence(s)" in report.notes_fr[-1]


# --- Transitions Pro -----------------------------------------------------------

def test_a_salaried_person_gets_the_association_of_their_departement(session, shared_data_dir):
    associations = staged_rows(shared_data_dir, "transitions_pro_2022.csv")
    assert len(associations) == 103
    for association in associations:
        place = largest_commune(session, association["department_code"])
        referral = refer(session, need="reconversion", public="salarie", commune=place)
        offered = by_network(referral, "transitions_pro")
        assert [s.name for s in offered] == [association["name"]], association["department_code"]
        assert SERVED_NOTE in offered[0].reason
        # The seat's distance when its place is known, its contacts always.
        assert (offered[0].distance_km is None) == (not association["latitude"])
        assert offered[0].website or offered[0].email
        # The national "find yours" service is not offered on top of it.
        assert "transitionspro.fr/" not in " ".join(r.contact for r in referral.remote)


def test_an_association_of_another_departement_is_never_the_nearest(session):
    # Seine-Saint-Denis (93) and Oise (60): the seat of the Hauts-de-France
    # association is not offered to a person of Île-de-France.
    place = largest_commune(session, "93")
    referral = refer(session, need="bilan_competences", public="salarie", commune=place)
    assert "Hauts-de-France" not in " ".join(s.name for s in by_network(referral, "transitions_pro"))
    assert "Île-de-France" in by_network(referral, "transitions_pro")[0].name


def test_a_departement_without_association_gets_the_national_service(session):
    referral = refer(session, need="reconversion", public="salarie", commune=largest_commune(session, "976"))
    offered = by_network(referral, "transitions_pro")
    assert offered and offered[0].id.startswith("remote:") and offered[0].distance_km is None


# --- France VAE relay points ---------------------------------------------------

def test_relay_points_are_found_near_communes_of_their_regions(session, shared_data_dir):
    placed = [r for r in staged_rows(shared_data_dir, "points_relais_vae_2024.csv") if r["latitude"]]
    assert len(placed) == 338
    for relay in placed[::7]:  # one in seven, across the ten regions
        place = CommuneInfo.from_row(session.get(Commune, relay["insee_code"]))
        referral = refer(session, need="vae", public="demandeur_emploi", commune=place)
        offered = by_network(referral, "conseil_vae")
        assert offered and offered[0].distance_km is not None and offered[0].distance_km < 1, relay["name"]


def test_a_region_without_relay_points_gets_france_vae(session):
    # Bretagne has no relay point in the data: the national service stands in.
    referral = refer(session, need="vae", public="salarie",
                     commune=CommuneInfo.from_row(session.get(Commune, "29019")))
    offered = by_network(referral, "conseil_vae")
    assert offered[0].id.startswith("remote:") and offered[0].website == "https://vae.gouv.fr"
