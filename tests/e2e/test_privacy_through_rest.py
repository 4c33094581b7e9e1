"""Personal data typed into the real REST channel never reaches the conversation
store's file, the call-back store in clear, nor the servers' logs. The shared
servers run at DEBUG, where Rasa logs every message: these tests can fail."""
from __future__ import annotations

import sqlite3
import uuid

import pytest

from tests.support.sqlite_files import all_bytes

pytestmark = pytest.mark.e2e

# Invented person. Each string must be absent from every file the servers wrote.
PERSONAL = [
    "Maëlys", "Kervadec", "maelys.kervadec@exemple.fr", "06 71 24 93 58", "0671249358",
    "14 allée des Pervenches", "2 95 07 35 238 114 27", "FR76 3000 6000 0112 3456 7890 189",
]
MESSAGES = [
    "bonjour je m'appelle Maëlys Kervadec",
    "je cherche une formation, écrivez-moi à maelys.kervadec@exemple.fr ou au 06 71 24 93 58",
    "j'habite 14 allée des Pervenches à Rennes",
    "mon numéro de sécu c'est 2 95 07 35 238 114 27 et mon iban FR76 3000 6000 0112 3456 7890 189",
]


def test_personal_data_is_in_no_file_and_no_log(rasa_servers):
    sender = uuid.uuid4().hex
    for message in MESSAGES:
        assert rasa_servers.say(sender, message), message

    stored = all_bytes(rasa_servers.tracker_db)
    logs = rasa_servers.log_text()
    for item in PERSONAL:
        assert item.encode() not in stored, f"dans la base : {item}"
        assert item not in logs, f"dans les journaux : {item}"
    # The conversation is kept, redacted: what the service needs is still there.
    with sqlite3.connect(rasa_servers.tracker_db) as db:
        texts = [row[0] for row in db.execute(
            "select data from events where sender_id = ? and type_name = 'user'", (sender,))]
    assert len(texts) == len(MESSAGES)
    joined = "\n".join(texts)
    assert "<PERSONNE>" in joined and "<EMAIL>" in joined and "<TELEPHONE>" in joined
    assert "Rennes" in joined and "formation" in joined


@pytest.mark.server_errors_expected
def test_a_failing_action_writes_its_traceback_without_personal_data(rasa_servers):
    from tests.support.faulty_actions import FAULT_MARKER

    sender = uuid.uuid4().hex
    rasa_servers.say(sender, "je cherche une formation")
    marks = rasa_servers.log_marks()
    rasa_servers.say(sender, f"{FAULT_MARKER} je m'appelle Maëlys Kervadec, au 06 71 24 93 58")
    written = "".join(text for text in rasa_servers.errors_since(marks))
    assert "Traceback (most recent call last)" in written and "panne simulée" in written
    assert "RuntimeError" in written
    logs = rasa_servers.log_text()
    for item in ("Maëlys", "Kervadec", "06 71 24 93 58"):
        assert item not in logs, f"dans les journaux : {item}"


def test_call_back_number_is_kept_apart_and_encrypted(rasa_servers):
    sender = uuid.uuid4().hex
    replies = rasa_servers.say(sender, "/request_callback")  # the "Être rappelé·e" button
    assert any("J'accepte" in r.get("text", "") for r in replies), replies
    rasa_servers.say(sender, "/affirm")
    replies = rasa_servers.say(sender, "06 71 24 93 58 plutôt le matin")
    assert any("C'est noté" in r.get("text", "") for r in replies), replies

    for path in (rasa_servers.tracker_db, rasa_servers.callbacks_db):
        raw = all_bytes(path)
        for form in (b"06 71 24 93 58", b"0671249358", b"+33671249358", b"671249358"):
            assert form not in raw, (path.name, form)
    assert "71 24 93 58" not in rasa_servers.log_text()
    with sqlite3.connect(rasa_servers.callbacks_db) as db:
        [(count,)] = db.execute("select count(*) from callback_requests")
    assert count == 1
