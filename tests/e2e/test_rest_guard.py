"""The REST channel's limits, through the real Rasa server (bot/channels/rest.py)."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest

pytestmark = pytest.mark.e2e


def post(servers, body: bytes | dict) -> tuple[int, object]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(f"{servers.rasa_url}/webhooks/rest/webhook", data=data,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")


def user_texts(servers, sender: str) -> list[str]:
    return [event.get("text") for event in servers.tracker(sender)["events"] if event["event"] == "user"]


@pytest.mark.parametrize("body", [
    {"message": "bonjour"},
    {"sender": "", "message": "bonjour"},
    {"sender": "../default", "message": "bonjour"},
    {"sender": "x" * 200, "message": "bonjour"},
    {"sender": "abc", "message": 12},
    {"sender": "abc"},
    b"{pas du json",
    b"[1, 2]",
])
def test_malformed_requests_are_refused_in_french(live_servers, body):
    status, answer = post(live_servers, body)
    assert status == 400
    assert "Requête refusée" in answer["error"]


def test_no_shared_default_conversation(live_servers):
    post(live_servers, {"message": "je cherche une formation"})
    assert user_texts(live_servers, "default") == []


def test_a_huge_message_is_refused_at_once_without_reaching_the_nlu(live_servers):
    sender = uuid.uuid4().hex
    started = time.monotonic()
    status, answer = post(live_servers, {"sender": sender, "message": "formation " * 2_000})
    assert time.monotonic() - started < 5
    assert status == 200 and "trop long" in answer[0]["text"]
    assert user_texts(live_servers, sender) == []


def test_a_body_over_the_cap_is_refused_before_it_is_read(live_servers):
    status, _ = post(live_servers, {"sender": "abc", "message": "a", "pad": "x" * 200_000})
    assert status == 413


def test_a_slash_command_that_no_button_sends_is_read_as_words(live_servers):
    sender = uuid.uuid4().hex
    live_servers.say(sender, "bonjour")
    live_servers.say(sender, '/inform{"commune": "Rennes 06 12 34 56 78"}')
    live_servers.say(sender, "/counsellor_message")
    live_servers.say(sender, '/inform{"age": "1e999"}')
    tracker = live_servers.tracker(sender)
    intents = [event["parse_data"]["intent"]["name"] for event in tracker["events"] if event["event"] == "user"]
    assert "counsellor_message" not in intents
    stored = json.dumps(tracker["events"], ensure_ascii=False)
    assert '"value": "Rennes 06 12 34 56 78"' not in stored
    assert all(not text.startswith("/") for text in user_texts(live_servers, sender)[1:])


def test_a_buttons_payload_still_works(live_servers):
    sender = uuid.uuid4().hex
    live_servers.say(sender, "je veux faire une vae")
    live_servers.say(sender, '/inform{"public": "salarie"}')
    slots = live_servers.tracker(sender)["slots"]
    assert slots["public"] == "salarie"


def test_what_a_client_adds_to_the_metadata_is_not_kept(live_servers):
    sender = uuid.uuid4().hex
    live_servers.say(sender, "bonjour", metadata={"region": "53", "email": "personne@exemple.fr"})
    tracker = live_servers.tracker(sender)
    assert "personne@exemple.fr" not in json.dumps(tracker)
    [user] = [event for event in tracker["events"] if event["event"] == "user"]
    assert user["input_channel"] == "rest"


def test_a_conversation_writing_too_fast_is_asked_to_wait_the_others_are_not(live_servers):
    from bot.channels.rate import DEFAULT_PER_MINUTE

    sender = uuid.uuid4().hex
    # Messages too long to be read: counted all the same, and cheap (no NLU).
    for _ in range(DEFAULT_PER_MINUTE):
        status, answer = post(live_servers, {"sender": sender, "message": "x" * 1001})
        assert status == 200 and "trop long" in answer[0]["text"]
    status, answer = post(live_servers, {"sender": sender, "message": "je cherche une formation"})
    assert status == 429 and "beaucoup de messages" in answer[0]["text"]
    assert user_texts(live_servers, sender) == []  # not read, not stored
    status, answer = post(live_servers, {"sender": uuid.uuid4().hex, "message": "je cherche une formation"})
    assert status == 200 and "situation" in json.dumps(answer, ensure_ascii=False)
