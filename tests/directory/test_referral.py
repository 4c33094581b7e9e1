"""The referral engine against the real directory (open data + curated + rules)."""
from __future__ import annotations

import pytest

from directory.communes.info import CommuneInfo
from sqlalchemy import select

from directory.models import Commune, Structure
from directory.referral import clear_cache, load_rules, refer
from directory.referral.matrix import GENERIC_NEED
from directory.vocabulary import Need, Public

CHARTRES, RENNES, LUCE, SAINT_PIERRE_SPM = "28085", "35238", "28218", "97502"
PAYLOAD_KEYS = {"type", "need", "public", "commune", "structures", "remote"}
STRUCTURE_KEYS = {"id", "name", "network", "address", "postcode", "commune", "phone", "email",
                  "website", "distance_km", "reason"}
REMOTE_KEYS = {"name", "kind", "contact", "hours"}
GENERIC = ("cio", "info_jeunesse", "france_travail")


def _matrix_networks() -> dict[str, set[str]]:
    networks: dict[str, set[str]] = {}
    for rule in load_rules():
        networks.setdefault(rule["need"], set()).add(rule["network_code"])
    return networks


MATRIX = _matrix_networks()


def commune(session, insee_code: str) -> CommuneInfo:
    return CommuneInfo.from_row(session.get(Commune, insee_code))


@pytest.fixture()
def session(directory_session_factory):
    with directory_session_factory() as session:
        yield session


@pytest.mark.parametrize("insee_code", [CHARTRES, RENNES])
@pytest.mark.parametrize("public", [p.value for p in Public] + [None])
@pytest.mark.parametrize("need", [n.value for n in Need])
def test_every_need_and_public_lands_on_an_accepted_network(session, need, public, insee_code):
    referral = refer(session, need=need, public=public, commune=commune(session, insee_code))
    allowed = MATRIX[need] | MATRIX[GENERIC_NEED]
    assert referral.networks, "no accepted network"
    assert set(referral.networks) <= allowed
    assert referral.structures, "nothing proposed"
    for structure in referral.structures:
        assert structure.network in referral.networks
        assert structure.reason.strip()
    # Matrix order, at most one per network among the first three.
    shown = [s.network for s in referral.structures[:3]]
    assert len(shown) == len(set(shown))
    assert shown == [n for n in referral.networks if n in shown]


def test_payload_has_exactly_the_spec_keys(session):
    payload = refer(session, need="vae", public="salarie", commune=commune(session, LUCE)).to_payload()
    assert set(payload) == PAYLOAD_KEYS
    assert payload["type"] == "referral" and payload["commune"] == "Lucé" and payload["public"] == "salarie"
    assert payload["structures"] and payload["remote"]
    for item in payload["structures"]:
        assert set(item) == STRUCTURE_KEYS
    for item in payload["remote"]:
        assert set(item) == REMOTE_KEYS
        assert item["kind"] in {"phone", "tchat", "web", "visio", "mail"}


def test_unknown_commune_and_public_are_null(session):
    payload = refer(session, need="formation").to_payload()
    assert payload["public"] is None and payload["commune"] is None


def test_referral_is_deterministic(session):
    def payload():
        return refer(session, need="alternance", public="lyceen", age=17, commune=commune(session, RENNES)).to_payload()

    first = payload()
    assert payload() == first
    clear_cache()
    assert payload() == first


def test_nearest_structure_first_with_distance(session):
    referral = refer(session, need="orientation_scolaire", public="lyceen", commune=commune(session, CHARTRES))
    first = referral.structures[0]
    assert first.network == "cio" and first.commune == "Chartres" and first.distance_km == 0.0


@pytest.mark.parametrize("need", ["recherche_emploi", "reconversion", "formation", "bilan_competences"])
def test_handicap_takes_precedence(session, need):
    referral = refer(session, need=need, public="demandeur_emploi", handicap=True, commune=commune(session, RENNES))
    assert referral.networks[0] == "cap_emploi"
    assert referral.structures[0].network == "cap_emploi"


@pytest.mark.parametrize("need", ["recherche_emploi", "reconversion", "bilan_competences"])
def test_cadre_takes_precedence(session, need):
    referral = refer(session, need=need, public="salarie", cadre=True, commune=commune(session, RENNES))
    assert referral.networks[0] == "apec"
    first = referral.structures[0]
    assert first.network == "apec" and first.distance_km is not None  # Apec has located offices


def test_handicap_still_counts_when_status_declined(session):
    referral = refer(session, need="recherche_emploi", handicap=True, commune=commune(session, CHARTRES))
    assert referral.networks == ("cap_emploi",) + GENERIC


def test_declined_status_gets_generic_first_level_and_remote(session):
    referral = refer(session, need="formation", commune=commune(session, CHARTRES))
    assert referral.networks == GENERIC
    assert [s.network for s in referral.structures] == list(GENERIC)
    assert referral.remote


def test_network_absent_from_open_data_stands_in_as_remote_service(session):
    # Cap emploi has no public list of its sites: its national service stands in.
    referral = refer(session, need="reconversion", public="salarie", handicap=True,
                     commune=commune(session, CHARTRES))
    first = referral.structures[0]
    assert first.network == "cap_emploi"
    assert first.distance_km is None and first.address is None and first.id.startswith("remote:")
    assert first.website  # only the contact its source states
    assert "près de chez vous" in first.reason


def test_remote_fallback_when_nothing_is_near(session):
    referral = refer(session, need="recherche_emploi", public="demandeur_emploi",
                     commune=commune(session, SAINT_PIERRE_SPM))
    assert referral.structures and all(s.distance_km is None for s in referral.structures)
    contacts = [s.phone or s.website for s in referral.structures] + [r.contact for r in referral.remote]
    assert "3949" in contacts


def test_france_travail_agency_is_shown_at_its_address(session):
    referral = refer(session, need="recherche_emploi", public="demandeur_emploi", commune=commune(session, CHARTRES))
    agency = referral.structures[0]
    assert agency.network == "france_travail"
    assert agency.address and agency.address != "agence de Chartres" and agency.postcode.startswith("28")
    assert "Pôle emploi" not in agency.name


def test_agency_known_by_name_only_is_shown_at_commune_level(session):
    # An agency absent from the 2019 list with addresses: only its commune is known.
    names_only = session.scalars(
        select(Structure).where(Structure.source == "france_travail_agences").order_by(Structure.id)).all()
    shown = []
    for row in names_only:
        referral = refer(session, need="recherche_emploi", public="demandeur_emploi",
                         commune=commune(session, row.insee_code))
        agency = referral.structures[0]
        if agency.id == str(row.id):
            shown.append(row)
            assert agency.address == f"agence de {row.commune}"
            assert "Pôle emploi" not in agency.name
    assert len(shown) >= 10, "names-only agencies are never proposed"


def test_region_remote_service_comes_first_in_its_region_only(session):
    in_region = refer(session, need="vae", public="salarie", commune=commune(session, LUCE))
    assert in_region.remote[0].contact == "0 800 222 100"
    elsewhere = refer(session, need="vae", public="salarie", commune=commune(session, RENNES))
    assert "0 800 222 100" not in [r.contact for r in elsewhere.remote]


def test_business_creation_follows_the_sector(session):
    referral = refer(session, need="creation_entreprise", public="salarie", secteur="artisanat",
                     commune=commune(session, RENNES))
    assert referral.networks[0] == "cma"


@pytest.mark.parametrize("kwargs", [{"need": "nope"}, {"need": "vae", "public": "nope"},
                                    {"need": "vae", "secteur": "nope"}, {"need": "vae", "age": -3}])
def test_bad_inputs_raise_french_value_errors(session, kwargs):
    with pytest.raises(ValueError):
        refer(session, **kwargs)


def test_a_young_person_out_of_school_gets_the_mission_locale_first(session):
    for need in ("orientation_scolaire", "decrochage", "alternance"):
        referral = refer(session, need=need, public="sans_activite", age=19, commune=commune(session, RENNES))
        assert referral.networks[0] == "mission_locale", need


def test_information_jeunesse_comes_first_for_the_young_only(session):
    young = refer(session, need="mobilite_internationale", public="salarie", age=22, commune=commune(session, RENNES))
    older = refer(session, need="mobilite_internationale", public="salarie", age=44, commune=commune(session, RENNES))
    assert young.networks[0] == "info_jeunesse"
    assert older.networks[0] != "info_jeunesse"


def test_the_cidff_comes_first_only_when_her_words_say_she_is_a_woman(session):
    her = refer(session, need="reprise_activite", public="sans_activite", woman=True, commune=commune(session, RENNES))
    anyone = refer(session, need="reprise_activite", public="sans_activite", commune=commune(session, RENNES))
    assert her.networks[0] == "cidff"
    assert anyone.networks[0] == "france_travail" and "cidff" in anyone.networks


@pytest.mark.parametrize("need", ["creation_entreprise", "alternance"])
@pytest.mark.parametrize("secteur, chamber", [("artisanat", "cma"), ("commerce", "cci"),
                                              ("agriculture", "chambre_agriculture")])
def test_the_trade_chooses_the_chamber(session, need, secteur, chamber):
    referral = refer(session, need=need, public="salarie", age=35, secteur=secteur, commune=commune(session, RENNES))
    assert referral.networks[0] == chamber


def test_an_unknown_trade_offers_the_chambers_after_the_person_s_own_network(session):
    seeker = refer(session, need="creation_entreprise", public="demandeur_emploi", commune=commune(session, RENNES))
    assert seeker.networks[:4] == ("france_travail", "cci", "cma", "chambre_agriculture")


def test_a_structure_too_far_gives_way_to_the_network_s_remote_service(session):
    """The Apec has few centres: a cadre of Saint-Pierre-et-Miquelon… or of a rural
    commune gets its remote service, not an office hundreds of km away."""
    from directory.referral.selection import NEAR_KM

    for insee in (SAINT_PIERRE_SPM, "29019", "15014"):  # Brest, Aurillac
        referral = refer(session, need="bilan_competences", public="salarie", cadre=True, commune=commune(session, insee))
        apec = next(s for s in referral.structures if s.network == "apec")
        assert apec.distance_km is None or apec.distance_km <= NEAR_KM, insee


@pytest.mark.parametrize("need", [n.value for n in Need])
@pytest.mark.parametrize("public", [p.value for p in Public] + [None])
def test_every_need_has_remote_services(session, need, public):
    assert refer(session, need=need, public=public).remote


def test_without_any_structure_of_the_networks_the_generic_level_is_proposed(session):
    """Crafts in Mayotte: no chamber of trades in the open data, no remote service of
    theirs: the generic first level rather than an empty referral."""
    referral = refer(session, need="creation_entreprise", public="sans_activite", secteur="artisanat",
                     commune=commune(session, "97610"))
    assert referral.structures
    assert referral.networks[0] == "cma"


def test_a_structure_too_far_without_remote_service_comes_after_the_near_ones(session):
    """Guéret: the nearest CIDFF is beyond 60 km and has no remote service; France
    Travail's agency in town comes first, the CIDFF stays offered after it."""
    from directory.referral.selection import NEAR_KM

    referral = refer(session, need="reprise_activite", public="sans_activite", woman=True,
                     commune=commune(session, "23096"))
    assert referral.networks[0] == "cidff"  # the matrix's order is unchanged…
    first, second = referral.structures[:2]
    assert first.network == "france_travail" and first.distance_km <= NEAR_KM  # …the near one first
    assert second.network == "cidff" and second.distance_km >= NEAR_KM  # shown rounded to 0.1 km
