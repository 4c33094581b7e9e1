"""A call-back store in tmp_path, with its key file there too."""
from __future__ import annotations

import pytest

from bot.callbacks import store
from bot.callbacks.crypto import NumberCipher


@pytest.fixture
def key_env(tmp_path, monkeypatch):
    """No $SPRO_CALLBACK_KEY: the key file tmp_path/var/callback.key is used."""
    monkeypatch.delenv("SPRO_CALLBACK_KEY", raising=False)
    path = tmp_path / "var" / "callback.key"
    monkeypatch.setenv("SPRO_CALLBACK_KEY_FILE", str(path))
    return path


@pytest.fixture
def callbacks_db(tmp_path, monkeypatch, key_env):
    """(session factory, cipher, sqlite path); $SPRO_CALLBACKS_DATABASE_URL points there."""
    path = tmp_path / "var" / "callbacks.sqlite"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("SPRO_CALLBACKS_DATABASE_URL", url)
    engine = store.make_engine(url)
    yield store.make_session_factory(engine), NumberCipher.from_environment(), path
    engine.dispose()
