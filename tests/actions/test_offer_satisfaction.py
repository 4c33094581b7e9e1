"""action_offer_satisfaction: the rating is offered once, at the end (after a
referral, or when the person wants to give an opinion)."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.offer_satisfaction import ActionOfferSatisfaction


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


def offer(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = ActionOfferSatisfaction().run(dispatcher, tracker, domain)
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
    # Braces doubled in the domain: Rasa renders them as '/feedback{"rating": "N"}'
    # (tests/test_domain_rendering.py renders and parses them).
    [question] = domain["responses"]["utter_ask_rating"]
    assert [b["payload"] for b in question["buttons"]] == [
        '/feedback{{"rating": "%d"}}' % n for n in range(1, 6)]
