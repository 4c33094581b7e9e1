"""The indicators of conversations held through the REST channel by the real Rasa
and action servers: each conversation's fact says what happened (need, département,
channel, first network, rating), and the retention purge of a copy of the store
deletes every conversation while every figure stays the same, counted once."""
from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import pytest
import sqlalchemy as sa

from bot.indicators import counting, facts, rollup

pytestmark = pytest.mark.e2e
BY = ["besoin", "departement", "canal", "reseau", "situation", "sans_orientation", "note"]


@pytest.fixture(scope="module")
def held(live_servers):
    """Three conversations of ours: a VAE in Lucé (28), one the bot cannot read, one
    out of scope."""
    ours = {name: uuid.uuid4().hex for name in ("vae", "gibberish", "off_topic")}
    live_servers.say(ours["vae"], "je veux faire une VAE, je suis salariée, j'ai 41 ans, j'habite à Lucé")
    live_servers.say(ours["gibberish"], "qsdkjh zzpq wxcv")
    live_servers.say(ours["off_topic"], "quelle est la recette de la tarte tatin ?")
    return ours


def copy_of(path, folder):
    """A consistent copy of the live store (SQLite's backup API, the servers running)."""
    target = folder / "copy.sqlite"
    with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return f"sqlite:///{target}"


def figures(connection):
    rollup.refresh(connection)
    return ({name: counting.count(connection, None, None, [name]) for name in BY},
            counting.count(connection, None, None, ["besoin", "departement", "reseau"]),
            rollup.read(connection, "2000-01", "2100-12"))


def test_each_fact_says_what_happened_and_the_purge_keeps_every_figure(live_servers, held, tmp_path):
    engine = sa.create_engine(copy_of(live_servers.tracker_db, tmp_path))
    rollup.create(engine)  # as the console does
    with engine.begin() as connection:
        rows = {row.fact_key: row for row in connection.execute(sa.select(facts.facts))}
        vae = rows[facts.fact_key(held["vae"])]
        assert (vae.need, vae.public, vae.department_code, vae.channel) == ("vae", "salarie", "28", "rest")
        assert vae.first_network and vae.networks.startswith(f",{vae.first_network},")
        assert vae.no_referral_reason is None and vae.age_band == "26_44"
        assert vae.day == dt.datetime.now(dt.timezone.utc).date()
        for name in ("gibberish", "off_topic"):
            # The truth from Rasa's tracker API: out of scope if that was the last
            # message's intent, a conversation left otherwise.
            said = [e for e in live_servers.tracker(held[name])["events"] if e.get("event") == "user"]
            last = said[-1]["parse_data"]["intent"]["name"]
            expected = "hors_sujet" if last == "out_of_scope" else "abandon"
            assert rows[facts.fact_key(held[name])].no_referral_reason == expected, (name, last)
        before = figures(connection)
        conversations = connection.execute(sa.select(sa.func.count(sa.distinct(sa.text("sender_id"))))
                                           .select_from(sa.table("events"))).scalar()
        assert conversations >= 3 and len(rows) == conversations

    from bot.retention import purge

    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=5)
    with engine.begin() as connection:
        report = purge(connection, days=0, now=later)
    assert report.conversations == conversations
    with engine.begin() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() == 0
        assert figures(connection) == before
    with engine.begin() as connection:  # purging again counts nothing twice
        purge(connection, days=0, now=later)
        assert figures(connection) == before
    engine.dispose()
