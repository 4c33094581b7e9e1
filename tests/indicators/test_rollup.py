"""The dashboard's monthly sums, on SQLite and PostgreSQL: equal to the counts of the
facts for every dimension, summed again only when a month changed (a save, the
purge, an erasure), idempotent, at most once a minute for the dashboard, and two
pages summing the same month at once leave the same rows."""
from __future__ import annotations

import datetime as dt
import random
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.indicators import counting, facts, rollup
from tests.support.facts import fact, not_referred, write

NEEDS = ["formation", "vae", "reconversion", None]
PUBLICS = ["salarie", "lyceen", "demandeur_emploi", None]
NETWORKS = ["cio", "mission_locale", "france_travail", "conseil_vae"]


@pytest.fixture
def engine(sql_url):
    """SQLite and PostgreSQL (tests/conftest.py)."""
    if sql_url.get_backend_name() == "sqlite":
        Path(sql_url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(sql_url)
    rollup.create(engine)
    yield engine
    engine.dispose()


def random_facts(rng: random.Random, count: int) -> list[dict]:
    rows = []
    for _ in range(count):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(120))
        offered = rng.sample(NETWORKS, rng.randint(0, 2))
        values = dict(need=rng.choice(NEEDS), public=rng.choice(PUBLICS), department_code=rng.choice(["29", "35", None]),
                      channel=rng.choice(["socketio", "rest"]), rating=rng.choice([None, 2, 4, 5]),
                      handoff_asked=rng.random() < .2, messages=rng.randint(1, 9), fallbacks=rng.randint(0, 2))
        if offered:
            rows.append(fact(day, networks="," + ",".join(offered) + ",", first_network=offered[0], **values))
        else:
            rows.append(not_referred(day, rng.choice(["abandon", "hors_sujet", "refus", "detresse"]), **values))
    return rows


def test_the_sums_equal_the_counts_of_the_facts_for_every_dimension(engine):
    rows = random_facts(random.Random(3), 400)
    with engine.begin() as connection:
        write(connection, rows)
        assert rollup.refresh(connection) == ["2026-01", "2026-02", "2026-03", "2026-04"]
        sums = rollup.read(connection, "2026-01", "2026-04")
        only_29 = rollup.read(connection, "2026-02", "2026-03", departments=["29"], channel="rest")
        for dimension in rollup.GROUPED:
            counted = counting.count(connection, None, None, [dimension])
            assert {(k[0],): v for (name, *k), v in sums.items() if name == dimension} == {
                (None if value == counting.UNKNOWN else value,): n for (value,), n in counted.items()}, dimension
        assert sums[(rollup.CONVERSATIONS, None)] == 400
    expected_29 = [r for r in rows if r["department_code"] == "29" and r["channel"] == "rest"
                   and "2026-02" <= r["month"] <= "2026-03"]
    assert only_29[(rollup.CONVERSATIONS, None)] == len(expected_29)
    assert only_29[(rollup.MEASURE, "messages")] == sum(r["messages"] for r in expected_29)
    assert sums[(rollup.MEASURE, "orientees")] == sum(1 for r in rows if r["networks"])
    assert sums[(rollup.MEASURE, "somme_notes")] == sum(r["rating"] or 0 for r in rows)
    for network in NETWORKS:
        assert sums[(rollup.NETWORK_ANY, network)] == sum(1 for r in rows if f",{network}," in r["networks"])
    assert sums[(rollup.REMOTE_ANY, "phone")] == sums[(rollup.REMOTE_ANY, "web")] == 400  # tests/support/facts.py


def test_only_a_changed_month_is_summed_again_and_summing_again_changes_nothing(engine):
    with engine.begin() as connection:
        write(connection, [fact(dt.date(2026, 1, 5)), fact(dt.date(2026, 2, 5))])
        rollup.refresh(connection, now=1000.0)
        assert rollup.refresh(connection, now=1001.0) == []
        before = connection.execute(sa.select(rollup.sums).order_by(*rollup.sums.primary_key)).all()
        connection.execute(sa.insert(facts.stale_months).values(month="2026-01"))
        assert rollup.refresh(connection, now=1002.0) == ["2026-01"]
        assert connection.execute(sa.select(rollup.sums).order_by(*rollup.sums.primary_key)).all() == before
        # A new conversation in February: only February, and not before a minute
        # for the dashboard.
        late = fact(dt.date(2026, 2, 20), need="vae")
        write(connection, [late])
        assert rollup.refresh(connection, max_age=60, now=1030.0) == []
        assert rollup.read(connection, "2026-02", "2026-02")[(rollup.CONVERSATIONS, None)] == 1
        assert rollup.refresh(connection, max_age=60, now=1062.0) == ["2026-02"]
        assert rollup.read(connection, "2026-02", "2026-02")[(rollup.CONVERSATIONS, None)] == 2
        assert rollup.summed_at(connection, "2026-02") == 1062.0
        # Erased on request: its month is counted again without it.
        connection.execute(sa.delete(facts.facts).where(facts.facts.c.fact_key == late["fact_key"]))
        facts.mark_stale(connection, ["2026-02"])
        rollup.refresh(connection, now=1100.0)
        assert rollup.read(connection, "2026-02", "2026-02").get(("besoin", "vae")) is None


def test_an_erasure_marks_its_month(engine):
    with engine.begin() as connection:
        row = fact(dt.date(2026, 3, 2))
        write(connection, [row])
        rollup.refresh(connection)
        connection.execute(sa.update(facts.facts).values(fact_key=facts.fact_key("someone")))
        facts.forget(connection, ["someone"])
        assert rollup.refresh(connection) == ["2026-03"]
        assert rollup.read(connection, "2026-03", "2026-03") == {}


def test_two_pages_summing_at_once_leave_the_same_rows(engine):
    with engine.begin() as connection:
        write(connection, random_facts(random.Random(5), 200))
    errors = []

    def page():
        try:
            with engine.begin() as connection:
                facts.mark_stale(connection, ["2026-01", "2026-02"])
            with engine.begin() as connection:
                rollup.refresh(connection)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    pages = [threading.Thread(target=page) for _ in range(4)]
    for thread in pages:
        thread.start()
    for thread in pages:
        thread.join()
    assert errors == []
    with engine.begin() as connection:
        rollup.refresh(connection)
        assert rollup.read(connection, "2026-01", "2026-12")[(rollup.CONVERSATIONS, None)] == 200
