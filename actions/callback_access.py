"""The action server's access to the call-back store: engine and cipher created on
first use (nothing connects or reads a key at import time), reset by tests."""
from __future__ import annotations

from typing import Optional

from bot.callbacks import store
from bot.callbacks.crypto import NumberCipher

_factory = None
_cipher: Optional[NumberCipher] = None


def save_request(*, number: str, need: Optional[str], commune: Optional[str],
                 moment: Optional[str]) -> str:
    """Stores one consented request (number encrypted); returns its random id."""
    global _factory, _cipher
    if _cipher is None:
        _cipher = NumberCipher.from_environment()
    if _factory is None:
        _factory = store.make_session_factory(store.make_engine())
    with _factory.begin() as session:
        return store.CallbackRepository(session, _cipher).add(
            number=number, need=need, commune=commune, moment=moment)


def reset() -> None:
    """Forget engine and key ($SPRO_CALLBACKS_DATABASE_URL / key changed in tests)."""
    global _factory, _cipher
    if _factory is not None:
        _factory.kw["bind"].dispose()
    _factory = None
    _cipher = None
