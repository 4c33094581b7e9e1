"""Retention against a real SQLite file: conversations started long ago are counted
into daily_indicators, then deleted (and overwritten in the file), even when still
active; recent ones stay. A large purge commits batch by batch."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.support.sqlite_files import all_bytes
import sqlalchemy as sa

from bot import retention
from bot.__main__ import main
from bot.conversations_db import database_url, make_engine

NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.timezone.utc)
REFERRAL = {"custom": {"type": "referral", "need": "formation", "public": "demandeur_emploi",
                       "commune": "Lucé", "structures": [
                           {"id": "1", "name": "Mission locale", "network": "mission_locale"},
                           {"id": "2", "name": "France Travail", "network": "france_travail"}],
                       "remote": []}}


def _at(days_ago: float) -> float:
    return (NOW - dt.timedelta(days=days_ago)).timestamp()


def _conversation(sender, start_days_ago, last_days_ago, *, text="je cherche une formation"):
    """Event rows as RedactingSQLTrackerStore writes them."""
    rows = [
        ("action", None, "action_session_start", {"event": "action", "name": "action_session_start"}),
        ("user", "formation", None, {"event": "user", "text": text,
                                     "parse_data": {"intent": {"name": "formation"}}}),
        ("slot", None, None, {"event": "slot", "name": "need", "value": "formation"}),
        ("slot", None, None, {"event": "slot", "name": "public", "value": "demandeur_emploi"}),
        ("action", None, "action_offer_likely_needs", {"event": "action"}),
        ("user", "ask_human", None, {"event": "user", "text": "un humain"}),
        ("action", None, "utter_human_contact", {"event": "action"}),
        ("bot", None, None, {"event": "bot", "text": None, "data": REFERRAL}),
        ("user", "feedback", None, {"event": "user", "text": "super merci"}),
    ]
    step = (start_days_ago - last_days_ago) / (len(rows) - 1)
    return [
        dict(sender_id=sender, type_name=kind, intent_name=intent, action_name=action,
             timestamp=_at(start_days_ago - index * step), data=json.dumps(data))
        for index, (kind, intent, action, data) in enumerate(rows)
    ]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "var" / "conversations.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        retention.events.create(connection)  # normally created by Rasa's store
        for sender, start, last in [("old-1", 200.2, 200.1), ("old-2", 200.3, 199.9),
                                    ("recent", 10, 9), ("long", 200, 5)]:
            text = f"message de {sender} formation"
            connection.execute(sa.insert(retention.events), _conversation(sender, start, last, text=text))
    yield engine, path
    engine.dispose()


def _senders(engine):
    with engine.connect() as connection:
        return sorted(connection.execute(sa.select(retention.events.c.sender_id).distinct()).scalars())


def test_purge_aggregates_then_deletes_old_conversations(db):
    engine, path = db
    with engine.begin() as connection:
        report = retention.purge(connection, days=180, now=NOW)
    # "long" started 200 days ago and spoke 5 days ago: it goes by its start.
    assert (report.conversations, report.days) == (3, 1)
    assert report.events == 3 * len(_conversation("x", 1, 0))
    assert _senders(engine) == ["recent"]
    with engine.connect() as connection:
        (row,) = retention.read_indicators(connection)
    assert row["date"] == (NOW - dt.timedelta(days=200)).date()
    assert row["conversations"] == 3
    assert row["needs"] == {"formation": 3}
    assert row["publics"] == {"demandeur_emploi": 3}
    assert row["networks"] == {"mission_locale": 3, "france_travail": 3}
    assert (row["fallbacks"], row["handoffs"]) == (3, 3)
    assert row["satisfaction"] == {"feedback": 3}
    engine.dispose()
    raw = all_bytes(path)
    for sender in ("old-1", "old-2", "long"):
        assert f"message de {sender}".encode() not in raw
    assert b"message de recent" in raw


def test_a_limited_purge_takes_the_oldest_first(db):
    engine, _ = db
    with engine.begin() as connection:
        report = retention.purge(connection, days=180, now=NOW, limit=2)
    assert report.conversations == 2 and _senders(engine) == ["long", "recent"]
    with engine.connect() as connection, pytest.raises(ValueError):
        retention.purge(connection, now=NOW, limit=0)


def test_the_cli_commits_each_batch(db, monkeypatch):
    """An interrupted purge keeps what it did: each batch is its own transaction."""
    from bot import __main__ as cli

    engine, _ = db
    calls = []
    real_purge = retention.purge

    def purge_then_fail(connection, **kwargs):
        calls.append(kwargs["limit"])
        if len(calls) == 2:
            raise RuntimeError("interrompue")
        return real_purge(connection, **kwargs)

    monkeypatch.setattr(retention, "purge", purge_then_fail)
    with pytest.raises(RuntimeError):
        cli.purge_in_batches(engine, days=0, batch=1)
    assert calls == [1, 1]
    assert len(_senders(engine)) == 3  # the first batch stayed deleted
    monkeypatch.setattr(retention, "purge", real_purge)
    conversations, _, days, _ = cli.purge_in_batches(engine, days=0, batch=1)
    assert conversations == 3 and _senders(engine) == []
    with engine.connect() as connection:
        assert sum(row["conversations"] for row in retention.read_indicators(connection)) == 4


def test_a_later_purge_adds_to_the_same_day(db):
    engine, _ = db
    with engine.begin() as connection:
        retention.purge(connection, days=180, now=NOW)
    later = NOW + dt.timedelta(days=200)
    with engine.begin() as connection:
        report = retention.purge(connection, days=180, now=later)
    assert report.conversations == 1 and _senders(engine) == []
    with engine.connect() as connection:
        rows = {row["date"]: row for row in retention.read_indicators(connection)}
    started_200 = (NOW - dt.timedelta(days=200)).date()
    assert rows[started_200]["conversations"] == 3  # old-1, old-2, "long"
    assert rows[(NOW - dt.timedelta(days=10)).date()]["conversations"] == 1


def test_nothing_old_nothing_deleted(db):
    engine, _ = db
    with engine.begin() as connection:
        report = retention.purge(connection, days=365, now=NOW)
    assert report.conversations == 0 and len(_senders(engine)) == 4


def test_purge_without_any_conversation_table(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    with engine.begin() as connection:
        assert retention.purge(connection, now=NOW).conversations == 0
    engine.dispose()


def test_cli_purge(db, capsys):
    engine, path = db
    engine.dispose()
    assert main(["--database-url", f"sqlite:///{path}", "purge", "--days", "100000"]) == 0
    assert "0 conversation(s) supprimée(s)" in capsys.readouterr().out
    assert main(["--database-url", f"sqlite:///{path}", "purge", "--days", "0"]) == 0
    assert "4 conversation(s)" in capsys.readouterr().out
    assert main(["--database-url", f"sqlite:///{path}", "indicators"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert sum(json.loads(line)["conversations"] for line in lines) == 4
    assert main(["--database-url", f"sqlite:///{path}", "purge", "--days", "-1"]) == 2


def test_database_url_resolution(tmp_path, monkeypatch):
    monkeypatch.delenv("CONVERSATIONS_DATABASE_URL", raising=False)
    endpoints = tmp_path / "endpoints.yml"
    assert database_url(None, endpoints) == "sqlite:///var/conversations.sqlite"
    endpoints.write_text("tracker_store:\n  type: bot.tracker_store.RedactingSQLTrackerStore\n"
                         "  dialect: sqlite\n  db: var/other.sqlite\n", encoding="utf-8")
    assert database_url(None, endpoints) == "sqlite:///var/other.sqlite"
    monkeypatch.setenv("PGPASS", "s3cret")
    endpoints.write_text("tracker_store:\n  type: bot.tracker_store.RedactingSQLTrackerStore\n"
                         "  dialect: postgresql\n  url: db.local\n  port: 5432\n  db: spro\n"
                         "  username: spro\n  password: ${PGPASS}\n", encoding="utf-8")
    url = sa.engine.make_url(database_url(None, endpoints))
    assert (url.drivername, url.host, url.port, url.database, url.password) == (
        "postgresql", "db.local", 5432, "spro", "s3cret")
    monkeypatch.setenv("CONVERSATIONS_DATABASE_URL", "sqlite:///x.sqlite")
    assert database_url(None, endpoints) == "sqlite:///x.sqlite"
    assert database_url("sqlite:///y.sqlite", endpoints) == "sqlite:///y.sqlite"
