"""Fixtures shared by every test area. Nothing here does work at import time: the
directory database is built the first time a test asks for it, once per session."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def shared_data_dir():
    """The shared open-data folder ($SPRO_DATA_DIR or ../shared/data)."""
    from directory.importing import default_data_dir

    data_dir = default_data_dir()
    if not (data_dir / "communes.csv").is_file():
        pytest.fail(f"Shared data folder not found: {data_dir} (set SPRO_DATA_DIR).")
    return data_dir


@pytest.fixture(scope="session")
def _directory_database(tmp_path_factory, shared_data_dir):
    """A real SQLite file, migrated, filled by the full real import (open data,
    directory/curated, directory/rules). Read-only for tests: do not write to it."""
    from directory.db import make_engine, make_session_factory
    from directory.importing import run_import
    from directory.migrations import upgrade

    path = tmp_path_factory.mktemp("directory") / "directory.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    report = run_import(make_session_factory(engine), shared_data_dir)
    yield engine, report
    engine.dispose()


@pytest.fixture(scope="session")
def directory_engine(_directory_database):
    return _directory_database[0]


@pytest.fixture(scope="session")
def directory_session_factory(directory_engine):
    """`with directory_session_factory() as session:` (read-only use)."""
    from directory.db import make_session_factory

    return make_session_factory(directory_engine)


@pytest.fixture(scope="session")
def directory_import_report(_directory_database):
    """The ImportReport of the import that built `directory_engine`."""
    return _directory_database[1]


@pytest.fixture
def directory_db(directory_engine, monkeypatch):
    """actions.directory_access pointed at the real test directory."""
    from actions import directory_access

    monkeypatch.setenv("DIRECTORY_DATABASE_URL", str(directory_engine.url))
    directory_access.reset()
    yield directory_engine
    directory_access.reset()
