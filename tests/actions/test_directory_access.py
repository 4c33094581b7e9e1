"""The action server's access to the directory when the database is missing or empty:
an error that says what to run, no empty file left in its place, and the rebuilt
directory read again without a restart."""
from __future__ import annotations

import logging
import shutil

import pytest
from sqlalchemy.exc import OperationalError

from actions import directory_access
from directory.db import make_engine
from directory.migrations import upgrade


@pytest.fixture
def directory_at(tmp_path, monkeypatch):
    path = tmp_path / "var" / "directory.sqlite"
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", f"sqlite:///{path}")
    directory_access.reset()
    yield path
    directory_access.reset()


def test_a_missing_directory_is_an_error_that_says_what_to_run(directory_at, caplog):
    with caplog.at_level(logging.ERROR, logger="actions.directory_access"):
        with pytest.raises(directory_access.DirectoryUnavailable):
            directory_access.commune_by_insee("35238")
    assert "python -m directory import" in caplog.text
    assert not directory_at.exists(), "a missing directory must not become an empty one"


def test_an_empty_directory_is_an_error_too(directory_at, caplog):
    engine = make_engine(f"sqlite:///{directory_at}")
    upgrade(engine)  # the tables, no row: an import that stopped before the communes
    engine.dispose()
    with caplog.at_level(logging.ERROR, logger="actions.directory_access"):
        with pytest.raises(directory_access.DirectoryUnavailable):
            directory_access.commune_resolver()
    assert "aucune commune" in caplog.text and "python -m directory import" in caplog.text


def test_the_directory_rebuilt_is_read_without_a_restart(directory_at, directory_engine):
    with pytest.raises(directory_access.DirectoryUnavailable):
        directory_access.commune_by_insee("35238")
    directory_at.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(directory_engine.url.database, directory_at)
    assert directory_access.commune_by_insee("35238").name == "Rennes"


def test_a_directory_removed_while_running_fails_again_then_recovers(directory_at, directory_engine,
                                                                     caplog):
    directory_at.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(directory_engine.url.database, directory_at)
    assert directory_access.commune_by_insee("35238").name == "Rennes"
    aside = directory_at.with_name("aside.sqlite")
    directory_at.rename(aside)
    with caplog.at_level(logging.ERROR, logger="actions.directory_access"):
        with pytest.raises(OperationalError):
            directory_access.commune_by_insee("35238")
    assert "python -m directory import" in caplog.text
    assert not directory_at.exists()
    aside.rename(directory_at)
    assert directory_access.commune_by_insee("35238").name == "Rennes"
