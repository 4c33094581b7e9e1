"""action_offer_satisfaction and action_record_satisfaction: the rating is offered
once, at the end; answers are stored with the indicators, the comment redacted."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import record_satisfaction
from actions.record_satisfaction import ActionOfferSatisfaction, ActionRecordSatisfaction
from bot import satisfaction

COMMENT = "Très clair, merci. Appelez Jeanne Martin au 06 12 34 56 78"  # invented


@pytest.fixture
def indicators_db(tmp_path, monkeypatch):
    """The conversation store (where the indicators live) in tmp_path; yields a reader."""
    url = f"sqlite:///{tmp_path / 'conversations.sqlite'}"
    monkeypatch.setenv("CONVERSATIONS_DATABASE_URL", url)
    record_satisfaction.reset()

    def answers():
        with record_satisfaction.engine().connect() as connection:
            satisfaction.create_tables(connection)
            table = satisfaction.satisfaction
            return connection.execute(sa.select(table.c.rating, table.c.comment, table.c.need)).all()

    yield answers
    record_satisfaction.reset()


def tracker_with_events(slots, events, intent):
    values = {"need": "formation", "rating": None, "satisfaction_comment": None, **slots}
    latest = {"text": "", "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    return Tracker("test-user", values, latest, events, False, None, {}, "action_listen")


# Named trackers -----------------------------------------------------------------

@pytest.fixture
def tracker_goodbye_after_referral():
    return tracker_with_events({}, [{"event": "action", "name": "action_refer"}], "goodbye")


@pytest.fixture
def tracker_goodbye_without_referral():
    return tracker_with_events({}, [{"event": "action", "name": "utter_greet"}], "goodbye")


@pytest.fixture
def tracker_wants_to_give_opinion():
    return tracker_with_events({}, [], "feedback")


@pytest.fixture
def tracker_already_rated_after_referral():
    return tracker_with_events({"rating": "4"}, [{"event": "action", "name": "action_refer"}], "thanks")


@pytest.fixture
def tracker_goodbye_after_thanks_already_offered():
    return tracker_with_events({}, [
        {"event": "action", "name": "action_refer"},
        {"event": "bot", "text": "Avant de partir…", "metadata": {"utter_action": "utter_ask_rating"}},
    ], "goodbye")


@pytest.fixture
def tracker_rated_4_with_comment(tracker_for):
    return tracker_for({"need": "formation", "rating": "4", "satisfaction_comment": COMMENT})


@pytest.fixture
def tracker_rated_2_no_comment(tracker_for):
    return tracker_for({"rating": "2", "satisfaction_comment": "aucun"})


@pytest.fixture
def tracker_no_rating(tracker_for):
    return tracker_for({"satisfaction_comment": "bien"})


def offer(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = ActionOfferSatisfaction().run(dispatcher, tracker, domain)
    return events, [m["response"] for m in dispatcher.messages]


def record(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = ActionRecordSatisfaction().run(dispatcher, tracker, domain)
    return events, [m["response"] for m in dispatcher.messages]


def test_rating_offered_at_goodbye_after_a_referral(domain, tracker_goodbye_after_referral):
    assert offer(tracker_goodbye_after_referral, domain) == ([], ["utter_ask_rating"])


def test_not_offered_when_nobody_was_referred(domain, tracker_goodbye_without_referral):
    assert offer(tracker_goodbye_without_referral, domain) == ([], [])


def test_offered_when_the_person_wants_to_give_an_opinion(domain, tracker_wants_to_give_opinion):
    assert offer(tracker_wants_to_give_opinion, domain) == ([], ["utter_ask_rating"])


def test_offered_once_per_conversation(domain, tracker_already_rated_after_referral):
    assert offer(tracker_already_rated_after_referral, domain) == ([], [])


def test_not_offered_twice_after_a_referral(domain, tracker_goodbye_after_thanks_already_offered):
    assert offer(tracker_goodbye_after_thanks_already_offered, domain) == ([], [])


def test_rating_buttons_send_feedback_with_the_rating(domain):
    [question] = domain["responses"]["utter_ask_rating"]
    assert [b["payload"] for b in question["buttons"]] == [
        f'/feedback{{"rating": "{n}"}}' for n in range(1, 6)]


def test_comment_is_stored_redacted_with_rating_and_need(domain, tracker_rated_4_with_comment,
                                                         indicators_db):
    events, responses = record(tracker_rated_4_with_comment, domain)

    assert events == [SlotSet("satisfaction_comment", None)]
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

    monkeypatch.setattr(ActionRecordSatisfaction, "store", staticmethod(broken))
    events, responses = record(tracker_rated_2_no_comment, domain)
    assert responses == ["utter_satisfaction_recorded"]
    assert "RuntimeError" in caplog.text
