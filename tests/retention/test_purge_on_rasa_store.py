"""The retention purge on rows written by the project's conversation store itself
(Rasa's SQLTrackerStore, redacting), on SQLite and PostgreSQL, and while new
conversations keep being written: old conversations are counted then deleted, the
recent and the new ones all stay."""
from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from bot import retention

NOW = dt.datetime.now(dt.timezone.utc)
REFERRAL = {"custom": {"type": "referral", "need": "formation", "public": "demandeur_emploi", "commune": "Lucé",
                       "structures": [{"id": "1", "name": "Mission locale", "network": "mission_locale"}],
                       "remote": []}}


@pytest.fixture(scope="module")
def domain():
    import warnings

    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Domain.from_dict({"intents": ["formation", "ask_human"],
                                 "slots": {"need": {"type": "any", "mappings": [{"type": "custom"}]}}})


def tracker(sender, days_ago):
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    at = (NOW - dt.timedelta(days=days_ago)).timestamp()
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen", timestamp=at),
        UserUttered("je cherche une formation", intent={"name": "formation", "confidence": 1.0}, timestamp=at + 1),
        SlotSet("need", "formation", timestamp=at + 2),
        BotUttered(data=REFERRAL, timestamp=at + 3),
        ActionExecuted("action_listen", timestamp=at + 4),
    ])


@pytest.fixture
def written(sql_url, domain):
    from tests.tracker_store.test_redacting_store import open_store

    store = open_store(sql_url, domain)
    for index in range(3):
        asyncio.run(store.save(tracker(f"old-{index}", 200)))
    for index in range(2):
        asyncio.run(store.save(tracker(f"recent-{index}", 10)))
    engine = sa.create_engine(sql_url, future=True)
    yield store, engine
    engine.dispose()
    store.engine.dispose()


def senders(engine):
    with engine.connect() as connection:
        return sorted(connection.execute(sa.select(retention.events.c.sender_id).distinct()).scalars())


def test_the_purge_counts_then_deletes_what_rasa_s_store_wrote(written):
    store, engine = written
    with engine.begin() as connection:
        report = retention.purge(connection, days=180)
    assert report.conversations == 3
    assert senders(engine) == ["recent-0", "recent-1"]
    with engine.connect() as connection:
        [day] = retention.read_indicators(connection)
    assert day["conversations"] == 3 and day["needs"] == {"formation": 3}
    assert day["networks"] == {"mission_locale": 3}
    # Rasa reads what stays.
    assert asyncio.run(store.retrieve("recent-0")).get_slot("need") == "formation"


def test_the_purge_while_conversations_are_written_loses_none(written):
    store, engine = written
    failures: list[BaseException] = []

    def write(count: int) -> None:
        loop = asyncio.new_event_loop()
        try:
            for index in range(count):
                loop.run_until_complete(store.save(tracker(f"new-{index}", 0)))
        except BaseException as error:  # reported below, not swallowed
            failures.append(error)
        finally:
            loop.close()

    writer = threading.Thread(target=write, args=(40,))
    writer.start()
    for _ in range(5):
        with engine.begin() as connection:
            retention.purge(connection, days=180)
    writer.join(120)
    assert failures == [] and not writer.is_alive()
    kept = senders(engine)
    assert [s for s in kept if s.startswith("old-")] == []
    assert len([s for s in kept if s.startswith("new-")]) == 40
    assert {"recent-0", "recent-1"} <= set(kept)
    with engine.connect() as connection:
        assert sum(day["conversations"] for day in retention.read_indicators(connection)) == 3  # counted once
