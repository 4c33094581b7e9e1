"""The review's message index, annotations, re-redaction and export, on the real
redacting tracker store (SQLite and PostgreSQL): what the triage reads, that it goes
with the conversation, that a masked datum leaves the raw file, and that an export
is Rasa NLU data with the right entities, deduplicated and split."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid

import pytest
import sqlalchemy as sa

from bot.review import annotating, export, reading, redaction, store as review_store
from tests.support.sqlite_store import sqlite_store  # noqa: F401
from tests.tracker_store.test_redacting_store import _conversation, domain, open_store, store  # noqa: F401

ESCAPED = "gwenola kerbrat"  # an invented person, in lower case: the redactor misses it



def said(text, intent, confidence):
    from rasa.shared.core.events import UserUttered

    return UserUttered(text, intent={"name": intent, "confidence": confidence},
                       parse_data={"text": text, "intent": {"name": intent, "confidence": confidence},
                                   "entities": []}, input_channel="rest")


def index_rows(store):
    with store.engine.connect() as connection:
        return {row.event_id: dict(row._mapping) for row in connection.execute(sa.select(review_store.messages)
                                                                                .order_by(review_store.messages.c.event_id))}


def save(store, tracker):
    asyncio.run(store.save(tracker))


def test_typed_messages_are_indexed_once_with_the_correction_that_followed(store):
    from rasa.shared.core.events import ActionExecuted

    store, _ = store
    tracker = _conversation("triage")
    save(store, tracker)
    for event in (said("euh je sais pas trop", "nlu_fallback", 0.31), ActionExecuted("action_listen"),
                  said("/wrong_need", "wrong_need", 1.0), said("EXTERNAL: counsellor_message", "counsellor_message", 1.0)):
        tracker.update(event)
    save(store, tracker)
    save(store, tracker)  # Rasa may save the same tracker twice: nothing added
    rows = list(index_rows(store).values())
    assert [(r["intent"], r["confidence"], r["corrected"]) for r in rows] == [
        ("inform", 0.9, False), ("nlu_fallback", 0.31, True)]  # buttons and console triggers are not typed
    # A correction in a later save marks the message saved before it.
    tracker.update(said("formation en alternance", "alternance", 0.72))
    save(store, tracker)
    tracker.update(said("c'est pas ma question", "wrong_need", 0.88))
    save(store, tracker)
    rows = list(index_rows(store).values())
    assert [(r["intent"], r["corrected"]) for r in rows][-2:] == [("alternance", True), ("wrong_need", False)]
    with store.engine.connect() as connection:
        counts, page = reading.triage_page(connection, "a_traiter", reading.Thresholds(0.6, 0.95))
        assert counts == {"a_traiter": 1, "a_verifier": 3, "sur": 0}
        assert [row["text"] for row in page] == ["euh je sais pas trop"]
        _, page = reading.triage_page(connection, "a_verifier", reading.Thresholds(0.6, 0.95))
        # corrected first, then the least confident
        assert [row["intent"] for row in page] == ["alternance", "wrong_need", "inform"]
        counts, page = reading.triage_page(connection, "a_verifier", reading.Thresholds(0.8, 0.89))
        assert counts == {"a_traiter": 2, "a_verifier": 1, "sur": 1} and [r["intent"] for r in page] == ["wrong_need"]


def test_the_review_rows_go_with_the_conversation(store):
    from rasa.shared.core.events import ActionExecuted, Restarted, UserUttered

    from bot.retention import purge

    store, _ = store
    tracker = _conversation("a-effacer")
    save(store, tracker)
    [event_id] = index_rows(store)
    with store.engine.begin() as connection:
        annotating.annotate_message(connection, event_id, intent="formation", entities=[], login="robin")
        annotating.review_conversation(connection, "a-effacer", chosen_tags=["hors_sujet"], comment="vu", login="robin")
    tracker.update(UserUttered("/delete_conversation", intent={"name": "delete_conversation", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_delete_conversation"))
    tracker.update(Restarted())
    save(store, tracker)
    with store.engine.connect() as connection:
        assert index_rows(store) == {}
        assert annotating.conversation_review(connection, "a-effacer")["tags"] == ""
    save(store, _conversation("ancienne"))
    assert index_rows(store)
    with store.engine.begin() as connection:
        purge(connection, days=0, now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))
    assert index_rows(store) == {}
    with store.engine.connect() as connection:
        assert len(review_store.tag_choices(connection)) == len(review_store.DEFAULT_TAGS)  # tags are kept


def test_a_passage_masked_by_a_reviewer_leaves_every_event_and_the_raw_file(store):
    from rasa.shared.core.events import BotUttered, SlotSet

    store, stored = store
    tracker = _conversation("fuite")
    for event in (said(f"ma fille {ESCAPED} cherche un BTS", "formation", 0.8),
                  SlotSet("contact_note", f"rappeler pour {ESCAPED}"), BotUttered(f"Bien noté pour {ESCAPED}."),
                  said("je reviens vers vous demain matin", "goodbye", 0.7)):
        tracker.update(event)
    save(store, tracker)
    assert ESCAPED.encode() in stored.read_bytes()  # the redactor missed it: that is the case
    leaked, other = list(index_rows(store))[-2:]
    with store.engine.begin() as connection:
        assert redaction.redact_again(connection, "autre-conversation", leaked, ESCAPED) is None
        assert redaction.redact_again(connection, "fuite", leaked, ESCAPED) == 3
    redaction.flush_sqlite(store.engine)
    store.engine.dispose()
    raw = stored.read_bytes()
    assert ESCAPED.encode() not in raw
    assert b"cherche un BTS" in raw and b"demain matin" in raw  # the rest is kept
    with store.engine.connect() as connection:
        turns, _ = reading.transcript(connection, "fuite")
    assert f"ma fille {redaction.PLACEHOLDER} cherche" in next(t.text for t in turns if t.event_id == leaked)
    # No passage given: the whole message goes, and what the NLU extracted from it.
    with store.engine.begin() as connection:
        assert redaction.redact_again(connection, "fuite", other) == 1
    redaction.flush_sqlite(store.engine)
    store.engine.dispose()
    assert b"demain matin" not in stored.read_bytes()
    assert index_rows(store)[other]["redacted_again_at"] is not None


def test_an_export_is_rasa_nlu_data_deduplicated_and_split_by_conversation(store, tmp_path):
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    store, _ = store
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    (nlu / "needs.yml").write_text('version: "3.1"\nnlu:\n- intent: vae\n  examples: |\n'
                                   '    - faire valider mon [expérience](metier)\n    - Une VAE  SVP\n'
                                   '- intent: inform\n  examples: |\n    - je suis [salariée]{"entity": "public", '
                                   '"value": "salarie"}\n', encoding="utf-8")
    vocabulary = annotating.vocabulary(nlu)
    assert vocabulary.intents == ("inform", "vae") and vocabulary.entities == ("metier", "public")
    texts = {"je suis caissière et je veux une VAE": "vae", "une vae svp": "vae", "je suis aide-soignante": "inform",
             "qsdf": "out_of_scope"}
    for number, (text, intent) in enumerate(texts.items()):
        sender = f"export-{number}-{uuid.uuid4().hex[:6]}"
        tracker = _conversation(sender)
        tracker.update(said(text, "nlu_fallback", 0.2))
        save(store, tracker)
        event_id = max(e for e, row in index_rows(store).items() if row["sender_id"] == sender)
        entities, errors = annotating.parse_entities("public : caissière => salarie" if "caissière" in text else "",
                                                     text, vocabulary.entities)
        assert errors == []
        with store.engine.begin() as connection:
            annotating.annotate_message(connection, event_id, intent=intent, entities=entities, login="robin")
    with store.engine.begin() as connection:
        result = export.export(connection, vocabulary, held_out_share=0.0)
    assert result.counts == {"train": 2, "held_out": 0, "duplicates": 1, "skipped": 1}  # out_of_scope: not trained
    examples = RasaYAMLReader().reads(export.to_yaml(result.train, "essai")).training_examples
    by_text = {example.get("text"): example for example in examples}
    assert {example.get("intent") for example in examples} == {"vae", "inform"}
    [entity] = by_text["je suis caissière et je veux une VAE"].get("entities")
    assert (entity["entity"], entity["value"], entity["start"], entity["end"]) == ("public", "salarie", 8, 17)
    with store.engine.begin() as connection:
        assert export.export(connection, vocabulary).counts == {"train": 0, "held_out": 0, "duplicates": 0,
                                                                "skipped": 0}  # each message once
    share = sum(export.in_held_out(f"conversation-{n}", 0.2) for n in range(2000)) / 2000
    assert 0.17 < share < 0.23


def test_entity_lines_are_checked_against_the_message_and_the_domain():
    known = ("age", "public")
    ok, errors = annotating.parse_entities("public : caissière => salarie\n\nage : 41 ans => 41", "caissière, 41 ans",
                                           known)
    assert errors == [] and [e["value"] for e in ok] == ["salarie", "41"]
    _, errors = annotating.parse_entities("ville : Brest\npublic : Caissière\nn'importe quoi", "caissière", known)
    assert len(errors) == 3 and "n'existe pas" in errors[0] and "pas dans le message" in errors[1]
    assert annotating.entities_as_lines(json.dumps(ok)) == "public : caissière => salarie\nage : 41 ans => 41"


def test_the_export_command_writes_both_files_and_audits(sqlite_store, tmp_path, monkeypatch, capsys):
    from bot.handoff import accounts
    from bot.review.__main__ import main

    store, _ = sqlite_store
    tracker = _conversation("commande")
    tracker.update(said("je voudrais devenir boulangère à 40 ans", "nlu_fallback", 0.3))
    save(store, tracker)
    with store.engine.begin() as connection:
        annotating.annotate_message(connection, max(index_rows(store)), intent="reconversion", entities=[],
                                    login="robin")
    staff = f"sqlite:///{tmp_path / 'staff.sqlite'}"
    monkeypatch.setenv("SPRO_STAFF_DATABASE_URL", staff)
    url = str(store.engine.url)
    assert main(["--database-url", url, "export", "--part-mise-de-cote", "1.5"]) == 2
    assert "entre 0 et 1" in capsys.readouterr().err
    assert main(["--database-url", url, "export", "--out", str(tmp_path / "export")]) == 0
    held_out = export.in_held_out("commande", 0.2)
    assert f"{0 if held_out else 1} exemple(s) pour l'entraînement" in capsys.readouterr().out
    assert (tmp_path / "export" / f"revue_1_{'mise_de_cote' if held_out else 'entrainement'}.yml").read_text(
        "utf-8").count("- je voudrais devenir boulangère à 40 ans") == 1
    written = "".join(path.read_text("utf-8") for path in sorted((tmp_path / "export").glob("revue_1_*.yml")))
    assert "- intent: reconversion\n  examples: |\n    - je voudrais devenir boulangère à 40 ans" in written
    factory = accounts.make_session_factory(staff)
    with factory() as session:
        assert session.scalars(sa.select(accounts.AuditEntry.target)
                               .where(accounts.AuditEntry.action == "review.export")).all() == ["export:1"]
    factory.kw["bind"].dispose()


def test_a_failing_review_index_never_loses_the_turn_and_catches_up(store, caplog):
    store, _ = store
    with store.engine.begin() as connection:
        review_store.messages.drop(connection)
    tracker = _conversation("rattrapage")
    tracker.update(said("je veux reprendre mes etudes", "formation", 0.7))
    save(store, tracker)  # no exception: the events are stored
    assert "Review rows not updated" in caplog.text
    with store.engine.connect() as connection:
        turns, _ = reading.transcript(connection, "rattrapage")
        assert [t.text for t in turns if t.speaker == "person"][-1] == "je veux reprendre mes etudes"
    review_store.create(store.engine)
    tracker = asyncio.run(store.retrieve("rattrapage"))  # as Rasa does at each turn
    tracker.update(said("en alternance si possible", "alternance", 0.8))
    save(store, tracker)
    assert [row["intent"] for row in index_rows(store).values()] == ["inform", "formation", "alternance"]
