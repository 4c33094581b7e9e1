"""The action server's access to the call-back store: engine and cipher created on
first use (nothing connects or reads a key at import time), reset by tests."""
from __future__ import annotations

from typing import Optional

from actions.lazy import Lazy, dispose_bound_engine
from bot.callbacks import store
from bot.callbacks.crypto import NumberCipher

_cipher: Lazy[NumberCipher] = Lazy(NumberCipher.from_environment)
_factory = Lazy(lambda: store.make_session_factory(store.make_engine()), dispose_bound_engine)


def save_request(*, number: str, need: Optional[str], commune: Optional[str],
                 moment: Optional[str]) -> str:
    """Stores one consented request (number encrypted); returns its random id."""
    cipher = _cipher.get()  # the key first: no store is opened without one
    with _factory.get().begin() as session:
        return store.CallbackRepository(session, cipher).add(
            number=number, need=need, commune=commune, moment=moment)


def delete_requests(ids: list[str]) -> int:
    """Deletes these requests (an erased conversation's); no key needed."""
    with _factory.get().begin() as session:
        return store.CallbackRepository(session, None).delete(ids)


def reset() -> None:
    """Forget engine and key ($SPRO_CALLBACKS_DATABASE_URL / key changed in tests)."""
    _factory.reset()
    _cipher.reset()
