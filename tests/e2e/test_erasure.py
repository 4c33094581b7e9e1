"""Erasure end to end through the real REST channel: a conversation that left a
call-back request and a satisfaction answer, "supprimer ma conversation", the
confirmation, and then nothing of it anywhere: not in the conversation store, not
in the call-back store, not among the satisfaction answers."""
from __future__ import annotations

import sqlite3
import uuid

import pytest

pytestmark = pytest.mark.e2e


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def rows(path, query, *params):
    with sqlite3.connect(path) as db:
        return db.execute(query, params).fetchall()


def test_erasure_removes_the_conversation_its_call_back_and_its_rating(live_servers):
    sender = uuid.uuid4().hex
    say = lambda message: live_servers.say(sender, message)  # noqa: E731
    say("je voudrais faire une VAE, je suis salariée, j'ai 34 ans et j'habite à Lucé")
    assert "J'accepte" in texts(say("/request_callback"))
    say("/affirm")
    assert "C'est noté" in texts(say("06 71 24 93 58 le matin"))
    callbacks_before = rows(live_servers.callbacks_db, "select count(*) from callback_requests")[0][0]
    say('/feedback{"rating": "4"}')
    say("très clair, un grand merci à l'équipe de Lucé")
    ratings_before = rows(live_servers.tracker_db, "select count(*) from satisfaction")[0][0]
    assert rows(live_servers.tracker_db, "select count(*) from events where sender_id = ?", sender)[0][0] > 10

    assert "Voulez-vous vraiment supprimer" in texts(say("supprimer ma conversation"))
    assert "votre conversation a été supprimée" in texts(say("/affirm"))

    kept = rows(live_servers.tracker_db, "select type_name, data from events where sender_id = ?", sender)
    assert all("Lucé" not in data and "VAE" not in data for _, data in kept), kept
    assert len(kept) <= 3  # what follows the restart only
    assert rows(live_servers.callbacks_db, "select count(*) from callback_requests")[0][0] == callbacks_before - 1
    assert rows(live_servers.tracker_db, "select count(*) from satisfaction")[0][0] == ratings_before - 1
    # The person goes on, from nothing.
    assert "J'ai compris votre demande" in texts(say("je cherche une formation"))
