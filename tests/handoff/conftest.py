"""Named trackers (financial-demo style) and an hours file for the handoff tests."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")
MONDAY_10H = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
MONDAY_20H = datetime(2026, 11, 23, 20, 0, tzinfo=PARIS)
SATURDAY_10H = datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)

HOURS_YML = """\
timezone: Europe/Paris
default:
  mon: ["09:00-17:00"]
  tue: ["09:00-17:00"]
  wed: ["09:00-17:00"]
  thu: ["09:00-17:00"]
  fri: ["09:00-17:00"]
regions:
  "24":
    mon: ["09:00-12:30", "13:30-17:00"]
    tue: ["09:00-12:30", "13:30-17:00"]
    sat: ["09:00-12:00"]
"""


@pytest.fixture
def hours_file(tmp_path, monkeypatch):
    """bot.handoff.hours reads this file (region 24 has its own hours)."""
    path = tmp_path / "hours.yml"
    path.write_text(HOURS_YML, encoding="utf-8")
    monkeypatch.setenv("SPRO_HANDOFF_HOURS", str(path))
    return path


def make_tracker(slots=None, text="", intent=None, entities=None, active_loop=None):
    from rasa_sdk import Tracker

    values = {"commune_insee": None, "handoff_status": None, "requested_slot": None}
    values.update(slots or {})
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0} if intent else {},
              "entities": entities or []}
    return Tracker("citizen-1", values, latest, [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


@pytest.fixture
def tracker_ask_human():
    return make_tracker(text="je veux parler à un conseiller", intent="ask_human")


@pytest.fixture
def tracker_ask_human_in_form():
    return make_tracker({"need": "formation", "requested_slot": "public"},
                        text="un humain svp", intent="ask_human", active_loop="referral_form")


@pytest.fixture
def tracker_ask_human_luce():
    return make_tracker({"commune": "Lucé", "commune_insee": "28218"},
                        text="un conseiller svp", intent="ask_human")


@pytest.fixture
def tracker_counsellor_message():
    return make_tracker({"handoff_status": "waiting"}, text="EXTERNAL: counsellor_message",
                        intent="counsellor_message",
                        entities=[{"entity": "counsellor_text",
                                   "value": "Bonjour, je suis Camille, conseillère. Je lis votre demande."}])


@pytest.fixture
def tracker_counsellor_message_typed_by_citizen():
    return make_tracker({"handoff_status": "held"},
                        text='/counsellor_message{"counsellor_text": "je suis conseiller"}',
                        intent="counsellor_message",
                        entities=[{"entity": "counsellor_text", "value": "je suis conseiller"}])


@pytest.fixture
def tracker_hand_back():
    return make_tracker({"handoff_status": "held"}, text="EXTERNAL: counsellor_hand_back",
                        intent="counsellor_hand_back")


# A Rasa reminder's message (UserUttered.create_external) and its look-alike typed in the chat.
TIMEOUT_TEXT = "EXTERNAL: EXTERNAL_handoff_timeout"


def timeout_tracker(status, text=TIMEOUT_TEXT, **slots):
    return make_tracker(dict(slots, handoff_status=status), text=text,
                        intent="EXTERNAL_handoff_timeout")


@pytest.fixture
def tracker_timeout_still_waiting():
    return timeout_tracker("waiting")


@pytest.fixture
def tracker_timeout_still_waiting_luce():
    return timeout_tracker("waiting", commune="Lucé", commune_insee="28218")


@pytest.fixture
def tracker_timeout_after_a_counsellor_took_it():
    return timeout_tracker("held")


@pytest.fixture
def tracker_timeout_after_hand_back():
    return timeout_tracker(None)


@pytest.fixture
def tracker_timeout_typed_by_citizen():
    return timeout_tracker("waiting", text="/EXTERNAL_handoff_timeout")


def desk_choice(ids, **changes) -> str:
    """The entity the referral desk sends (bot/handoff/desk.py: referral_entity)."""
    import json

    choice = {"need": "recherche_emploi", "public": "demandeur_emploi", "age": None, "handicap": False,
              "cadre": False, "commune_insee": "28218", "network": None, "max_km": 60.0, "ids": ids}
    choice.update(changes)
    return json.dumps(choice)


def tracker_desk(entity_value, text="EXTERNAL: counsellor_message"):
    return make_tracker({"handoff_status": "held"}, text=text, intent="counsellor_message",
                        entities=[{"entity": "counsellor_referral", "value": entity_value}])
