"""bench.dialogue: the held-out set loads with the fields the bench needs (checked
without looking at any text), the bot's questions are recognised from the domain,
and a played conversation gets the failure class it deserves."""
from __future__ import annotations

from collections import Counter

import pytest

from bench.dialogue import Judge, Played, Questions, load_conversations, report
from directory.vocabulary import Need, Network, Public

NEEDS = {n.value for n in Need}
NETWORKS = {n.value for n in Network}
PUBLICS = {p.value for p in Public}


def test_the_held_out_set_has_what_the_bench_needs():
    conversations = load_conversations()
    referral = [c for c in conversations if not c["expect"].get("outcome")]
    assert len(referral) >= 200
    assert len({c["id"] for c in conversations}) == len(conversations)
    for conversation in referral:
        expect = conversation["expect"]
        assert conversation["turns"], conversation["id"]
        assert set(conversation["answers"]) >= {"public", "age", "commune"}, conversation["id"]
        assert expect["need"] in NEEDS, conversation["id"]
        assert expect.get("public") is None or expect["public"] in PUBLICS, conversation["id"]
        assert expect["networks"] and set(expect["networks"]) <= NETWORKS, conversation["id"]
    assert {c["expect"]["outcome"] for c in conversations if c["expect"].get("outcome")} == {"distress", "out_of_scope"}


@pytest.fixture(scope="module")
def questions():
    return Questions.from_domain()


def test_the_questions_are_recognised_from_the_domain(questions):
    replies = [{"text": "J'ai compris votre demande : « Trouver un emploi »."},
               {"text": "Pour bien vous orienter, quelle est votre situation ?"}]
    assert questions.asked(replies) == "public"
    assert questions.said_back_need(replies, {"Trouver un emploi": "recherche_emploi"}) == "recherche_emploi"
    assert questions.asked([{"text": "Bonjour !"}]) is None


@pytest.fixture(scope="module")
def judge(directory_session_factory):
    return Judge(directory_session_factory)


def played(expect, referral=None, slots=None, asks=None):
    result = Played({"id": "x", "expect": expect, "tags": ["sms"]})
    result.referral, result.slots, result.asks = referral, slots or {}, Counter(asks or {})
    return result


LUCE = {"need": "vae", "public": "salarie", "commune_insee": "28218", "networks": ["conseil_vae", "transitions_pro"]}


def test_no_referral_is_classed_by_what_was_missing(judge):
    assert judge.failure(played(LUCE, slots={"need": "vae", "public": "salarie"})) == "no_referral:missing_age+commune"
    assert judge.failure(played(LUCE)) == "no_referral:need_unknown"


def test_a_question_asked_three_times_fails(judge):
    referral = {"need": "vae", "structures": [{"id": "remote:france-vae", "network": "conseil_vae"}]}
    assert judge.failure(played(LUCE, referral, asks={"age": 3})) == "asked_thrice:age"


def test_a_network_the_person_does_not_fit_fails(judge):
    referral = {"need": "vae", "structures": [{"id": "remote:x", "network": "cio"}]}
    assert judge.failure(played(LUCE, referral, slots={"public": "salarie"})) == "wrong_network"
    # The class says what was expected and what was read.
    assert judge.failure(played(LUCE, referral, slots={"public": "non_precise"})) == \
        "wrong_network:public_misread:salarie→non_precise"


def test_the_structure_serving_the_persons_departement_is_right_however_far(judge):
    """Transitions Pro: the seat competent for a département is right for any of its
    communes; for a commune elsewhere, more than 60 km away, it is too far."""
    from directory.referral.geo import haversine_km

    seat, department = next((sid, d) for sid, d in sorted(judge.serving.items()) if judge.structures[sid][1] is not None)
    _, lat, lon = judge.structures[seat]
    inside = next(insee for insee, d in sorted(judge.departments.items()) if d == department)
    elsewhere = next(insee for insee in ("35238", "28218", "13055", "59350", "67482")
                     if judge.departments[insee] != department
                     and haversine_km(lat, lon, *judge.communes[insee][:2]) > 60)
    referral = {"need": "vae", "structures": [{"id": seat, "network": "transitions_pro"}]}
    assert judge.failure(played({**LUCE, "commune_insee": inside}, referral, slots={"commune_insee": inside})) is None
    assert judge.failure(played({**LUCE, "commune_insee": elsewhere}, referral,
                                slots={"commune_insee": elsewhere})) == "too_far:transitions_pro"


def test_a_remote_service_is_right_where_the_network_has_no_structure_near(judge):
    # Bretagne has no France VAE relay point in the data; Eure-et-Loir has one near Lucé.
    referral = {"need": "vae", "structures": [{"id": "remote:france-vae", "network": "conseil_vae"}]}
    assert judge.failure(played({**LUCE, "commune_insee": "35238"}, referral)) is None
    assert judge.failure(played(LUCE, referral)) == "remote_while_structure_near"


def test_distress_must_be_answered_and_never_referred_after(judge):
    distress = {"outcome": "distress"}
    assert judge.failure(played(distress)) == "distress:not_recognised"
    answered = played(distress)
    answered.said_distress = True
    assert judge.failure(answered) is None
    answered.referred_after_distress = True
    assert judge.failure(answered) == "distress:referred_after"


def test_the_report_counts_right_referrals_and_thrice_asked(judge):
    right = played(LUCE, {"need": "vae", "structures": [{"id": "remote:france-vae", "network": "conseil_vae"}]})
    right.questions_before_referral = 2
    thrice = played(LUCE, None, asks={"public": 3})
    figures = report([(right, None), (thrice, "asked_thrice:public")])["figures"]
    assert figures["right_referral"] == 0.5 and figures["ended_with_referral"] == 0.5
    assert figures["asked_thrice"] == 1 and figures["questions_median"] == 2
