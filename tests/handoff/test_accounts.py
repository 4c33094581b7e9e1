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


def new_session(factory, login="sam.test", roles=("counsellor",)):
    with factory.begin() as session:
        accounts.add_counsellor(session, login, "un-mot-de-passe-solide", roles)
    with factory.begin() as session:
        counsellor_id = accounts.authenticate(session, login, "un-mot-de-passe-solide")
        return counsellor_id, accounts.open_session(session, counsellor_id, timedelta(hours=8))


def test_an_idle_session_ends_before_its_lifetime(factory):
    counsellor_id, token = new_session(factory)
    with factory.begin() as session:
        assert accounts.session_for(session, token, idle_timeout=timedelta(minutes=30)) is not None
        session.execute(accounts.sa.update(accounts.StaffSession)
                        .values(last_seen_at=accounts._now() - timedelta(minutes=31)))
    with factory.begin() as session:
        assert accounts.session_for(session, token, idle_timeout=timedelta(minutes=30)) is None
    with factory.begin() as session:  # and it is gone
        assert session.scalars(accounts.sa.select(accounts.StaffSession)).all() == []


def test_using_a_session_keeps_it_alive(factory):
    counsellor_id, token = new_session(factory)
    with factory.begin() as session:
        session.execute(accounts.sa.update(accounts.StaffSession)
                        .values(last_seen_at=accounts._now() - timedelta(minutes=20)))
    with factory.begin() as session:
        assert accounts.session_for(session, token) is not None  # seen now
        session.execute(accounts.sa.update(accounts.StaffSession)
                        .values(expires_at=accounts._now() + timedelta(hours=1)))
    with factory.begin() as session:
        seen = session.scalar(accounts.sa.select(accounts.StaffSession.last_seen_at))
        assert accounts._now() - accounts._aware(seen) < timedelta(minutes=1)


def test_a_disabled_account_loses_its_sessions_and_cannot_log_in(factory):
    counsellor_id, token = new_session(factory)
    with factory.begin() as session:
        accounts.set_disabled(session, counsellor_id, True)
    with factory.begin() as session:
        assert accounts.session_for(session, token) is None
        assert accounts.authenticate(session, "sam.test", "un-mot-de-passe-solide") is None
        accounts.set_disabled(session, counsellor_id, False)
    with factory.begin() as session:
        assert accounts.authenticate(session, "sam.test", "un-mot-de-passe-solide") == counsellor_id


def test_roles_revoking_and_the_account_list(factory):
    counsellor_id, token = new_session(factory, roles=("counsellor", "admin"))
    with factory.begin() as session:
        assert accounts.session_for(session, token).roles == {"counsellor", "admin"}
        with pytest.raises(accounts.AccountError):
            accounts.set_roles(session, counsellor_id, ())
        accounts.set_roles(session, counsellor_id, ("reviewer",))
        [row] = accounts.list_accounts(session)
        assert (row.login, row.roles, row.disabled, row.sessions) == ("sam.test", {"reviewer"}, False, 1)
        assert accounts.revoke_sessions(session, counsellor_id) == 1
    with factory.begin() as session:
        assert accounts.session_for(session, token) is None
        with pytest.raises(accounts.AccountError, match="Rôle inconnu"):
            accounts.add_counsellor(session, "x.test", "un-mot-de-passe-solide", ("chef",))


def test_an_account_made_before_roles_keeps_the_counsellors_role(factory):
    counsellor_id, token = new_session(factory)
    with factory.begin() as session:
        session.execute(accounts.sa.delete(accounts.StaffRole))
    with factory.begin() as session:
        assert accounts.session_for(session, token).roles == {"counsellor"}


def test_a_sessions_table_of_an_older_schema_is_made_again(tmp_path):
    import sqlalchemy as sa

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE staff_sessions (token_hash VARCHAR(64) PRIMARY KEY, "
                                   "counsellor_id INTEGER, csrf_token VARCHAR(64), expires_at DATETIME)"))
        connection.execute(sa.text("INSERT INTO staff_sessions VALUES ('h', 1, 'c', '2030-01-01')"))
    engine.dispose()
    factory = accounts.make_session_factory(url)
    counsellor_id, token = new_session(factory)
    with factory.begin() as session:
        assert accounts.session_for(session, token) is not None
    factory.kw["bind"].dispose()
