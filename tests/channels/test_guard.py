"""What the public channels let through (bot/channels/guard.py)."""
from __future__ import annotations

import pytest

from bot.channels import guard


@pytest.mark.parametrize("sender", ["a", "3f2b9c0d" * 8, "widget_session-1"])
def test_random_ids_are_valid_senders(sender):
    assert guard.valid_sender(sender)


@pytest.mark.parametrize("sender", [None, "", 42, "x" * 65, "../default", "a b", "é", "id\n"])
def test_other_senders_are_refused(sender):
    assert not guard.valid_sender(sender)


@pytest.mark.parametrize("payload", [
    "/wrong_need",
    "/affirm",
    '/inform{"public": "salarie"}',
    '/inform{"rating": "4"}',
    '/inform{"commune": "Saint-Denis", "commune_insee": "93066"}',
    '/inform{"commune": "L\'Haÿ-les-Roses", "commune_insee": "94038"}',
    '/inform{"commune": "Ajaccio", "commune_insee": "2A004"}',
])
def test_the_buttons_payloads_pass_as_they_are(payload):
    assert guard.is_button_payload(payload)
    assert guard.public_text(payload) == payload


@pytest.mark.parametrize("payload, why", [
    ("/counsellor_message", "a counsellor's message, sent by the console only"),
    ("/counsellor_hand_back", "the console's hand-back"),
    ("/EXTERNAL_reminder", "Rasa's external events"),
    ("/no_such_intent", "not an intent of the domain"),
    ('/inform{"commune": "Rennes 0612345678"}', "digits are no commune"),
    ('/inform{"commune": "Saint-Denis"}', "a commune button carries its code"),
    ('/inform{"age": "1e999"}', "no button carries an age"),
    ('/inform{"public": "directeur"}', "not a public of the spec"),
    ('/inform{"rating": 4}', "values are texts"),
    ("/inform{not json}", "malformed entities"),
    ("/inform{}", "no entity at all"),
])
def test_other_slash_commands_become_plain_text(payload, why):
    assert not guard.is_button_payload(payload), why
    assert not guard.public_text(payload).startswith("/"), why


def test_plain_text_keeps_its_words_and_loses_control_characters():
    assert guard.public_text("//inform j'ai 30 ans") == "inform j'ai 30 ans"
    assert guard.public_text("bon\x00jour\x1b") == "bon jour "
    assert guard.public_text("deux\nlignes\tici") == "deux\nlignes\tici"
    assert guard.public_text(None) == ""


def test_the_limit_is_a_thousand_characters():
    assert not guard.too_long("é" * guard.MAX_MESSAGE_CHARS)
    assert guard.too_long("é" * (guard.MAX_MESSAGE_CHARS + 1))
    assert "trop long" in guard.TOO_LONG


@pytest.mark.parametrize("metadata, kept", [
    ({"region": "53"}, {"region": "53"}),
    ({"region": "53", "email": "x@y.fr", "ip": "1.2.3.4"}, {"region": "53"}),
    ({"region": "Bretagne"}, None),
    ({"region": 53}, None),
    ("region=53", None),
    (None, None),
])
def test_only_the_region_code_is_kept_from_metadata(metadata, kept):
    assert guard.public_metadata(metadata) == kept
