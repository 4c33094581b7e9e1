import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.refer import ActionRefer

SPEC_KEYS = {"type", "need", "public", "commune", "structures", "remote"}
STRUCTURE_KEYS = {"id", "name", "network", "address", "postcode", "commune", "phone", "email",
                  "website", "distance_km", "reason"}
REMOTE_KEYS = {"name", "kind", "contact", "hours"}


def run(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = ActionRefer().run(dispatcher, tracker, domain)
    return events, dispatcher.messages


def responses(messages):
    return [m["response"] for m in messages if m.get("response")]


def payloads(messages):
    return [m["custom"] for m in messages if m.get("custom")]


def check_payload_shape(payload):
    assert set(payload) == SPEC_KEYS
    assert payload["type"] == "referral"
    for structure in payload["structures"]:
        assert set(structure) == STRUCTURE_KEYS
    for remote in payload["remote"]:
        assert set(remote) == REMOTE_KEYS
        assert remote["kind"] in {"phone", "tchat", "web", "visio", "mail"}


def test_vae_salarie_luce_informs_then_refers_text_and_payload(directory_db, domain, tracker_vae_salarie_luce):
    events, messages = run(tracker_vae_salarie_luce, domain)

    assert events == []
    said = responses(messages)
    assert said[0] == "utter_info_vae"
    assert said[1] == "utter_referral_intro_commune"
    assert messages[1]["place"] == "Lucé"
    assert said[-1] == "utter_referral_outro"
    assert "utter_referral_ask_commune_hint" not in said
    [payload] = payloads(messages)
    check_payload_shape(payload)
    assert (payload["need"], payload["public"], payload["commune"]) == ("vae", "salarie", "Lucé")
    assert payload["structures"][0]["network"] == "conseil_vae"
    assert 1 <= len(payload["structures"]) <= 3
    # One text message per proposed structure, in the payload's order.
    structure_messages = [m for m in messages if str(m.get("response")).startswith("utter_referral_structure")]
    assert [m["name"] for m in structure_messages] == [s["name"] for s in payload["structures"]]
    # The payload is the last message: channels may rely on the text coming first.
    assert messages[-1]["custom"] == payload


def test_declined_public_and_commune_gives_generic_level_and_nulls(directory_db, domain,
                                                                  tracker_recherche_emploi_all_declined):
    _, messages = run(tracker_recherche_emploi_all_declined, domain)

    [payload] = payloads(messages)
    check_payload_shape(payload)
    assert payload["public"] is None and payload["commune"] is None
    assert all(s["distance_km"] is None for s in payload["structures"])
    assert "utter_referral_intro" in responses(messages)
    assert "utter_referral_ask_commune_hint" in responses(messages)


def test_disability_takes_precedence_near_rennes(directory_db, domain, tracker_recherche_emploi_handicap_rennes):
    _, messages = run(tracker_recherche_emploi_handicap_rennes, domain)

    [payload] = payloads(messages)
    check_payload_shape(payload)
    assert payload["commune"] == "Rennes"
    assert payload["structures"][0]["network"] == "cap_emploi"
    assert "france_travail" in [s["network"] for s in payload["structures"]]


def test_located_structure_text_has_distance_with_decimal_comma(directory_db, domain,
                                                                 tracker_recherche_emploi_handicap_rennes):
    _, messages = run(tracker_recherche_emploi_handicap_rennes, domain)

    located = [m for m in messages if m.get("response") == "utter_referral_structure_located"]
    assert located, "France Travail has located agencies near Rennes"
    assert all("." not in m["distance"] for m in located)
    assert all(m["reason"] for m in located)


def test_no_need_refers_nothing_and_says_nothing_more(directory_db, domain, tracker_no_need):
    """Only when the form gave up asking the need: it gave the contacts already."""
    events, messages = run(tracker_no_need, domain)

    assert events == [] and messages == []


@pytest.mark.parametrize("need", ["orientation_scolaire", "info_metier", "reconversion", "recherche_emploi",
                                  "formation", "alternance", "financement_formation", "vae",
                                  "bilan_competences", "creation_entreprise", "decrochage",
                                  "reprise_activite", "mobilite_internationale"])
def test_every_need_has_information_and_a_referral(directory_db, domain, tracker_for, need):
    _, messages = run(tracker_for({"need": need, "public": "non_precise", "commune": "non_precise"}), domain)

    assert responses(messages)[0] == f"utter_info_{need}"
    assert f"utter_info_{need}" in domain["responses"]
    [payload] = payloads(messages)
    check_payload_shape(payload)
    assert payload["need"] == need
    assert payload["structures"] or payload["remote"]


def test_trade_question_names_the_rome_family(directory_db, domain, tracker_for):
    from bot.nlu.rome import load_appellations

    appellation = load_appellations()[0]
    tracker = tracker_for({"need": "info_metier", "public": "lyceen", "commune": "non_precise",
                           "metier": appellation.masculine, "rome_code": appellation.rome_code})
    _, messages = run(tracker, domain)

    assert responses(messages)[:2] == ["utter_info_info_metier", "utter_info_metier_rome"]
    assert messages[1]["rome_code"] == appellation.rome_code
    assert messages[1]["rome_label"] == appellation.rome_label


def test_network_is_named_once_when_the_name_already_says_it():
    from actions.refer import _network_suffix

    assert _network_suffix("Mission locale de l'agglomération chartraine", "mission_locale") == ""
    assert _network_suffix("MISSION LOCALE RENNES", "mission_locale") == ""
    suffix = _network_suffix("Agence de Chartres", "france_travail")
    assert suffix.startswith(" (") and suffix.endswith(")") and "Travail" in suffix


def test_every_structure_text_fills_its_response(directory_db, domain, tracker_recherche_emploi_handicap_rennes):
    _, messages = run(tracker_recherche_emploi_handicap_rennes, domain)
    templates = {name: variants[0]["text"] for name, variants in domain["responses"].items()}
    structures = [m for m in messages if (m.get("response") or "").startswith("utter_referral_structure")]
    assert structures, "a referral near Rennes names at least one structure"
    for message in structures:
        text = templates[message["response"]].format(**message)
        assert "{" not in text and "()" not in text
