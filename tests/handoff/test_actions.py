"""The handoff actions: returned events and dispatched responses."""
from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from tests.handoff.conftest import MONDAY_10H, MONDAY_20H, SATURDAY_10H


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return events, dispatcher.messages


@pytest.fixture
def at(monkeypatch, hours_file):
    """Freeze action_handoff's clock."""
    from actions import handoff

    def freeze(moment):
        monkeypatch.setattr(handoff, "now", lambda: moment)

    return freeze


def test_within_hours_the_conversation_waits_for_a_counsellor(at, tracker_ask_human):
    from actions.handoff import ActionHandoff

    at(MONDAY_10H)
    events, messages = run(ActionHandoff(), tracker_ask_human)
    assert events[0] == SlotSet("handoff_status", "waiting")
    assert events[1]["event"] == "reminder"  # the time-out (test_timeout.py)
    assert [m["response"] for m in messages] == ["utter_handoff_waiting"]


def test_within_hours_during_the_form_only_the_status_changes(at, tracker_ask_human_in_form):
    """The rules stop the form (action_deactivate_loop), not this action."""
    from actions.handoff import ActionHandoff

    at(MONDAY_10H)
    events, _ = run(ActionHandoff(), tracker_ask_human_in_form)
    assert [e["event"] for e in events] == ["slot", "reminder"]
    assert events[0] == SlotSet("handoff_status", "waiting")


def test_outside_hours_the_hours_and_remote_contacts(at, tracker_ask_human):
    from actions.handoff import ActionHandoff

    at(MONDAY_20H)
    events, messages = run(ActionHandoff(), tracker_ask_human)
    assert events == [SlotSet("handoff_status", "closed")]
    assert [m["response"] for m in messages] == ["utter_handoff_closed", "utter_human_contact"]
    assert messages[0]["hours"] == "du lundi au vendredi, de 9 h à 17 h"


def test_the_region_of_the_commune_gives_its_hours(at, directory_db, tracker_ask_human_luce):
    """Lucé is in Centre-Val de Loire (24), open on Saturday morning in hours_file."""
    from actions.handoff import ActionHandoff

    at(SATURDAY_10H)
    events, messages = run(ActionHandoff(), tracker_ask_human_luce)
    assert events[0] == SlotSet("handoff_status", "waiting")
    at(MONDAY_20H)
    _, messages = run(ActionHandoff(), tracker_ask_human_luce)
    assert messages[0]["hours"].startswith("le lundi et le mardi, de 9 h à 12 h 30 et de 13 h 30 à 17 h")
    # The region's free number, from the curated remote services.
    assert [m["response"] for m in messages] == [
        "utter_handoff_closed", "utter_handoff_regional_phone", "utter_human_contact"]
    assert messages[1]["number"] == "0 800 222 100"


def test_unknown_commune_uses_the_default_hours(at, directory_db):
    from actions.handoff import ActionHandoff
    from tests.handoff.conftest import make_tracker

    at(SATURDAY_10H)
    events, _ = run(ActionHandoff(), make_tracker({"commune_insee": "00000"}, intent="ask_human"))
    assert events == [SlotSet("handoff_status", "closed")]


def test_counsellor_words_are_relayed_as_they_are(tracker_counsellor_message):
    from actions.counsellor_message import ActionCounsellorMessage

    events, messages = run(ActionCounsellorMessage(), tracker_counsellor_message)
    assert events == [SlotSet("handoff_status", "held")]
    assert [m["text"] for m in messages] == [
        "Bonjour, je suis Camille, conseillère. Je lis votre demande."]
    # Flagged so that the tracker store redacts what the counsellor wrote.
    assert all(m["counsellor"] is True for m in messages)


def test_a_citizen_cannot_speak_as_a_counsellor(tracker_counsellor_message_typed_by_citizen):
    from actions.counsellor_message import ActionCounsellorMessage
    from actions.handoff_end import ActionHandoffEnd

    tracker = tracker_counsellor_message_typed_by_citizen
    assert run(ActionCounsellorMessage(), tracker) == ([], [])
    assert run(ActionHandoffEnd(), tracker) == ([], [])


def test_hand_back_to_the_assistant(tracker_hand_back):
    from actions.handoff_end import ActionHandoffEnd

    events, messages = run(ActionHandoffEnd(), tracker_hand_back)
    assert events == [SlotSet("handoff_status", None)]
    assert [m["response"] for m in messages] == ["utter_handoff_back"]


def test_without_directory_the_default_hours_and_national_contacts(at, tmp_path, monkeypatch,
                                                                   tracker_ask_human_luce):
    from actions import directory_access
    from actions.handoff import ActionHandoff

    monkeypatch.setenv("DIRECTORY_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    directory_access.reset()
    at(SATURDAY_10H)  # region 24 would be open; the default hours are not
    try:
        events, messages = run(ActionHandoff(), tracker_ask_human_luce)
    finally:
        directory_access.reset()
    assert events == [SlotSet("handoff_status", "closed")]
    assert [m["response"] for m in messages] == ["utter_handoff_closed", "utter_human_contact"]


def desk_cards(session_factory, **changes):
    from directory.communes.info import CommuneInfo
    from directory.models import Commune
    from directory.referral.desk import DeskQuery, desk_search

    with session_factory() as session:
        query = DeskQuery(need="recherche_emploi", public="demandeur_emploi", max_km=60.0,
                          commune=CommuneInfo.from_row(session.get(Commune, "28218")), **changes)
        return desk_search(session, query).cards


def test_cards_chosen_at_the_desk_reach_the_person_as_the_referral_payload(
        directory_db, directory_session_factory):
    from actions.counsellor_message import ActionCounsellorMessage
    from tests.handoff.conftest import desk_choice, tracker_desk

    cards = desk_cards(directory_session_factory)
    chosen = [cards[2].id, cards[0].id]  # in any order: sent in the desk's order
    events, messages = run(ActionCounsellorMessage(), tracker_desk(desk_choice(chosen)))
    assert events == [SlotSet("handoff_status", "held")]
    [message] = messages
    payload = message["custom"]
    assert message["counsellor"] is True
    assert payload["type"] == "referral" and payload["commune"] == "Lucé"
    assert [s["id"] for s in payload["structures"]] == [cards[0].id, cards[2].id]
    assert [s["name"] for s in payload["structures"]] == [cards[0].name, cards[2].name]


@pytest.mark.parametrize("entity", [
    "not json", "[]", '{"need": "vae"}', None,
    '{"need": "nope", "ids": ["1"]}',
    '{"need": "vae", "ids": ["no-such-card"]}',
])
def test_anything_but_a_desk_choice_sends_nothing(directory_db, entity):
    from actions.counsellor_message import ActionCounsellorMessage
    from tests.handoff.conftest import tracker_desk

    assert run(ActionCounsellorMessage(), tracker_desk(entity)) == ([SlotSet("handoff_status", "held")], [])


def test_a_citizen_cannot_send_cards_as_a_counsellor(directory_db, directory_session_factory):
    from actions.counsellor_message import ActionCounsellorMessage
    from tests.handoff.conftest import desk_choice, tracker_desk

    ids = [card.id for card in desk_cards(directory_session_factory)]
    typed = tracker_desk(desk_choice(ids), text='/counsellor_message{"counsellor_referral": "…"}')
    assert run(ActionCounsellorMessage(), typed) == ([], [])
