"""The directory on PostgreSQL: same migration, same import, same referral as on SQLite.

Needs a server: SPRO_TEST_POSTGRES_URL (set by .ci/run through scripts/ci-postgres)."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select, text

from directory.db import make_engine, make_session_factory
from directory.importing import run_import
from directory.migrations import upgrade
from directory.models import Commune, CommuneIndex, ReferralRule, RemoteService, Structure
from directory.referral import refer

POSTGRES_URL = os.environ.get("SPRO_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="SPRO_TEST_POSTGRES_URL not set (no PostgreSQL server)")


@pytest.fixture()
def postgres_engine():
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:  # a clean schema for this test
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    yield engine
    engine.dispose()


def test_import_and_reimport_on_postgresql_match_sqlite(postgres_engine, shared_data_dir, directory_session_factory):
    upgrade(postgres_engine)
    factory = make_session_factory(postgres_engine)
    run_import(factory, shared_data_dir)
    with factory() as pg:
        before = {model: pg.scalar(select(func.count()).select_from(model))
                  for model in (Commune, Structure, RemoteService, ReferralRule)}
    second = run_import(factory, shared_data_dir)
    # Idempotent on PostgreSQL too: nothing imported, updated or deleted the second time.
    assert second.imported == 0 and second.updated == 0 and second.deleted == 0
    assert second.unchanged > 0 and second.to_dict()
    with factory() as pg:
        assert {model: pg.scalar(select(func.count()).select_from(model)) for model in before} == before
        assert pg.scalar(select(func.count()).select_from(CommuneIndex)) == 1

    with factory() as pg, directory_session_factory() as lite:
        for model in (Commune, Structure):
            count = select(func.count()).select_from(model)
            assert pg.scalar(count) == lite.scalar(count)
        chartres = pg.get(Commune, "28085")
        from directory.communes import CommuneInfo

        on_pg = refer(pg, need="recherche_emploi", public="demandeur_emploi", commune=CommuneInfo.from_row(chartres))
        on_lite = refer(lite, need="recherche_emploi", public="demandeur_emploi",
                        commune=CommuneInfo.from_row(lite.get(Commune, "28085")))
    assert on_pg.to_payload() == on_lite.to_payload()
