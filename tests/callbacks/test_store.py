"""The call-back store on a real SQLite file: the number is encrypted at rest,
taken once, purged after 7 days; the key file is private."""
from __future__ import annotations

import datetime as dt
import logging
import os
import stat

import pytest

from tests.support.sqlite_files import all_bytes
from cryptography.fernet import Fernet

from bot.callbacks import store
from bot.callbacks.__main__ import main
from bot.callbacks.crypto import CallbackKeyError, NumberCipher, load_key

NUMBER = "+33612345678"  # invented
NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.timezone.utc)
DIGIT_FORMS = (b"612345678", b"06 12 34 56 78", b"06.12.34.56.78", "612345678".encode("utf-16-le"))


def add(factory, cipher, *, number=NUMBER, days_ago=0.0, **fields):
    with factory.begin() as session:
        return store.CallbackRepository(session, cipher).add(
            number=number, now=NOW - dt.timedelta(days=days_ago), **fields)


def test_the_number_is_not_in_the_database_file(callbacks_db):
    factory, cipher, path = callbacks_db
    add(factory, cipher, need="vae", commune="Lucé", moment="le matin")

    raw = all_bytes(path)
    assert all(form not in raw for form in DIGIT_FORMS)
    assert "Lucé".encode() in raw  # the file is readable: the test would see a clear number


def test_take_gives_the_oldest_request_in_clear_then_deletes_it(callbacks_db):
    factory, cipher, _ = callbacks_db
    add(factory, cipher, number="+33699999999", days_ago=1, need="formation")
    add(factory, cipher, days_ago=2, need="vae", commune="Lucé", moment="le matin")

    with factory.begin() as session:
        taken = store.CallbackRepository(session, cipher).take_oldest()
    assert (taken.number, taken.need, taken.commune, taken.moment) == (NUMBER, "vae", "Lucé", "le matin")
    assert NUMBER not in repr(taken)
    with factory.begin() as session:
        repository = store.CallbackRepository(session, cipher)
        assert repository.pending_count() == 1
        assert repository.take_oldest().number == "+33699999999"
        assert repository.take_oldest() is None


def test_purge_deletes_requests_older_than_7_days(callbacks_db):
    factory, cipher, _ = callbacks_db
    add(factory, cipher, days_ago=8)
    add(factory, cipher, days_ago=7.1)
    add(factory, cipher, days_ago=6.9)
    with factory.begin() as session:
        assert store.CallbackRepository(session, cipher).purge(days=7, now=NOW) == 2
    with factory.begin() as session:
        assert store.CallbackRepository(session, cipher).pending_count() == 1


def test_repository_does_not_commit(callbacks_db):
    factory, cipher, _ = callbacks_db
    with factory() as session:
        store.CallbackRepository(session, cipher).add(number=NUMBER)
        session.rollback()
    with factory.begin() as session:
        assert store.CallbackRepository(session, cipher).pending_count() == 0


def test_key_file_is_created_private_and_reused(key_env):
    key = load_key()
    assert stat.S_IMODE(os.stat(key_env).st_mode) == 0o600
    assert load_key() == key
    Fernet(key)  # a valid Fernet key


def test_the_default_key_lives_outside_var(tmp_path, monkeypatch, caplog):
    """A copy of var/ (the encrypted numbers) must not carry the key with it."""
    monkeypatch.delenv("SPRO_CALLBACK_KEY", raising=False)
    monkeypatch.delenv("SPRO_CALLBACK_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    load_key()
    key_file = tmp_path / "config" / "spro-orientation" / "callback.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(key_file.parent).st_mode) == 0o700
    assert not (tmp_path / "var").exists()
    assert "var/" not in caplog.text


def test_a_key_left_in_var_is_still_read_with_a_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("SPRO_CALLBACK_KEY", raising=False)
    monkeypatch.delenv("SPRO_CALLBACK_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "var").mkdir()
    key = Fernet.generate_key()
    (tmp_path / "var" / "callback.key").write_bytes(key)
    with caplog.at_level("WARNING", logger="bot.callbacks.crypto"):
        assert load_key() == key  # pending requests stay readable
    assert "rangée dans var/" in caplog.text
    assert key.decode() not in caplog.text
    assert not (tmp_path / "config").exists()


def test_database_file_is_private(callbacks_db):
    _, _, path = callbacks_db
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_key_from_the_environment_wins(key_env, monkeypatch):
    key = Fernet.generate_key()
    monkeypatch.setenv("SPRO_CALLBACK_KEY", key.decode())
    assert load_key() == key
    assert not key_env.exists()


def test_an_invalid_key_is_refused_without_showing_it(monkeypatch):
    monkeypatch.setenv("SPRO_CALLBACK_KEY", "pas-une-cle-secrete")
    with pytest.raises(CallbackKeyError) as caught:
        NumberCipher.from_environment()
    assert "pas-une-cle-secrete" not in str(caught.value)


def test_another_key_cannot_read_the_number(callbacks_db):
    factory, cipher, _ = callbacks_db
    add(factory, cipher)
    with factory.begin() as session, pytest.raises(CallbackKeyError):
        store.CallbackRepository(session, NumberCipher(Fernet.generate_key())).take_oldest()


def test_cli_take_prints_for_the_counsellor_and_deletes(callbacks_db, capsys, caplog):
    factory, cipher, _ = callbacks_db
    caplog.set_level(logging.DEBUG)
    add(factory, cipher, need="vae", moment="le matin")

    assert main(["take"]) == 0
    out = capsys.readouterr().out
    assert "06 12 34 56 78" in out and "vae" in out and "le matin" in out
    assert main(["take"]) == 0
    assert "Aucune demande" in capsys.readouterr().out
    assert "612345678" not in caplog.text.replace(" ", "")


def test_cli_purge_and_count(callbacks_db, capsys):
    factory, cipher, _ = callbacks_db
    with factory.begin() as session:
        store.CallbackRepository(session, cipher).add(
            number=NUMBER, now=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=8))
        store.CallbackRepository(session, cipher).add(number=NUMBER)
    assert main(["purge", "--days", "7"]) == 0
    assert "1 demande(s)" in capsys.readouterr().out
    assert main(["count"]) == 0
    assert "1 demande(s) de rappel en attente" in capsys.readouterr().out
    assert main(["purge", "--days", "-1"]) == 2
