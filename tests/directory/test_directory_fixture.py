"""The shared directory fixture holds the real data (other areas' tests rely on it)."""
from sqlalchemy import func, select

from directory.models import Commune, Structure


def test_fixture_database_holds_communes_and_structures(directory_session_factory):
    with directory_session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Commune)) > 34_000
        assert session.scalar(select(func.count()).select_from(Structure)) > 4_500
