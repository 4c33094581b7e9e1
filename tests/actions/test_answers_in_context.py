"""validate_referral_form reads each answer in the context of the question it
answers (financial-demo style: a named turn, the action as Rasa runs it, the events
and responses it returns)."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.validate_referral_form import ValidateReferralForm
from bot.nlu.parse_keys import DISTRESS_DOUBT
from tests.actions.conftest import make_tracker

ASKED = {slot: {"event": "bot", "text": "…", "metadata": {"utter_action": f"utter_ask_{slot}"}}
         for slot in ("public", "age", "commune")}
FORM_ON = {"event": "active_loop", "name": "referral_form"}


def turn(domain, text, intent, *, slots=None, asking=None, entities=(), before=(), confidence=0.95,
         metadata=None, mapped=None, parse_extra=None):
    """The person's message while the form asks `asking`: `before` are the earlier
    events, `mapped` the slots Rasa's global mappings set from the message."""
    slots = dict(slots or {})
    user = {"event": "user", "text": text, "metadata": metadata or {},
            "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": list(entities)}}
    # As Rasa sends it (FormAction.validate_slots): the history with what its mappings
    # set, the form's own execution, then the form slots set since the message again.
    mapped_events = [{"event": "slot", "name": k, "value": v} for k, v in (mapped or {}).items()]
    events = ([FORM_ON, *before, user, *mapped_events, {"event": "slot", "name": "requested_slot", "value": asking},
               {"event": "action", "name": "referral_form"}]
              + [e for e in mapped_events if e["name"] in ("need", "public", "age", "commune")])
    slots.update(mapped or {})
    tracker = make_tracker(slots, text=text, intent=intent, entities=list(entities), requested_slot=asking,
                           active_loop="referral_form", events=events, confidence=confidence,
                           parse_extra=parse_extra)
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateReferralForm().run(dispatcher, tracker, domain))
    return _slot_values(result), [m.get("response") for m in dispatcher.messages], dispatcher.messages, result


def _slot_values(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def public(value, start=0, end=5):
    return {"entity": "public", "value": value, "start": start, "end": end}


def test_a_status_read_as_out_of_scope_still_fills_the_situation(domain):
    slots, responses, _, _ = turn(domain, "Je suis employée, caissière dans un hypermarché", "out_of_scope",
                                  slots={"need": "recherche_emploi"}, asking="public",
                                  entities=[public("salarie", 8, 16)], before=[ASKED["public"]])
    assert slots["public"] == "salarie"
    assert slots["requested_slot"] == "age"
    assert "utter_invalid_public" not in responses


def test_an_age_given_instead_of_the_situation_moves_to_the_question_not_asked_yet(domain):
    slots, responses, _, _ = turn(domain, "29 ans", "inform", slots={"need": "recherche_emploi"},
                                  asking="public", entities=[{"entity": "age", "value": 29}],
                                  before=[ASKED["public"]], mapped={"age": 29})
    # Rasa's mapping kept the age; not the situation a second time right away.
    assert slots["requested_slot"] == "commune"
    assert responses == []


def test_an_age_read_as_out_of_scope_is_kept_too(domain):
    slots, _, _, _ = turn(domain, "29 ans et j'en ai marre", "out_of_scope", slots={"need": "recherche_emploi"},
                          asking="public", entities=[{"entity": "age", "value": "29"}], before=[ASKED["public"]])
    assert slots["age"] == 29 and slots["requested_slot"] == "commune"


@pytest.mark.parametrize("text, intent", [("36", "nlu_fallback"), ("j'en ai 36", "inform"),
                                          ("trente-six", "out_of_scope")])
def test_a_bare_number_after_the_age_question_is_the_age(domain, text, intent):
    slots, responses, _, _ = turn(domain, text, intent, slots={"need": "formation", "public": "demandeur_emploi"},
                                  asking="age", before=[ASKED["age"]])
    assert slots["age"] == 36 and responses == []


def test_a_number_is_no_age_when_another_question_is_pending(domain):
    slots, _, _, _ = turn(domain, "36", "nlu_fallback", slots={"need": "formation", "public": "demandeur_emploi"},
                          asking="commune", before=[ASKED["commune"]])
    assert "age" not in slots or slots["age"] is None


def test_a_bare_town_after_the_commune_question_is_looked_up(resolver_db, domain):
    slots, responses, _, _ = turn(domain, "Brest", "nlu_fallback",
                                  slots={"need": "vae", "public": "salarie"}, asking="commune",
                                  before=[ASKED["commune"]])
    assert slots["commune"] == "Brest" and slots["commune_insee"] == "29019"
    assert slots["requested_slot"] == "age" and responses == []  # the age matters for a VAE


@pytest.mark.parametrize("text", ["ça vous regarde pas", "jprefere pas", "je ne souhaite pas répondre",
                                  "c'est perso"])
def test_a_refusal_in_any_words_declines_the_pending_question(domain, text):
    slots, _, _, _ = turn(domain, text, "nlu_fallback", slots={"need": "formation", "public": "salarie"},
                          asking="age", before=[ASKED["age"]])
    assert slots["age"] == "non_precise"


@pytest.mark.parametrize("text, expected", [("lycée", "lyceen"), ("la fac", "etudiant"), ("au chômdu", "demandeur_emploi"),
                                            ("rien", "sans_activite"), ("à mon compte", "independant")])
def test_a_status_in_a_word_answers_the_situation_question(domain, text, expected):
    slots, _, _, _ = turn(domain, text, "nlu_fallback", slots={"need": "formation"}, asking="public",
                          before=[ASKED["public"]])
    assert slots["public"] == expected


def test_a_first_answer_that_gives_nothing_gets_a_hint_and_the_question_again(domain):
    slots, responses, _, _ = turn(domain, "euh bof", "nlu_fallback", slots={"need": "formation"},
                                  asking="public", before=[ASKED["public"]])
    assert responses == ["utter_invalid_public"]
    assert slots["public"] is None and slots["requested_slot"] == "public"


def test_a_second_answer_that_gives_nothing_moves_on(domain):
    slots, responses, _, _ = turn(domain, "euh bof", "nlu_fallback", slots={"need": "formation"},
                                  asking="public", before=[ASKED["public"], ASKED["public"]])
    assert responses == ["utter_moving_on"]
    assert slots["public"] == "non_precise"
    assert slots["requested_slot"] == "commune"  # never the situation a third time


def test_a_question_asked_twice_then_left_for_another_is_not_asked_a_third_time(resolver_db, domain):
    """The situation asked twice, the need corrected meanwhile, then the commune
    answered: the situation is declined (said once), not asked again."""
    before = [ASKED["public"], {"event": "user", "text": "…"}, ASKED["public"], {"event": "user", "text": "…"},
              ASKED["commune"]]
    slots, responses, _, _ = turn(domain, "Quimper", "inform", slots={"need": "reconversion"}, asking="commune",
                                  entities=[{"entity": "commune", "value": "Quimper"}], before=before)
    assert responses.count("utter_moving_on") == 1
    assert slots["public"] == "non_precise" and slots["requested_slot"] != "public"
    # Given in this very message: kept, nothing said about moving on.
    slots, responses, _, _ = turn(domain, "Quimper, et je suis salariée", "inform", slots={"need": "reconversion"},
                                  asking="commune", before=before,
                                  entities=[{"entity": "commune", "value": "Quimper"}, public("salarie", 15, 23)])
    assert "utter_moving_on" not in responses and slots["public"] == "salarie"
    # Asked once only: asked again, as usual.
    slots, responses, _, _ = turn(domain, "Quimper", "inform", slots={"need": "reconversion"}, asking="commune",
                                  entities=[{"entity": "commune", "value": "Quimper"}],
                                  before=[ASKED["public"], {"event": "user", "text": "…"}, ASKED["commune"]])
    assert "utter_moving_on" not in responses and slots.get("requested_slot") == "public"


def test_an_unknown_commune_asked_twice_moves_on(resolver_db, domain):
    slots, responses, _, _ = turn(domain, "Zorglubville", "inform", slots={"need": "vae", "public": "salarie"},
                                  asking="commune", before=[ASKED["commune"], ASKED["commune"]])
    assert responses == ["utter_commune_not_found", "utter_moving_on"]
    assert slots["commune"] == "non_precise" and slots["requested_slot"] == "age"


def test_the_form_starting_again_does_not_start_the_count_again(domain):
    """Asked twice, then "ce n'est pas ma question" and a new need: not a third time."""
    again = [ASKED["public"], {"event": "active_loop", "name": None}, FORM_ON, ASKED["public"]]
    _, responses, _, _ = turn(domain, "euh bof", "nlu_fallback", slots={"need": "formation"}, asking="public",
                              before=again)
    assert responses == ["utter_moving_on"]


def test_a_raw_value_the_form_refused_does_not_start_the_count_again(resolver_db, domain):
    """"Villeneuve" twice: Rasa's mapping sets the text, the form refuses it (which
    one?): still the second time."""
    refused = [{"event": "slot", "name": "commune", "value": "Villeneuve"}, {"event": "slot", "name": "commune", "value": None}]
    before = [ASKED["commune"], {"event": "user", "text": "…"}, *refused, ASKED["commune"]]
    _, responses, _, _ = turn(domain, "Villeneuve", "inform", slots={"need": "vae", "public": "salarie", "age": 40},
                              asking="commune", entities=[{"entity": "commune", "value": "Villeneuve"}], before=before,
                              metadata={"region": "53"})
    assert responses == ["utter_commune_ambiguous", "utter_moving_on"]


def test_a_question_answered_then_emptied_is_counted_from_zero(domain):
    """The need forgotten ("ce n'est pas ma question") keeps nothing of the count of
    a question that had its answer."""
    answered = [ASKED["public"], {"event": "user", "text": "…"}, {"event": "slot", "name": "public", "value": "salarie"},
                {"event": "user", "text": "…"}, {"event": "slot", "name": "public", "value": None}, ASKED["public"]]
    _, responses, _, _ = turn(domain, "euh bof", "nlu_fallback", slots={"need": "formation"}, asking="public",
                              before=answered)
    assert responses == ["utter_invalid_public"]


def test_out_of_scope_with_nothing_in_it_is_left_to_its_rule(domain):
    slots, responses, _, _ = turn(domain, "il fait beau aujourd'hui", "out_of_scope", slots={"need": "formation"},
                                  asking="public", before=[ASKED["public"]])
    # Nothing set: Rasa rejects the form's turn, the out-of-scope rule answers.
    assert {k: v for k, v in slots.items() if k != "requested_slot"} == {} and responses == []


@pytest.mark.parametrize("intent", ["distress", "wrong_need", "ask_human", "delete_conversation"])
def test_what_is_no_answer_stops_the_turn_for_its_rule(domain, intent):
    _, responses, _, result = turn(domain, "j'ai 19 ans et j'habite à Rennes, je veux parler à quelqu'un", intent,
                                   slots={"need": "formation"}, asking="public",
                                   entities=[{"entity": "age", "value": 19}], before=[ASKED["public"]])
    assert result == [{"event": "action_execution_rejected", "name": "referral_form", "policy": None,
                       "confidence": None, "timestamp": None}]
    assert responses == []


def test_an_answer_taken_for_another_need_keeps_the_need(domain):
    slots, responses, _, _ = turn(domain, "je suis demandeuse d'emploi", "recherche_emploi", confidence=0.7,
                                  slots={"need": "formation"}, asking="public",
                                  entities=[public("demandeur_emploi", 8, 27)],
                                  before=[{"event": "slot", "name": "need", "value": "formation"}, ASKED["public"]],
                                  mapped={"need": "recherche_emploi"})
    assert slots["need"] == "formation" and slots["public"] == "demandeur_emploi"
    assert "utter_need_understood" not in responses


def test_a_need_clearly_stated_replaces_the_current_one_and_is_said_back(domain):
    slots, responses, messages, _ = turn(
        domain, "en fait non, je voudrais plutôt créer mon entreprise de plomberie", "creation_entreprise",
        confidence=0.97, slots={"need": "formation", "public": "salarie"}, asking="commune",
        before=[{"event": "slot", "name": "need", "value": "formation"}, ASKED["commune"]],
        mapped={"need": "creation_entreprise"})
    assert slots["need"] == "creation_entreprise"
    assert "utter_need_understood" in responses


def test_a_trade_or_a_disability_said_in_any_answer_is_kept(domain):
    slots, _, _, _ = turn(domain, "je suis reconnue travailleur handicapé, je cherche dans la boulangerie",
                          "out_of_scope", slots={"need": "recherche_emploi"}, asking="public",
                          entities=[{"entity": "handicap", "value": "true"},
                                    {"entity": "secteur", "value": "artisanat"}], before=[ASKED["public"]])
    assert slots["handicap"] == "true" and slots["secteur"] == "artisanat"


def test_a_dominant_homonym_is_chosen_and_said_back_with_the_others(resolver_db, domain):
    slots, responses, messages, _ = turn(domain, "Montreuil", "inform", slots={"need": "vae", "public": "salarie"},
                                         asking="commune", entities=[{"entity": "commune", "value": "Montreuil"}],
                                         before=[ASKED["commune"]])
    assert slots["commune_insee"] == "93048"
    [said] = [m for m in messages if m["response"] == "utter_commune_understood"]
    assert said["commune_label"] == "Montreuil (Seine-Saint-Denis)"
    assert said["buttons"] and all("Montreuil" in b["title"] for b in said["buttons"])


@pytest.mark.parametrize("region, insee", [("04", "97411"), ("11", "93066")])
def test_the_site_region_settles_homonyms_of_equal_size(resolver_db, domain, region, insee):
    slots, responses, _, _ = turn(domain, "Saint-Denis", "inform", slots={"need": "vae", "public": "salarie"},
                                  asking="commune", entities=[{"entity": "commune", "value": "Saint-Denis"}],
                                  before=[ASKED["commune"]], metadata={"region": region})
    assert slots["commune_insee"] == insee
    assert "utter_commune_understood" in responses


def test_homonyms_of_equal_size_elsewhere_are_asked_with_buttons(resolver_db, domain):
    slots, responses, messages, _ = turn(domain, "Saint-Denis", "inform", slots={"need": "vae", "public": "salarie"},
                                         asking="commune", entities=[{"entity": "commune", "value": "Saint-Denis"}],
                                         before=[ASKED["commune"]], metadata={"region": "53"})
    assert slots["commune"] is None and responses == ["utter_commune_ambiguous"]
    assert len(messages[0]["buttons"]) >= 2


def test_an_everyday_word_is_no_commune(resolver_db, domain):
    slots, responses, _, _ = turn(domain, "pourquoi", "nlu_fallback", slots={"need": "vae", "public": "salarie"},
                                  asking="commune", before=[ASKED["commune"]])
    assert slots["commune"] is None and responses == ["utter_commune_not_found"]


def test_back_from_another_answer_the_form_only_asks_again(domain):
    """After the out-of-scope rule answered, the form comes back: the message was
    already read, no hint and no count."""
    back = [{"event": "action_execution_rejected", "name": "referral_form"},
            {"event": "action", "name": "action_out_of_scope"}, {"event": "bot", "text": "…"},
            {"event": "action", "name": "referral_form"}]
    slots, responses, _, _ = _turn_then(domain, "il fait beau", "out_of_scope", back)
    assert responses == [] and slots == {"requested_slot": "public"}


def _turn_then(domain, text, intent, after):
    user = {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 0.9}}}
    tracker = make_tracker({"need": "formation"}, text=text, intent=intent, requested_slot="public",
                           active_loop="referral_form", events=[FORM_ON, ASKED["public"], user, *after])
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateReferralForm().run(dispatcher, tracker, domain))
    return _slot_values(result), [m.get("response") for m in dispatcher.messages], dispatcher.messages, result


@pytest.mark.parametrize("text, start", [("je suis technicienne de maintenance", 8), ("je bosse comme cariste", 15),
                                         ("en tant que aide-soignante", 12)])
def test_a_job_said_as_one_s_own_answers_the_situation_question(domain, text, start):
    metier = [{"entity": "metier", "value": "…", "start": start, "end": len(text)}]
    slots, responses, _, _ = turn(domain, text, "out_of_scope", slots={"need": "formation"}, asking="public",
                                  entities=metier, before=[ASKED["public"]])
    assert slots["public"] == "salarie" and responses == []


def test_a_job_wished_for_is_no_situation(domain):
    text = "je voudrais devenir cariste"
    metier = [{"entity": "metier", "value": "…", "start": 20, "end": len(text)}]
    slots, responses, _, _ = turn(domain, text, "formation", slots={"need": "formation"}, asking="public",
                                  entities=metier, before=[ASKED["public"]])
    assert slots.get("public") is None and responses == ["utter_invalid_public"]


@pytest.mark.parametrize("text, start, end", [("cariste depuis 10 ans", 0, 7), ("serveuse", 0, 8), ("euh bah serveuse", 8, 16)])
def test_a_job_title_alone_or_with_its_time_answers_the_situation_question(domain, text, start, end):
    metier = [{"entity": "metier", "value": "…", "start": start, "end": end}]
    slots, _, _, _ = turn(domain, text, "nlu_fallback", slots={"need": "formation"}, asking="public",
                          entities=metier, before=[ASKED["public"]])
    assert slots["public"] == "salarie"


def test_the_need_asked_twice_in_vain_ends_with_the_human_contacts(domain):
    asked_need = {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_ask_need"}}
    slots, responses, _, _ = turn(domain, "euh je sais pas", "nlu_fallback", slots={"commune": "Brest"},
                                  asking="need", before=[asked_need, asked_need])
    assert responses == ["utter_human_contact"]
    assert slots["requested_slot"] is None  # the form ends: no third time


def test_the_need_asked_once_is_asked_again(domain):
    asked_need = {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_ask_need"}}
    slots, responses, _, _ = turn(domain, "euh je sais pas", "nlu_fallback", slots={"commune": "Brest"},
                                  asking="need", before=[asked_need])
    assert responses == [] and "need" not in slots  # rejected: the fallback rule, then the question


def test_a_long_answer_without_a_request_keeps_the_need(domain):
    """"Je suis employée, caissière dans un hypermarché" read as a job search, sure of
    it: an answer all the same."""
    slots, responses, _, _ = turn(domain, "Je suis employée, caissière dans un hypermarché", "recherche_emploi",
                                  confidence=0.89, slots={"need": "vae"}, asking="public",
                                  entities=[public("salarie", 0, 16)],
                                  before=[{"event": "slot", "name": "need", "value": "vae"}, ASKED["public"]],
                                  mapped={"need": "recherche_emploi", "public": "salarie"})
    assert slots["need"] == "vae" and "utter_need_understood" not in responses


def test_an_answer_that_also_asks_for_something_else_changes_the_need(domain):
    slots, responses, _, _ = turn(domain, "je suis salariée, en fait je voudrais plutôt un bilan de compétences",
                                  "bilan_competences", confidence=0.95, slots={"need": "vae"}, asking="public",
                                  entities=[public("salarie", 8, 16)],
                                  before=[{"event": "slot", "name": "need", "value": "vae"}, ASKED["public"]],
                                  mapped={"need": "bilan_competences", "public": "salarie"})
    assert slots["need"] == "bilan_competences" and "utter_need_understood" in responses


def test_after_a_referral_an_answer_read_as_a_need_corrects_the_need_s_referral(domain):
    """"bof, apprenti" after a VAE referral, read as an apprenticeship: a correction."""
    slots, responses, _, _ = turn(domain, "bof, apprenti", "alternance", confidence=0.96, slots={"need": "vae"},
                                  asking=None, entities=[public("apprenti", 5, 13)],
                                  before=[{"event": "slot", "name": "need", "value": "vae"}],
                                  mapped={"need": "alternance", "public": "apprenti"})
    assert slots["need"] == "vae" and "utter_need_understood" not in responses


def test_a_need_told_where_danger_may_be_gets_the_help_numbers_first(domain):
    """The distress classifier heard danger in a story DIET read as a need
    (parse key distress_doubt): the numbers, then the form goes on."""
    story = "je voudrais reprendre une formation, depuis que mon mari me frappe je ne dors plus"
    slots, responses, messages, _ = turn(domain, story, "formation", slots={"need": "formation"}, asking=None,
                                         parse_extra={DISTRESS_DOUBT: 0.71})
    assert responses[0] == "utter_distress_in_doubt"
    assert slots["requested_slot"] == "public"
    text = domain["responses"]["utter_distress_in_doubt"][0]["text"]
    assert all(number in text for number in ("3114", "119", "3919", "3018", "3020", "115", "17", "112"))
    assert "conseiller" in text
    _, calm, _, _ = turn(domain, "je voudrais reprendre une formation", "formation", slots={"need": "formation"})
    assert "utter_distress_in_doubt" not in calm
