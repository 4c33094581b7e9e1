"""The indicators' fact of each conversation, kept by the real redacting tracker
store (SQLite and PostgreSQL): what each dimension counts (hand-checked), that
saving or purging again counts nothing twice, that the figures are the same before
and after the purge, that an erased conversation is not counted, and the command
line's CSV with its small counts hidden."""
from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import uuid

import pytest
import sqlalchemy as sa

from bot.indicators import counting, facts
from tests.support.facts import fact
from tests.support.sqlite_store import sqlite_store  # noqa: F401
from tests.tracker_store.test_redacting_store import _conversation, domain, open_store, store  # noqa: F401



def said(text, intent, confidence=0.9):
    from rasa.shared.core.events import UserUttered

    return UserUttered(text, intent={"name": intent, "confidence": confidence},
                       parse_data={"text": text, "intent": {"name": intent, "confidence": confidence},
                                   "entities": []}, input_channel="rest")


def referred(sender, need="vae", public="salarie", age=41, networks=("conseil_vae", "transitions_pro")):
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet

    tracker = _conversation(sender)  # commune_insee 35238: département 35
    for event in (said("je veux une vae", "vae"), SlotSet("need", need), SlotSet("public", public), SlotSet("age", age),
                  SlotSet("handicap", True), BotUttered(data={"custom": {"type": "referral", "structures": [
                      {"id": str(i), "network": n} for i, n in enumerate(networks)]}}),
                  said("merci", "thanks"), SlotSet("rating", "4"), SlotSet("satisfaction_comment", "très clair"),
                  ActionExecuted("action_listen")):
        tracker.update(event)
    return tracker


def unreferred(sender, last):
    from rasa.shared.core.events import SlotSet

    tracker = _conversation(sender)
    tracker.update(SlotSet("need", None))
    for text, intent in last:
        tracker.update(said(text, intent))
    return tracker


def all_facts(store):
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(sa.select(facts.facts))]


def save(store, tracker):
    asyncio.run(store.save(tracker))


def counted(store, *by):
    with store.engine.connect() as connection:
        return counting.count(connection, None, None, list(by))


def test_each_dimension_counts_what_it_says(store):
    store, _ = store
    save(store, referred("v1"))
    save(store, unreferred("d1", [("je veux mourir", "distress")]))
    save(store, unreferred("o1", [("quelle heure est il", "out_of_scope")]))
    save(store, unreferred("r1", [("je prefere ne pas dire", "decline_to_say")]))
    save(store, unreferred("a1", [("bonjour", "greet")]))
    [fact] = [f for f in all_facts(store) if f["fact_key"] == facts.fact_key("v1")]
    assert (fact["need"], fact["public"], fact["age_band"], fact["handicap"], fact["department_code"]) == (
        "vae", "salarie", "26_44", True, "35")
    assert (fact["first_network"], fact["networks"], fact["no_referral_reason"]) == (
        "conseil_vae", ",conseil_vae,transitions_pro,", None)
    assert (fact["rating"], fact["commented"], fact["channel"], fact["distress"]) == (4, True, "rest", False)
    assert counted(store, "sans_orientation") == {("non précisé",): 1, ("detresse",): 1, ("hors_sujet",): 1,
                                                  ("refus",): 1, ("abandon",): 1}
    assert counted(store) == {(): 5}
    day = dt.datetime.now(dt.timezone.utc).date()
    assert counted(store, "mois") == {(day.strftime("%Y-%m"),): 5}
    # No text, no commune, no conversation id in a fact.
    for row in all_facts(store):
        assert not {str(v) for v in row.values()} & {"v1", "Rennes", "35238", "je veux une vae"}


def test_saving_and_purging_again_count_nothing_twice_and_the_purge_keeps_the_figures(store):
    from bot.retention import purge

    store, _ = store
    trackers = [referred(f"p{n}") for n in range(3)] + [unreferred("p-x", [("bonjour", "greet")])]
    for tracker in trackers:
        save(store, tracker)
        save(store, tracker)  # Rasa may save the same tracker twice
    before = counted(store, "besoin", "departement")
    assert sum(before.values()) == 4
    # A conversation stored before facts existed: the purge counts it, once.
    with store.engine.begin() as connection:
        connection.execute(sa.delete(facts.facts).where(facts.facts.c.fact_key == facts.fact_key("p0")))
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    with store.engine.begin() as connection:
        assert purge(connection, days=0, now=later).conversations == 4
    with store.engine.begin() as connection:
        assert purge(connection, days=0, now=later).conversations == 0
    assert counted(store, "besoin", "departement") == before


def test_an_erased_conversation_is_not_counted(store):
    from rasa.shared.core.events import ActionExecuted, Restarted, UserUttered

    store, _ = store
    tracker = referred("efface")
    save(store, tracker)
    assert counted(store) == {(): 1}
    tracker.update(UserUttered("/delete_conversation", intent={"name": "delete_conversation", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_delete_conversation"))
    tracker.update(Restarted())
    save(store, tracker)
    # Only what follows the erasure may be counted: no VAE, no département, no referral.
    assert counted(store, "besoin", "departement", "reseau") in ({}, {("non précisé",) * 3: 1})


def test_the_command_writes_csv_with_small_counts_hidden(sqlite_store, capsys):
    from bot.__main__ import main

    store, _ = sqlite_store
    for n in range(7):
        save(store, referred(f"c{n}-{uuid.uuid4().hex[:4]}", need="vae"))
    for n in range(2):
        save(store, referred(f"f{n}-{uuid.uuid4().hex[:4]}", need="formation"))
    url = str(store.engine.url)
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert main(["--database-url", url, "indicators", "--from", today, "--to", today, "--by", "need",
                 "--csv", "--sep", ";"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert rows[0] == ["Besoin", "Conversations"]
    figures = {row[0]: row[1] for row in rows[1:]}
    # formation (2) is hidden, so vae (7) is too: the total (9) would give it away.
    assert figures == {"formation": "< 5", "vae": "secret", "Total": "9"}
    assert main(["--database-url", url, "indicators", "--by", "besoin,inconnue"]) == 2
    assert "dimension inconnue : inconnue" in capsys.readouterr().err
    assert main(["--database-url", url, "indicators", "--from", "2026-12-31", "--to", "2026-01-01"]) == 2


def test_the_wait_for_a_counsellor_and_a_wait_nobody_took():
    """From the slot's changes and their times: waiting → held is a wait served
    (seconds), waiting → closed by the reminder a timeout; closed outside opening
    hours is neither."""
    from rasa.shared.core.events import SlotSet

    from bot.review import summaries

    def fact_after(*changes):
        tracker = _conversation(f"attente-{uuid.uuid4().hex[:6]}")
        tracker.update(said("je veux parler a quelqu'un", "ask_human"))
        for value, at in changes:
            tracker.update(SlotSet("handoff_status", value, timestamp=at))
        events = list(tracker.events)
        return facts.fact_of(summaries.summarize(tracker.sender_id, events), events)

    served = fact_after(("waiting", 1000.0), ("held", 1185.4), ("closed", 2000.0))
    assert (served["handoff_served"], served["handoff_wait_seconds"], served["handoff_timed_out"]) == (True, 185, False)
    nobody = fact_after(("waiting", 1000.0), ("closed", 1900.0))
    assert (nobody["handoff_served"], nobody["handoff_wait_seconds"], nobody["handoff_timed_out"]) == (False, None, True)
    closed = fact_after(("closed", 1000.0))
    assert (closed["handoff_asked"], closed["handoff_wait_seconds"], closed["handoff_timed_out"]) == (True, None, False)


def test_an_older_facts_table_gets_the_new_columns(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    old = sa.MetaData()
    sa.Table(facts.facts.name, old, *[sa.Column(c.name, c.type, primary_key=c.primary_key)
                                      for c in facts.facts.columns if c.name not in facts.ADDED_COLUMNS])
    old.create_all(engine)
    with engine.begin() as connection:  # as the purge does, inside its transaction
        facts.create(connection)
    facts.create(engine)  # again: nothing more to add
    # Two processes starting together: the second finds the column already added.
    with engine.begin() as connection:
        facts._add_columns(connection, list(facts.ADDED_COLUMNS.items()))
        connection.execute(sa.insert(facts.facts).values(fact(dt.date(2026, 1, 2))))
    assert set(facts.ADDED_COLUMNS) <= {c["name"] for c in sa.inspect(engine).get_columns(facts.facts.name)}
    engine.dispose()


def test_the_kinds_of_remote_services_given_come_from_the_last_referral():
    from rasa.shared.core.events import BotUttered

    from bot.review import summaries

    tracker = _conversation(f"distance-{uuid.uuid4().hex[:6]}")
    for remote in ([{"name": "Plateforme régionale", "kind": "phone", "contact": "0 800 000 000"}],
                   [{"name": "Plateforme régionale", "kind": "phone"}, {"name": "Tchat", "kind": "tchat"},
                    {"name": "Encore", "kind": "phone"}, {"name": "Bizarre", "kind": "<b>"}]):
        tracker.update(BotUttered(data={"custom": {"type": "referral", "structures": [{"network": "cio"}],
                                                   "remote": remote}}))
    events = list(tracker.events)
    assert facts.fact_of(summaries.summarize(tracker.sender_id, events), events)["remote_kinds"] == ",phone,tchat,"
