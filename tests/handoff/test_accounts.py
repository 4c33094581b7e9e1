"""Counsellor accounts: argon2 hashes, the add-counsellor command, sessions."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest

from bot.handoff import accounts
from bot.handoff.__main__ import main


@pytest.fixture
def factory(tmp_path):
    factory = accounts.make_session_factory(f"sqlite:///{tmp_path / 'staff.sqlite'}")
    yield factory
    factory.kw["bind"].dispose()


def test_add_counsellor_command_reads_the_password_from_stdin(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'staff.sqlite'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("un-mot-de-passe-solide\n"))
    assert main(["--database-url", url, "add-counsellor", "dominique.test"]) == 0
    assert "Compte « dominique.test » créé." in capsys.readouterr().out
    factory = accounts.make_session_factory(url)
    with factory.begin() as session:
        assert accounts.authenticate(session, "dominique.test", "un-mot-de-passe-solide") is not None
        stored = session.scalar(accounts.sa.select(accounts.Counsellor.password_hash))
    factory.kw["bind"].dispose()
    assert stored.startswith("$argon2id$") and "solide" not in stored


def test_add_counsellor_refuses_a_short_password_and_a_duplicate(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'staff.sqlite'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("court\n"))
    assert main(["--database-url", url, "add-counsellor", "alex.test"]) == 1
    assert "au moins 12 caractères" in capsys.readouterr().err
    for expected in (0, 1):
        monkeypatch.setattr("sys.stdin", io.StringIO("un-mot-de-passe-solide\n"))
        assert main(["--database-url", url, "add-counsellor", "alex.test"]) == expected
    assert "existe déjà" in capsys.readouterr().err


def test_wrong_password_and_unknown_login_fail(factory):
    with factory.begin() as session:
        accounts.add_counsellor(session, "sam.test", "un-mot-de-passe-solide")
    with factory.begin() as session:
        assert accounts.authenticate(session, "sam.test", "un-autre-mot-de-passe") is None
        assert accounts.authenticate(session, "inconnu.test", "un-mot-de-passe-solide") is None


def test_session_token_is_stored_hashed_and_expires(factory):
    with factory.begin() as session:
        accounts.add_counsellor(session, "sam.test", "un-mot-de-passe-solide")
    with factory.begin() as session:
        counsellor_id = accounts.authenticate(session, "sam.test", "un-mot-de-passe-solide")
        token = accounts.open_session(session, counsellor_id, timedelta(hours=1))
        expired = accounts.open_session(session, counsellor_id, timedelta(seconds=-1))
    with factory.begin() as session:
        info = accounts.session_for(session, token)
        assert info.login == "sam.test" and len(info.csrf_token) >= 32
        assert accounts.session_for(session, expired) is None
        stored = session.scalars(accounts.sa.select(accounts.StaffSession.token_hash)).all()
        assert token not in stored
        accounts.close_session(session, token)
    with factory.begin() as session:
        assert accounts.session_for(session, token) is None
