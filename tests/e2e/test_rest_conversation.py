"""Conversations through the real REST channel, the real Rasa and action servers."""
from __future__ import annotations

import pytest

import uuid

pytestmark = pytest.mark.e2e

SPEC_STRUCTURE_KEYS = {"id", "name", "network", "address", "postcode", "commune", "phone", "email",
                       "website", "distance_km", "reason"}
SPEC_REMOTE_KEYS = {"name", "kind", "contact", "hours"}


def new_sender() -> str:
    """Random per conversation, as the channels make it."""
    return uuid.uuid4().hex


def referrals(replies: list[dict]) -> list[dict]:
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict) and r["custom"].get("type") == "referral"]


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_everything_said_at_once_gets_a_referral_with_the_spec_payload(rasa_servers):
    sender = new_sender()
    greeting = rasa_servers.say(sender, "bonjour")
    assert "anonyme" in texts(greeting).lower()

    replies = rasa_servers.say(sender, "je voudrais faire une VAE, je suis salariée, j'ai 34 ans et j'habite à Lucé")
    [payload] = referrals(replies)
    assert payload["need"] == "vae"
    assert payload["public"] == "salarie"
    assert payload["commune"] == "Lucé"
    assert set(payload) == {"type", "need", "public", "commune", "structures", "remote"}
    assert payload["structures"], "at least one structure or network service"
    assert payload["structures"][0]["network"] == "conseil_vae"
    assert payload["structures"][0]["distance_km"] is not None, "a relay point of Centre-Val de Loire"
    # The association of the person's département (Eure-et-Loir), not a national link.
    assert "Transitions Pro Centre-Val de Loire" in [s["name"] for s in payload["structures"]]
    for structure in payload["structures"]:
        assert set(structure) == SPEC_STRUCTURE_KEYS
    for remote in payload["remote"]:
        assert set(remote) == SPEC_REMOTE_KEYS
        assert remote["kind"] in {"phone", "tchat", "web", "visio", "mail"}


def test_bot_asks_what_is_missing_then_refers(rasa_servers):
    sender = new_sender()
    rasa_servers.say(sender, "salut")
    first = rasa_servers.say(sender, "je cherche du travail")
    assert not referrals(first)
    # The need is said back, with a button to say it was misread, before any question.
    assert "« Trouver un emploi »" in first[0]["text"]
    assert first[0]["buttons"] == [{"title": "Ce n'est pas ma question", "payload": "/wrong_need"}]
    assert "situation" in texts(first[1:])
    replies = first
    for answer in ["je suis au chômage", "42 ans", "Chartres"]:
        if referrals(replies):
            break
        replies = rasa_servers.say(sender, answer)
    [payload] = referrals(replies)
    assert payload["need"] == "recherche_emploi"
    assert payload["commune"] == "Chartres"
    assert payload["structures"][0]["network"] == "france_travail"
    assert payload["structures"][0]["postcode"].startswith("28"), "the agency at its own address"


def test_distress_gets_help_numbers_and_no_referral(rasa_servers):
    sender = new_sender()
    replies = rasa_servers.say(sender, "j'en peux plus, j'ai envie d'en finir avec la vie")
    assert "3114" in texts(replies)
    assert not referrals(replies)


def test_out_of_scope_gets_its_answer_and_no_referral(rasa_servers):
    sender = new_sender()
    replies = rasa_servers.say(sender, "quel temps va-t-il faire demain à Brest ?")
    assert not referrals(replies)
    # The out-of-scope answer itself, not a need said back nor a question.
    assert "Je ne peux pas vous aider sur ce sujet" in texts(replies)
    assert "J'ai compris votre demande" not in texts(replies)
    assert "situation" not in texts(replies)


def test_a_status_spelt_as_people_type_it_is_understood(rasa_servers):
    sender = new_sender()
    replies = rasa_servers.say(
        sender, "je cherche un emploi, je suis au chômdu depuis un an, j'ai 30 ans, j'habite à Chartres")
    [payload] = referrals(replies)
    assert payload["public"] == "demandeur_emploi"
    assert payload["commune"] == "Chartres"


ANSWER = "je suis au chômage, j'ai 30 ans et j'habite à Rennes"


def test_after_distress_a_later_answer_brings_back_no_referral(rasa_servers):
    # Without the distress, the same answer completes the referral.
    control = new_sender()
    rasa_servers.say(control, "je cherche une formation")
    assert referrals(rasa_servers.say(control, ANSWER))

    sender = new_sender()
    rasa_servers.say(sender, "je cherche une formation")
    distress = rasa_servers.say(sender, "mon copain me frappe et j'ai peur")
    assert "3919" in texts(distress)
    later = rasa_servers.say(sender, ANSWER)
    assert not referrals(later)


def test_a_misunderstood_need_is_dropped_and_brings_no_referral(rasa_servers):
    sender = new_sender()
    rasa_servers.say(sender, "je cherche une formation")
    correction = rasa_servers.say(sender, "non c'est pas ma question, vous m'avez mal compris")
    assert "mal compris" in texts(correction)
    assert not referrals(rasa_servers.say(sender, ANSWER))
    # Said again, the right need goes to its referral with what is already known.
    [payload] = referrals(rasa_servers.say(sender, "je veux créer mon entreprise"))
    assert payload["need"] == "creation_entreprise"
    assert payload["commune"] == "Rennes"


def test_the_button_under_a_misread_need_drops_it(rasa_servers):
    """The out-of-scope message the model takes for a need: one tap and no referral."""
    sender = new_sender()
    first = rasa_servers.say(sender, "je veux créer une entreprise")
    assert "J'ai compris votre demande" in texts(first)
    correction = rasa_servers.say(sender, "/wrong_need")
    assert "mal compris" in texts(correction)
    assert not referrals(rasa_servers.say(sender, ANSWER))


def test_a_need_is_said_back_once_and_again_when_it_changes(rasa_servers):
    sender = new_sender()
    assert "J'ai compris votre demande" in texts(rasa_servers.say(sender, "je cherche une formation"))
    restated = rasa_servers.say(sender, "je cherche une formation")
    assert "J'ai compris votre demande" not in texts(restated)
    changed = rasa_servers.say(sender, "en fait je veux créer mon entreprise")
    assert "J'ai compris votre demande : « Créer ou reprendre une entreprise »" in texts(changed)


def buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r.get("buttons") or []]


def test_homonymous_communes_through_rasa_with_their_buttons(rasa_servers):
    """Equal homonyms outside the site's region: buttons, one tap, the referral."""
    sender = new_sender()
    brittany = {"region": "53"}
    rasa_servers.say(sender, "je cherche du travail, je suis au chômage et j'ai 40 ans", brittany)
    asked = rasa_servers.say(sender, "Saint-Denis", brittany)
    assert "Plusieurs communes portent ce nom" in texts(asked) and "Saint-Denis »" not in texts(asked)
    [choice] = [b for b in buttons(asked) if b["title"] == "Saint-Denis (Seine-Saint-Denis)"]
    [payload] = referrals(rasa_servers.say(sender, choice["payload"], brittany))
    assert payload["commune"] == "Saint-Denis" and payload["structures"]
    assert rasa_servers.tracker(sender)["slots"]["commune_insee"] == "93066"


def test_the_site_region_and_a_dominant_homonym_are_said_back_and_can_be_corrected(rasa_servers):
    reunion = new_sender()
    [payload] = referrals(rasa_servers.say(
        reunion, "je cherche du travail, au chômage, 40 ans, j'habite à Saint-Denis", {"region": "04"}))
    assert payload["commune"] == "Saint-Denis"
    assert rasa_servers.tracker(reunion)["slots"]["commune_insee"] == "97411"

    sender = new_sender()
    replies = rasa_servers.say(sender, "je cherche du travail, au chômage, 40 ans, j'habite à Montreuil")
    assert "J'ai compris : Montreuil (Seine-Saint-Denis)" in texts(replies)
    assert referrals(replies)[0]["commune"] == "Montreuil"
    # The other Montreuil, one tap away: the referral follows.
    [vendee] = [b for b in buttons(replies) if b["title"] == "Montreuil (Vendée)"]
    [corrected] = referrals(rasa_servers.say(sender, vendee["payload"]))
    assert corrected["commune"] == "Montreuil"
    assert rasa_servers.tracker(sender)["slots"]["commune_insee"].startswith("85")
