"""Faults of a part, through the real REST channel: the action server failing, slow,
or killed in the middle of a conversation. The person gets, within seconds, a French
message with the remote contacts, and the conversation goes on once the server is
back (bot/rasa_fixes.py)."""
from __future__ import annotations

import time
import uuid

import pytest

from tests.support.faulty_actions import FAULT_SENDER, SLOW_SENDER

pytestmark = [pytest.mark.e2e, pytest.mark.server_errors_expected]

ANSWERS = {"situation": "je suis salariée", "âge": "41 ans", "commune": "Rennes"}


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def referrals(replies: list[dict]) -> list[dict]:
    return [r["custom"] for r in replies if isinstance(r.get("custom"), dict)
            and r["custom"].get("type") == "referral"]


def assert_apology(replies: list[dict]) -> None:
    said = texts(replies)
    assert "ne répond pas en ce moment" in said, replies
    assert "3949" in said and "monorientationenligne.fr" in said, replies
    assert said.count("ne répond pas en ce moment") == 1, "one apology per turn"


def answer_until_referral(servers, sender: str, replies: list[dict]) -> dict:
    """Answers the questions asked, as a person would, until the referral comes."""
    for _ in range(5):
        found = referrals(replies)
        if found:
            return found[0]
        asked = texts(replies[-1:]).lower()
        answer = next((text for cue, text in ANSWERS.items() if cue in asked), "Rennes")
        replies = servers.say(sender, answer)
    pytest.fail(f"no referral after the server came back: {replies}")


def timed_say(servers, sender: str, message: str) -> tuple[list[dict], float]:
    started = time.monotonic()
    replies = servers.say(sender, message)
    return replies, time.monotonic() - started


def test_an_action_that_fails_gives_the_remote_contacts(rasa_servers):
    sender = FAULT_SENDER + uuid.uuid4().hex
    replies, _ = timed_say(rasa_servers, sender, "je cherche une formation")
    assert_apology(replies)
    referral = answer_until_referral(rasa_servers, sender, rasa_servers.say(sender, "je suis salariée"))
    assert referral["need"] == "formation"


def test_a_slow_action_server_is_not_waited_for(rasa_servers):
    sender = SLOW_SENDER + uuid.uuid4().hex
    replies, elapsed = timed_say(rasa_servers, sender, "je cherche une formation")
    assert_apology(replies)
    assert elapsed < 10, f"{elapsed:.1f} s"
    # The conversation is not left locked: the next message is answered normally.
    referral = answer_until_referral(rasa_servers, sender, rasa_servers.say(sender, "je suis salariée"))
    assert referral["need"] == "formation"


def test_the_action_server_killed_mid_conversation(rasa_servers):
    sender = uuid.uuid4().hex
    first = rasa_servers.say(sender, "je voudrais faire une VAE")
    assert "situation" in texts(first)
    rasa_servers.local.stop_actions()
    try:
        replies, elapsed = timed_say(rasa_servers, sender, "je suis salariée")
        assert_apology(replies)
        assert elapsed < 5, f"{elapsed:.1f} s"
        # Still down: the next message gets the same answer, not silence.
        assert_apology(rasa_servers.say(sender, "j'habite à Rennes"))
    finally:
        rasa_servers.local.start_actions()
    replies = rasa_servers.say(sender, "je suis salariée, j'habite à Rennes")
    referral = answer_until_referral(rasa_servers, sender, replies)
    assert referral["need"] == "vae" and referral["commune"] == "Rennes"


def test_the_directory_removed_gives_the_remote_contacts_and_says_what_to_run(rasa_servers,
                                                                              directory_engine):
    from pathlib import Path

    path = Path(directory_engine.url.database)
    aside = path.with_name(path.name + ".aside")
    sender = uuid.uuid4().hex
    marks = rasa_servers.log_marks()
    path.rename(aside)
    try:
        replies = rasa_servers.say(sender, "je cherche une formation, je suis salariée, 41 ans, "
                                           "j'habite à Rennes")
        for _ in range(3):
            if "ne répond pas en ce moment" in texts(replies):
                break
            asked = texts(replies[-1:]).lower()
            replies = rasa_servers.say(sender, next(
                (text for cue, text in ANSWERS.items() if cue in asked), "Rennes"))
        assert_apology(replies)
        assert not referrals(replies)
        # Not an empty database in its place, which would hide the fault.
        assert not path.exists()
        logged = "\n".join(rasa_servers.errors_since(marks))
        assert "python -m directory import" in logged, logged[:2000]
    finally:
        aside.rename(path)
    # Rebuilt (here: put back), it is read again without restarting anything.
    referral = answer_until_referral(rasa_servers, sender, rasa_servers.say(sender, "Rennes"))
    assert referral["need"] == "formation" and referral["commune"] == "Rennes"
