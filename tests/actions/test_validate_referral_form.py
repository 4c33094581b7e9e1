import asyncio
import json

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.validate_referral_form import ValidateReferralForm, age_matters


def required(tracker, domain):
    return asyncio.run(ValidateReferralForm().required_slots([], CollectingDispatcher(), tracker, domain))


def validate(slot, value, tracker, domain):
    dispatcher = CollectingDispatcher()
    result = getattr(ValidateReferralForm(), f"validate_{slot}")(value, dispatcher, tracker, domain)
    return result, dispatcher.messages


@pytest.mark.parametrize("need, public, expected", [
    ("recherche_emploi", "demandeur_emploi", True),   # Mission locale if 16-25
    ("formation", "sans_activite", True),
    ("recherche_emploi", "lyceen", False),            # young by status
    ("recherche_emploi", "non_precise", False),       # declined: the engine ignores status lines
    ("bilan_competences", "salarie", False),          # no age line for this need
    ("vae", None, False),                             # asked once the status is known
])
def test_age_is_asked_only_when_it_changes_the_referral(need, public, expected):
    assert age_matters(need, public) is expected


def test_required_slots_skip_age_for_a_pupil(domain, tracker_for):
    tracker = tracker_for({"need": "orientation_scolaire", "public": "lyceen"})
    assert required(tracker, domain) == ["need", "public", "commune"]


def test_required_slots_ask_age_for_a_young_job_seeker(domain, tracker_for):
    tracker = tracker_for({"need": "recherche_emploi", "public": "demandeur_emploi"})
    assert required(tracker, domain) == ["need", "public", "age", "commune"]


def test_a_known_need_is_said_back_with_a_way_out(domain, tracker_for):
    result, messages = validate("need", "financement_formation", tracker_for(), domain)
    assert result == {"need": "financement_formation"}
    [message] = messages
    assert message["response"] == "utter_need_understood"
    assert message["need_label"] == "Financer une formation"
    [button] = domain["responses"]["utter_need_understood"][0]["buttons"]
    assert button["payload"] == "/wrong_need"


def _events(*needs_then_message):
    """Slot events for the needs set so far, then the person's latest message."""
    return ([{"event": "slot", "name": "need", "value": need} for need in needs_then_message]
            + [{"event": "user", "text": "…"}, {"event": "slot", "name": "need", "value": "formation"}])


def test_the_same_need_restated_is_not_said_back_twice(domain, tracker_for):
    tracker = tracker_for({"need": "formation"}, requested_slot="commune", active_loop="referral_form",
                          events=_events("formation"))
    result, messages = validate("need", "formation", tracker, domain)
    assert result == {"need": "formation"} and messages == []


@pytest.mark.parametrize("before", [("vae",), ("formation", None), ()])
def test_a_changed_or_forgotten_need_is_said_back(domain, tracker_for, before):
    tracker = tracker_for({"need": "formation"}, text="en fait je voudrais plutôt suivre une formation",
                          intent="formation", events=_events(*before))
    result, messages = validate("need", "formation", tracker, domain)
    assert [m["response"] for m in messages] == ["utter_need_understood"]


def test_an_unknown_need_is_dropped_silently(domain, tracker_for):
    result, messages = validate("need", "astronomie", tracker_for(), domain)
    assert result == {"need": None} and messages == []


def test_declined_public_is_kept_and_never_asked_again(domain, tracker_for):
    result, messages = validate("public", "non_precise", tracker_for(), domain)
    assert result == {"public": "non_precise"} and messages == []


def test_unknown_public_is_asked_again(domain, tracker_for):
    result, messages = validate("public", "astronaute", tracker_for(), domain)
    assert result == {"public": None}
    assert [m["response"] for m in messages] == ["utter_invalid_public"]


@pytest.mark.parametrize("value, expected", [("19", 19), (17.0, 17), ("22 ans", 22), ("non_precise", "non_precise")])
def test_age_values(domain, tracker_for, value, expected):
    result, messages = validate("age", value, tracker_for(), domain)
    assert result == {"age": expected} and messages == []


def test_absurd_age_is_asked_again(domain, tracker_for):
    result, messages = validate("age", "300", tracker_for(), domain)
    assert result == {"age": None}
    assert [m["response"] for m in messages] == ["utter_invalid_age"]


def test_declined_commune_clears_the_code(domain, tracker_for):
    result, messages = validate("commune", "non_precise", tracker_for({"commune_insee": "35238"}), domain)
    assert result == {"commune": "non_precise", "commune_insee": None} and messages == []


def test_commune_code_from_the_extractor_is_trusted(directory_db, domain, tracker_for):
    tracker = tracker_for(text="en fait j'habite à rennes", intent="inform",
                          entities=[{"entity": "commune", "value": "rennes"},
                                    {"entity": "commune_insee", "value": "35238"}])
    result, messages = validate("commune", "rennes", tracker, domain)
    assert result == {"commune": "Rennes", "commune_insee": "35238"} and messages == []


def test_commune_text_is_resolved(resolver_db, domain, tracker_for):
    result, messages = validate("commune", "luce", tracker_for(text="luce", intent="inform"), domain)
    assert result == {"commune": "Lucé", "commune_insee": "28218"} and messages == []


def test_ambiguous_commune_offers_candidate_buttons(resolver_db, domain, tracker_for):
    result, messages = validate("commune", "Saint-Denis", tracker_for(text="Saint-Denis", intent="inform"), domain)

    assert result == {"commune": None, "commune_insee": None}
    [message] = messages
    assert message["response"] == "utter_commune_ambiguous"
    assert "Saint-Denis" not in json.dumps({k: v for k, v in message.items() if k != "buttons"})  # no echo
    assert len(message["buttons"]) >= 2
    titles = [b["title"] for b in message["buttons"]]
    assert "Saint-Denis (Seine-Saint-Denis)" in titles
    button = message["buttons"][titles.index("Saint-Denis (Seine-Saint-Denis)")]
    assert button["payload"].startswith("/inform{")
    assert json.loads(button["payload"].removeprefix("/inform")) == {"commune": "Saint-Denis", "commune_insee": "93066"}


def test_candidate_button_answer_is_accepted(directory_db, domain, tracker_for):
    tracker = tracker_for(text='/inform{"commune": "Saint-Denis", "commune_insee": "97411"}', intent="inform",
                          entities=[{"entity": "commune", "value": "Saint-Denis"},
                                    {"entity": "commune_insee", "value": "97411"}])
    result, _ = validate("commune", "Saint-Denis", tracker, domain)
    assert result == {"commune": "Saint-Denis", "commune_insee": "97411"}


def test_unknown_commune_says_so_and_asks_again(resolver_db, domain, tracker_for):
    result, messages = validate("commune", "Zorglubville", tracker_for(text="Zorglubville", intent="inform"), domain)
    assert result == {"commune": None, "commune_insee": None}
    assert [m["response"] for m in messages] == ["utter_commune_not_found"]
    assert "Zorglubville" not in json.dumps(messages)  # what was typed is never quoted


def test_bare_commune_answer_is_extracted_only_when_asked(domain, tracker_for):
    action = ValidateReferralForm()
    asked = tracker_for(text="Rnnes", intent="inform", requested_slot="commune")
    unsure = tracker_for(text="Rnnes", intent="nlu_fallback", requested_slot="commune")
    not_asked = tracker_for(text="Rnnes", intent="inform", requested_slot="public")
    distress = tracker_for(text="je veux mourir", intent="distress", requested_slot="commune")
    assert asyncio.run(action.extract_commune(CollectingDispatcher(), asked, domain)) == {"commune": "Rnnes"}
    assert asyncio.run(action.extract_commune(CollectingDispatcher(), unsure, domain)) == {"commune": "Rnnes"}
    assert asyncio.run(action.extract_commune(CollectingDispatcher(), not_asked, domain)) == {}
    assert asyncio.run(action.extract_commune(CollectingDispatcher(), distress, domain)) == {}
