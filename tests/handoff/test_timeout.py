"""A wait nobody answers: action_handoff schedules the reminder, action_handoff_timeout
gives the remote contacts and the call-back offer if the conversation still waits."""
from __future__ import annotations

from datetime import timedelta

import pytest
from rasa_sdk.events import ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from tests.handoff.conftest import MONDAY_10H


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return events, dispatcher.messages


def test_waiting_schedules_the_time_out(monkeypatch, hours_file, tracker_ask_human):
    from actions import handoff

    monkeypatch.setattr(handoff, "now", lambda: MONDAY_10H)
    events, _ = run(handoff.ActionHandoff(), tracker_ask_human)
    assert events == [
        SlotSet("handoff_status", "waiting"),
        ReminderScheduled("EXTERNAL_handoff_timeout", MONDAY_10H + timedelta(minutes=10),
                          name="handoff_timeout_citizen-1", kill_on_user_message=False)]


def test_the_delay_comes_from_the_environment(monkeypatch, hours_file, tracker_ask_human):
    from actions import handoff

    monkeypatch.setattr(handoff, "now", lambda: MONDAY_10H)
    monkeypatch.setenv("SPRO_HANDOFF_TIMEOUT_MINUTES", "0.5")
    events, _ = run(handoff.ActionHandoff(), tracker_ask_human)
    assert events[1]["date_time"] == (MONDAY_10H + timedelta(seconds=30)).isoformat()


def test_still_waiting_the_remote_contacts_and_a_call_back(tracker_timeout_still_waiting):
    from actions.handoff_timeout import ActionHandoffTimeout

    events, messages = run(ActionHandoffTimeout(), tracker_timeout_still_waiting)
    assert events == [SlotSet("handoff_status", "closed")]  # the assistant speaks again
    assert [m["response"] for m in messages] == [
        "utter_handoff_timeout", "utter_human_contact", "utter_offer_callback"]


def test_still_waiting_the_region_phone_too(directory_db, tracker_timeout_still_waiting_luce):
    from actions.handoff_timeout import ActionHandoffTimeout

    events, messages = run(ActionHandoffTimeout(), tracker_timeout_still_waiting_luce)
    assert events == [SlotSet("handoff_status", "closed")]
    assert [m["response"] for m in messages] == [
        "utter_handoff_timeout", "utter_handoff_regional_phone", "utter_human_contact",
        "utter_offer_callback"]
    assert messages[1]["number"] == "0 800 222 100"


@pytest.mark.parametrize("fixture", ["tracker_timeout_after_a_counsellor_took_it",
                                     "tracker_timeout_after_hand_back",
                                     "tracker_timeout_typed_by_citizen"])
def test_nothing_when_a_counsellor_took_it_or_typed_by_the_person(request, fixture):
    from actions.handoff_timeout import ActionHandoffTimeout

    assert run(ActionHandoffTimeout(), request.getfixturevalue(fixture)) == ([], [])


def test_the_call_back_offer_starts_the_call_back_form(domain_responses):
    offer = domain_responses["utter_offer_callback"][0]
    assert [b["payload"] for b in offer["buttons"]] == ["/request_callback"]
    assert "conseiller·e" in domain_responses["utter_handoff_timeout"][0]["text"]


@pytest.fixture
def domain_responses():
    from pathlib import Path

    import yaml

    path = Path(__file__).resolve().parents[2] / "domain" / "handoff.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]
