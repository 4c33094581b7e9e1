"""Satisfaction answers on a real SQLite file: stored with the indicators, counted
per day (count, mean) by the purge, which deletes the old comments."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bot import retention, satisfaction
from bot.__main__ import main
from bot.conversations_db import make_engine

NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.timezone.utc)
OLD_DAY = (NOW - dt.timedelta(days=200)).date()
RECENT_DAY = (NOW - dt.timedelta(days=3)).date()


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'conversations.sqlite'}")
    yield engine
    engine.dispose()


def _answers(engine):
    with engine.connect() as connection:
        return connection.execute(
            sa.select(satisfaction.satisfaction.c.date, satisfaction.satisfaction.c.rating,
                      satisfaction.satisfaction.c.comment)
            .order_by(satisfaction.satisfaction.c.id)).all()


def test_record_keeps_day_rating_comment_and_need(engine):
    with engine.begin() as connection:
        satisfaction.record(connection, rating=4, comment="  très clair  ", need="vae",
                            today=RECENT_DAY)
        satisfaction.record(connection, rating=2, comment="", today=RECENT_DAY)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(satisfaction.satisfaction)).all()
    assert [(r.date, r.rating, r.comment, r.need) for r in rows] == [
        (RECENT_DAY, 4, "très clair", "vae"), (RECENT_DAY, 2, None, None)]


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_only_ratings_1_to_5(engine, rating):
    with engine.begin() as connection, pytest.raises(ValueError):
        satisfaction.record(connection, rating=rating)


def test_purge_folds_old_answers_into_the_daily_indicators_and_deletes_comments(engine):
    with engine.begin() as connection:
        for rating, comment in [(5, "super"), (4, "bien"), (2, None)]:
            satisfaction.record(connection, rating=rating, comment=comment, today=OLD_DAY)
        satisfaction.record(connection, rating=3, comment="récent", today=RECENT_DAY)

    with engine.begin() as connection:
        report = retention.purge(connection, days=180, now=NOW)  # no events table yet
    assert report.days == 1
    assert _answers(engine) == [(RECENT_DAY, 3, "récent")]
    with engine.connect() as connection:
        (row,) = retention.read_indicators(connection)
    assert row["date"] == OLD_DAY
    assert row["satisfaction"] == {"rating_5": 1, "rating_4": 1, "rating_2": 1}
    assert (row["satisfaction_count"], row["satisfaction_mean"]) == (3, 3.67)


def test_a_second_purge_adds_to_the_same_day(engine):
    for rating in (5, 1):
        with engine.begin() as connection:
            satisfaction.record(connection, rating=rating, today=OLD_DAY)
        with engine.begin() as connection:
            retention.purge(connection, days=180, now=NOW)
    with engine.connect() as connection:
        (row,) = retention.read_indicators(connection)
    assert (row["satisfaction_count"], row["satisfaction_mean"]) == (2, 3.0)
    assert _answers(engine) == []


def test_summary_without_ratings():
    assert satisfaction.summary({"feedback": 2}) == {"satisfaction_count": 0,
                                                     "satisfaction_mean": None}


def test_live_counts_per_day(engine):
    with engine.begin() as connection:
        satisfaction.record(connection, rating=4, today=RECENT_DAY)
        satisfaction.record(connection, rating=4, today=RECENT_DAY)
    with engine.connect() as connection:
        assert satisfaction.live_counts(connection) == {RECENT_DAY: {"rating_4": 2}}


def test_indicators_command_prints_count_and_mean(engine, capsys):
    with engine.begin() as connection:
        satisfaction.record(connection, rating=5, today=OLD_DAY)
        retention.purge(connection, days=180, now=NOW)
    assert main(["--database-url", str(engine.url), "indicators"]) == 0
    out = capsys.readouterr().out
    assert '"satisfaction_count": 1' in out and '"satisfaction_mean": 5.0' in out


def test_ratings_and_conversations_of_the_same_day_share_one_row(engine):
    started = dt.datetime.combine(OLD_DAY, dt.time(10), dt.timezone.utc).timestamp()
    with engine.begin() as connection:
        retention.events.create(connection)  # normally created by Rasa's store
        connection.execute(sa.insert(retention.events), [
            dict(sender_id="old", type_name="user", intent_name="feedback", timestamp=started,
                 data='{"event": "user", "text": "je veux donner mon avis"}')])
        satisfaction.record(connection, rating=4, comment="bien", today=OLD_DAY)
        retention.purge(connection, days=180, now=NOW)
    with engine.connect() as connection:
        (row,) = retention.read_indicators(connection)
    assert row["conversations"] == 1
    assert row["satisfaction"] == {"feedback": 1, "rating_4": 1}
    assert row["satisfaction_count"] == 1
