"""action_record_satisfaction: answers are stored with the indicators, the
comment redacted; a storage failure does not break the conversation."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import satisfaction_access
from actions.record_satisfaction import ActionRecordSatisfaction
from bot import satisfaction

COMMENT = "Très clair, merci. Appelez Jeanne Martin au 06 12 34 56 78"  # invented


@pytest.fixture
def indicators_db(tmp_path, monkeypatch):
    """The conversation store (where the indicators live) in tmp_path; yields a reader."""
    url = f"sqlite:///{tmp_path / 'conversations.sqlite'}"
    monkeypatch.setenv("CONVERSATIONS_DATABASE_URL", url)
    satisfaction_access.reset()

    def answers():
        with satisfaction_access.engine().connect() as connection:
            satisfaction.create_tables(connection)
            table = satisfaction.satisfaction
            return connection.execute(sa.select(table.c.rating, table.c.comment, table.c.need)).all()

    yield answers
    satisfaction_access.reset()


# Named trackers -----------------------------------------------------------------

@pytest.fixture
def tracker_rated_4_with_comment(tracker_for):
    return tracker_for({"need": "formation", "rating": "4", "satisfaction_comment": COMMENT})


@pytest.fixture
def tracker_rated_2_no_comment(tracker_for):
    return tracker_for({"rating": "2", "satisfaction_comment": "aucun"})


@pytest.fixture
def tracker_no_rating(tracker_for):
    return tracker_for({"satisfaction_comment": "bien"})


def record(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = ActionRecordSatisfaction().run(dispatcher, tracker, domain)
    return events, [m["response"] for m in dispatcher.messages]


def test_comment_is_stored_redacted_with_rating_and_need(domain, tracker_rated_4_with_comment,
                                                         indicators_db):
    events, responses = record(tracker_rated_4_with_comment, domain)

    # The answer's id stays in the conversation: erasing it erases the answer too.
    assert events == [SlotSet("satisfaction_comment", None), SlotSet("satisfaction_answer_ids", [1])]
    assert responses == ["utter_satisfaction_recorded"]
    [(rating, comment, need)] = indicators_db()
    assert (rating, need) == (4, "formation")
    assert comment.startswith("Très clair, merci.")
    assert "Jeanne" not in comment and "Martin" not in comment and "06 12" not in comment
    assert "<TELEPHONE>" in comment


def test_no_thanks_stores_the_rating_alone(domain, tracker_rated_2_no_comment, indicators_db):
    record(tracker_rated_2_no_comment, domain)
    assert indicators_db() == [(2, None, None)]


def test_without_rating_nothing_is_stored(domain, tracker_no_rating, indicators_db):
    events, responses = record(tracker_no_rating, domain)
    assert responses == ["utter_satisfaction_recorded"]
    assert indicators_db() == []


def test_a_storage_failure_does_not_break_the_conversation(domain, tracker_rated_2_no_comment,
                                                           monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(satisfaction_access, "save_answer", broken)
    events, responses = record(tracker_rated_2_no_comment, domain)
    assert responses == ["utter_satisfaction_recorded"]
    assert "RuntimeError" in caplog.text
