"""The review's summary row, kept by the real redacting tracker store (SQLite and
PostgreSQL): what it counts, that it holds no text, that it goes with the
conversation on erasure and on the retention purge."""
from __future__ import annotations

import asyncio
import datetime as dt

import sqlalchemy as sa

from bot.review.summaries import department_of, summaries
from tests.tracker_store.test_redacting_store import _conversation, domain, open_store, store  # noqa: F401


def rows(store):
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(sa.select(summaries))]


def referral_turns():
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    return [
        UserUttered("euh", intent={"name": "nlu_fallback", "confidence": 0.31}, input_channel="socketio"),
        UserUttered("pas ça", intent={"name": "wrong_need", "confidence": 0.97}, input_channel="socketio"),
        SlotSet("public", "lyceen"),
        ActionExecuted("action_refer"),
        BotUttered(data={"custom": {"type": "referral", "need": "formation", "structures": [
            {"id": "1", "network": "cio"}, {"id": "2", "network": "info_jeunesse"}, {"id": "3", "network": "cio"}]}}),
        UserUttered("EXTERNAL: counsellor_message", intent={"name": "counsellor_message", "confidence": 1.0}),
        SlotSet("handoff_status", "waiting"),
        SlotSet("rating", 4),
    ]


def test_the_summary_counts_what_the_review_filters(store):
    store, _ = store
    tracker = _conversation()
    for event in referral_turns():
        tracker.update(event)
    asyncio.run(store.save(tracker))
    [row] = rows(store)
    assert row["need"] == "formation" and row["public"] == "lyceen" and row["department_code"] == "35"
    assert row["networks"] == ",cio,info_jeunesse,"
    assert (row["messages"], row["fallbacks"], row["wrong_need"]) == (3, 1, 1)  # the console's trigger is not one
    assert row["handoff"] is True and row["rating"] == 4 and row["min_confidence"] == 0.31
    assert row["channel"] == "socketio"
    assert not any(isinstance(value, str) and ("Julie" in value or " " in value) for value in row.values())


def test_the_summary_goes_with_the_conversation(store):
    from rasa.shared.core.events import ActionExecuted, Restarted, UserUttered

    store, _ = store
    tracker = _conversation("a-effacer")
    asyncio.run(store.save(tracker))
    assert len(rows(store)) == 1
    tracker.update(UserUttered("/delete_conversation", intent={"name": "delete_conversation", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_delete_conversation"))
    tracker.update(Restarted())
    asyncio.run(store.save(tracker))
    # Only what follows the erasure is summarised: no need, no commune any more.
    assert [(r["need"], r["department_code"]) for r in rows(store)] in ([], [(None, None)])


def test_the_purge_removes_the_summaries_of_what_it_deletes(store):
    from bot.retention import purge

    store, _ = store
    asyncio.run(store.save(_conversation("ancienne")))
    with store.engine.begin() as connection:
        purge(connection, days=0, now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))
    assert rows(store) == []


def test_departments_of_insee_codes():
    assert [department_of(code) for code in ("35238", "2A004", "97411", "976", None)] == ["35", "2A", "974", None, None]
