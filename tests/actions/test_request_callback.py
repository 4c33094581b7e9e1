"""callback_form and action_request_callback: consent first, the number read from
the current message only, stored encrypted apart, never in an event or a log."""
from __future__ import annotations

import asyncio
import logging

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import callback_access
from actions.request_callback import ActionRequestCallback, ValidateCallbackForm
from bot.callbacks import store
from bot.callbacks.crypto import NumberCipher

NUMBER_TEXT = "c'est le 06 12 34 56 78, plutôt le matin"  # invented number


@pytest.fixture
def callbacks_db(tmp_path, monkeypatch):
    """The action's store and key in tmp_path; yields a reader of stored requests."""
    monkeypatch.delenv("SPRO_CALLBACK_KEY", raising=False)
    monkeypatch.setenv("SPRO_CALLBACK_KEY_FILE", str(tmp_path / "callback.key"))
    path = tmp_path / "callbacks.sqlite"
    monkeypatch.setenv("SPRO_CALLBACKS_DATABASE_URL", f"sqlite:///{path}")
    callback_access.reset()

    def take_all():
        engine = store.make_engine(f"sqlite:///{path}")
        taken = []
        with store.make_session_factory(engine).begin() as session:
            repository = store.CallbackRepository(session, NumberCipher.from_environment())
            while (request := repository.take_oldest()) is not None:
                taken.append(request)
        engine.dispose()
        return taken

    yield take_all
    callback_access.reset()


def in_form(tracker_for, slots=None, *, text, intent="inform", requested_slot):
    return tracker_for(dict({"need": "vae", "commune": "Lucé"}, **(slots or {})), text=text,
                       intent=intent, requested_slot=requested_slot, active_loop="callback_form")


# Named trackers -----------------------------------------------------------------

@pytest.fixture
def tracker_callback_just_asked(tracker_for):
    return in_form(tracker_for, text="rappelez-moi", intent="request_callback", requested_slot=None)


@pytest.fixture
def tracker_callback_consent_given(tracker_for):
    return in_form(tracker_for, {"callback_consent": True}, text="Oui", intent="affirm",
                   requested_slot="callback_consent")


@pytest.fixture
def tracker_callback_consent_refused(tracker_for):
    return in_form(tracker_for, {"callback_consent": False}, text="Non", intent="deny",
                   requested_slot="callback_consent")


@pytest.fixture
def tracker_callback_valid_number(tracker_for):
    return in_form(tracker_for, {"callback_consent": True}, text=NUMBER_TEXT,
                   requested_slot="callback_status")


@pytest.fixture
def tracker_callback_invalid_number(tracker_for):
    return in_form(tracker_for, {"callback_consent": True}, text="06 12 34",
                   requested_slot="callback_status")


@pytest.fixture
def tracker_callback_invalid_twice(tracker_for):
    return in_form(tracker_for, {"callback_consent": True, "callback_status": "invalid"},
                   text="zéro six douze", requested_slot="callback_status")


@pytest.fixture
def tracker_callback_changed_mind(tracker_for):
    return in_form(tracker_for, {"callback_consent": True}, text="non finalement", intent="deny",
                   requested_slot="callback_status")


def validate(tracker, domain):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateCallbackForm().run(dispatcher, tracker, domain))
    return events, [m["response"] for m in dispatcher.messages]


def test_the_form_asks_consent_first(domain, tracker_callback_just_asked, callbacks_db):
    events, responses = validate(tracker_callback_just_asked, domain)
    assert events == [SlotSet("requested_slot", "callback_consent")]
    assert responses == []
    assert callbacks_db() == []


def test_with_consent_the_number_is_asked(domain, tracker_callback_consent_given, callbacks_db):
    events, _ = validate(tracker_callback_consent_given, domain)
    assert events[-1] == SlotSet("requested_slot", "callback_status")
    assert callbacks_db() == []


def test_without_consent_the_form_ends_and_nothing_is_kept(domain, tracker_callback_consent_refused,
                                                          callbacks_db):
    events, _ = validate(tracker_callback_consent_refused, domain)
    assert events[-1] == SlotSet("requested_slot", None)
    assert callbacks_db() == []


def test_a_valid_number_is_stored_encrypted_and_never_in_a_slot(
        domain, tracker_callback_valid_number, callbacks_db, caplog):
    caplog.set_level(logging.DEBUG)
    events, responses = validate(tracker_callback_valid_number, domain)

    [request] = callbacks_db()
    # The request's random id stays in the conversation (erasure deletes it), never the number.
    assert events == [SlotSet("callback_status", "saved"), SlotSet("requested_slot", None),
                      SlotSet("callback_request_ids", [request.id])]
    assert responses == []
    assert (request.number, request.need, request.commune, request.moment) == (
        "+33612345678", "vae", "Lucé", "le matin")
    assert "612345678" not in caplog.text.replace(" ", "").replace(".", "")


def test_an_invalid_number_is_explained_and_asked_again(domain, tracker_callback_invalid_number,
                                                        callbacks_db):
    events, responses = validate(tracker_callback_invalid_number, domain)
    assert events == [SlotSet("callback_status", "invalid"),
                      SlotSet("requested_slot", "callback_status")]
    assert responses == ["utter_callback_invalid_number"]
    assert callbacks_db() == []


def test_after_two_invalid_numbers_the_form_gives_up(domain, tracker_callback_invalid_twice,
                                                     callbacks_db):
    events, responses = validate(tracker_callback_invalid_twice, domain)
    assert events == [SlotSet("callback_status", "failed"), SlotSet("requested_slot", None)]
    assert responses == []
    assert callbacks_db() == []


def test_no_at_the_number_question_cancels(domain, tracker_callback_changed_mind, callbacks_db):
    events, _ = validate(tracker_callback_changed_mind, domain)
    assert events == [SlotSet("callback_status", "cancelled"), SlotSet("requested_slot", None)]


def test_a_storage_failure_is_told_without_the_number(domain, tracker_callback_valid_number,
                                                      monkeypatch, caplog):
    def broken(**fields):
        raise RuntimeError(f"disk full while writing {fields['number']}")

    monkeypatch.setattr(callback_access, "save_request", broken)
    events, _ = validate(tracker_callback_valid_number, domain)
    assert events[0] == SlotSet("callback_status", "error")
    assert "RuntimeError" in caplog.text and "612345678" not in caplog.text


@pytest.mark.parametrize("consent, status, response", [
    (True, "saved", "utter_callback_confirmed"),
    (False, None, "utter_callback_declined"),
    (True, "cancelled", "utter_callback_declined"),
    (True, "failed", "utter_callback_failed"),
    (True, "error", "utter_callback_error"),
])
def test_the_final_action_says_what_was_kept_and_clears_the_form(
        domain, tracker_for, consent, status, response):
    tracker = tracker_for({"callback_consent": consent, "callback_status": status})
    dispatcher = CollectingDispatcher()
    events = ActionRequestCallback().run(dispatcher, tracker, domain)
    assert events == [SlotSet("callback_consent", None), SlotSet("callback_status", None)]
    [message] = dispatcher.messages
    assert message["response"] == response


def test_the_confirmation_gives_the_delay(domain, tracker_for, monkeypatch):
    monkeypatch.setenv("SPRO_CALLBACK_DELAY", "sous 48 heures")
    dispatcher = CollectingDispatcher()
    ActionRequestCallback().run(dispatcher, tracker_for({"callback_consent": True,
                                                         "callback_status": "saved"}), domain)
    [message] = dispatcher.messages
    assert message["delay"] == "sous 48 heures"
    assert "{delay}" in domain["responses"]["utter_callback_confirmed"][0]["text"]


def test_consent_question_names_the_7_days_and_offers_yes_no(domain):
    [question] = domain["responses"]["utter_ask_callback_consent"]
    assert "J'accepte que mon numéro soit conservé 7 jours au plus pour être rappelé·e" in question["text"]
    assert [b["payload"] for b in question["buttons"]] == ["/affirm", "/deny"]
