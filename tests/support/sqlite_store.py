"""A redacting tracker store on SQLite only, for the command lines (they take a URL:
the same on PostgreSQL, proven on SQLite)."""
from __future__ import annotations

import pytest


@pytest.fixture
def sqlite_store(tmp_path, domain):
    from sqlalchemy.engine import make_url

    from tests.tracker_store.test_redacting_store import Stored, open_store

    url = make_url(f"sqlite:///{tmp_path / 'var' / 'store.sqlite'}")
    opened = open_store(url, domain)
    yield opened, Stored(opened, url)
    opened.engine.dispose()
