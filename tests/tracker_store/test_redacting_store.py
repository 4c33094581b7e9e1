"""RedactingSQLTrackerStore on a real SQLite file and a real PostgreSQL database:
what is stored never contains the personal data a person wrote (on SQLite, the raw
bytes of the file and its WAL, free pages included); erasure forgets all."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.support.sqlite_files import all_bytes

PERSONAL = ["Julie", "Martin", "06 12 34 56 78", "julie.martin@gmail.com",
            "12 rue des Lilas", "192.168.1.20", "Mozilla/5.0"]
SLOTS = ["need", "public", "commune", "commune_insee", "age", "metier", "contact_note"]


@pytest.fixture(scope="module")
def domain():
    import warnings

    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():  # Rasa always warns about slot auto-fill here
        warnings.simplefilter("ignore", UserWarning)
        return _domain(Domain)


def _domain(Domain):
    return Domain.from_dict({
        "intents": ["inform", "delete_conversation", "affirm"],
        "slots": {name: {"type": "any", "mappings": [{"type": "custom"}]} for name in SLOTS},
        "responses": {"utter_conversation_deleted": [{"text": "C'est fait."}]},
        "actions": ["action_delete_conversation"],
    })


class Stored:
    """What a disk thief would read: the SQLite file's bytes, or every event row."""

    def __init__(self, store, url):
        self.store, self.url = store, url

    def read_bytes(self) -> bytes:
        if self.url.get_backend_name() == "sqlite":
            return all_bytes(Path(self.url.database))
        with self.store.session_scope() as session:
            rows = session.query(self.store.SQLEvent).all()
            return "\n".join(row.data for row in rows).encode()


def open_store(url, domain):
    from bot.tracker_store import RedactingSQLTrackerStore

    if url.get_backend_name() == "sqlite":
        return RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=url.database, redact_logs=False)
    return RedactingSQLTrackerStore(domain=domain, dialect="postgresql", host=url.host, port=url.port,
                                    db=url.database, username=url.username, password=url.password,
                                    redact_logs=False)


@pytest.fixture
def store(sql_url, domain):
    store = open_store(sql_url, domain)
    yield store, Stored(store, sql_url)
    store.engine.dispose()


def _user(text, **entities):
    from rasa.shared.core.events import UserUttered

    ents = [{"entity": name, "value": value, "start": 0, "end": 1}
            for name, value in entities.items()]
    return UserUttered(
        text,
        intent={"name": "inform", "confidence": 0.9},
        entities=ents,
        parse_data={"text": text, "intent": {"name": "inform", "confidence": 0.9},
                    "entities": ents},
        metadata={"ip": "192.168.1.20", "user_agent": "Mozilla/5.0"},
    )


def _conversation(sender_id="c0ffee"):
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(metadata={"ip": "192.168.1.20"}),
        SlotSet("session_started_metadata", {"ip": "192.168.1.20", "user_agent": "Mozilla/5.0"}),
        ActionExecuted("action_listen"),
        _user("Bonjour, je m'appelle Julie Martin, j'habite 12 rue des Lilas à Rennes, "
              "mon tel 06 12 34 56 78 et julie.martin@gmail.com, je cherche une formation "
              "en boulangerie", commune="Rennes", person="Julie Martin"),
        SlotSet("need", "formation"),
        SlotSet("commune", "Rennes"),
        SlotSet("commune_insee", "35238"),
        SlotSet("age", 17),
        SlotSet("contact_note", "rappeler Julie au 06 12 34 56 78"),
        ActionExecuted("utter_ask_public"),
        BotUttered("Appelez le CIO au 02 99 00 00 00."),
        ActionExecuted("action_listen"),
    ]
    return DialogueStateTracker.from_events(sender_id, events)


def _save(store, tracker):
    asyncio.run(store.save(tracker))


def test_raw_database_holds_no_personal_data(store):
    store, db = store
    _save(store, _conversation())
    raw = db.read_bytes()
    for item in PERSONAL:
        assert item.encode() not in raw, item
    assert b"<PERSONNE>" in raw and b"<TELEPHONE>" in raw and b"<ADRESSE>" in raw
    # What the service needs stays usable.
    assert b"Rennes" in raw and b"35238" in raw and b"formation" in raw
    assert b"02 99 00 00 00" in raw  # bot utterances are not redacted


def test_retrieved_tracker_keeps_allowed_slots(store):
    store, _ = store
    _save(store, _conversation())
    tracker = asyncio.run(store.retrieve("c0ffee"))
    assert tracker.get_slot("commune") == "Rennes"
    assert tracker.get_slot("age") == 17
    assert "<TELEPHONE>" in tracker.get_slot("contact_note")
    assert "Julie" not in tracker.latest_message.text
    assert tracker.latest_message.metadata == {}


def test_only_new_events_are_added(store):
    from rasa.shared.core.events import ActionExecuted

    store, _ = store
    _save(store, _conversation())
    tracker = asyncio.run(store.retrieve("c0ffee"))  # as Rasa does on each turn
    tracker.update(_user("moi c'est Kevin Lemoine"))
    tracker.update(ActionExecuted("action_listen"))
    _save(store, tracker)
    with store.session_scope() as session:
        rows = session.query(store.SQLEvent).all()
    assert len(rows) == len(_conversation().events) + 2
    assert not any("Kevin" in row.data for row in rows)


def test_erasure_deletes_everything_before_the_restart(store):
    from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted

    store, db = store
    tracker = _conversation("erase-me")
    _save(store, tracker)
    _save(store, _conversation("someone-else"))
    for event in [_user("supprimer ma conversation"), ActionExecuted("utter_ask_delete_confirmation"),
                  BotUttered("Voulez-vous vraiment supprimer cette conversation ?"),
                  ActionExecuted("action_listen"), _user("/affirm"),
                  ActionExecuted("action_delete_conversation"), BotUttered("C'est fait."),
                  Restarted(), ActionExecuted("action_listen")]:
        tracker.update(event)
    _save(store, tracker)

    with store.session_scope() as session:
        kept = session.query(store.SQLEvent).filter_by(sender_id="erase-me").all()
        others = session.query(store.SQLEvent).filter_by(sender_id="someone-else").count()
    assert [row.type_name for row in kept] == ["action"]  # the action_listen after restart
    assert others == len(_conversation().events)
    # Saving the same tracker again (Rasa may) keeps the same state.
    _save(store, tracker)
    with store.session_scope() as session:
        assert session.query(store.SQLEvent).filter_by(sender_id="erase-me").count() == 1
    # The erased words are not readable anywhere (on SQLite, free pages included:
    # secure_delete).
    store.engine.dispose()
    raw = db.read_bytes()
    assert b"supprimer ma conversation" not in raw
    assert raw.count(b"boulangerie") == 2  # someone-else: text + parse_data.text


def test_next_turn_after_erasure_starts_clean(store):
    from rasa.shared.core.events import ActionExecuted, Restarted

    store, _ = store
    tracker = _conversation("again")
    for event in [ActionExecuted("action_delete_conversation"), Restarted(),
                  ActionExecuted("action_listen")]:
        tracker.update(event)
    _save(store, tracker)
    retrieved = asyncio.run(store.retrieve("again"))
    retrieved.update(_user("je cherche une alternance"))
    _save(store, retrieved)
    with store.session_scope() as session:
        assert session.query(store.SQLEvent).filter_by(sender_id="again").count() == 2


def test_erasure_point_needs_the_delete_action_before_the_restart():
    from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted

    from bot.tracker_store import erasure_point

    assert erasure_point([ActionExecuted("action_restart"), Restarted()]) is None
    assert erasure_point([ActionExecuted("action_delete_conversation"), BotUttered("ok"),
                          Restarted()]) == 2


def test_loaded_from_an_endpoint_config_like_rasa_does(tmp_path, domain, monkeypatch):
    from rasa.core.tracker_store import create_tracker_store
    from rasa.utils.endpoints import EndpointConfig

    from bot.tracker_store import RedactingSQLTrackerStore

    monkeypatch.chdir(tmp_path)
    config = EndpointConfig.from_dict({
        "type": "bot.tracker_store.RedactingSQLTrackerStore",
        "dialect": "sqlite", "db": "var/conversations.sqlite", "redact_logs": False,
    })
    store = create_tracker_store(config, domain)
    assert isinstance(store, RedactingSQLTrackerStore)
    assert (tmp_path / "var" / "conversations.sqlite").exists()


def test_store_installs_the_log_filter_on_root_handlers(tmp_path, domain, monkeypatch):
    import io
    import logging

    from bot.logging_filter import RedactingFilter
    from bot.tracker_store import RedactingSQLTrackerStore

    handler = logging.StreamHandler(io.StringIO())
    # Only this handler: pytest's own capture handlers must stay unfiltered.
    monkeypatch.setattr(logging.getLogger(), "handlers", [handler])
    RedactingSQLTrackerStore(domain=domain, db=str(tmp_path / "c.sqlite"))
    assert any(isinstance(f, RedactingFilter) for f in handler.filters)


def test_counsellor_messages_are_redacted_bot_messages_are_not(store):
    from rasa.shared.core.events import ActionExecuted, BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store, db = store
    tracker = DialogueStateTracker.from_events("c0ffee", [
        ActionExecuted("action_listen"),
        BotUttered("Bonjour Julie Martin, rappelez-moi au 06 12 34 56 78.",
                   metadata={"counsellor": True}),
        BotUttered("Appelez le CIO au 02 99 00 00 00."),
    ])
    _save(store, tracker)
    raw = db.read_bytes()
    assert b"Julie" not in raw and b"06 12 34 56 78" not in raw
    assert b"<TELEPHONE>" in raw and b"02 99 00 00 00" in raw


def test_what_a_bot_response_quotes_is_redacted_the_rest_kept(store):
    from rasa.shared.core.events import ActionExecuted, BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store, db = store
    tracker = DialogueStateTracker.from_events("c0ffee", [
        ActionExecuted("action_listen"),
        BotUttered("Le métier « Julie Martin 06 12 34 56 78 » fait partie de la famille ROME "
                   "J1506. Appelez le CIO au 02 99 00 00 00 ou dites « parler à un conseiller »."),
    ])
    _save(store, tracker)
    raw = db.read_bytes().decode("utf-8", "replace")
    assert "Julie" not in raw and "06 12 34 56 78" not in raw
    assert "02 99 00 00 00" in raw and "J1506" in raw
    # Events are stored as JSON, where « » and accents are \u-escaped.
    assert json.dumps("« parler à un conseiller »")[1:-1] in raw
