"""The action server's access to the partner directory: one session factory,
created on first use (nothing connects at import time), reset by tests."""
from __future__ import annotations

from actions.lazy import Lazy, dispose_bound_engine
from directory.communes import CommuneInfo
from directory.db import make_engine, make_session_factory
from directory.models import Commune

# $DIRECTORY_DATABASE_URL, else var/directory.sqlite (read when first used).
_factory = Lazy(lambda: make_session_factory(make_engine()), dispose_bound_engine)


def session_factory():
    """The shared factory ($DIRECTORY_DATABASE_URL, else var/directory.sqlite)."""
    return _factory.get()


def reset() -> None:
    """Forget the factory (tests point $DIRECTORY_DATABASE_URL elsewhere)."""
    _factory.reset()


def commune_by_insee(insee_code: str | None) -> CommuneInfo | None:
    """The commune with this INSEE code, or None (unknown or no code)."""
    if not insee_code:
        return None
    with session_factory().begin() as session:
        row = session.get(Commune, str(insee_code))
        return CommuneInfo.from_row(row) if row is not None else None


def commune_resolver():
    """The cached commune resolver of the directory (built on first use)."""
    from directory.communes import load_resolver

    return load_resolver(session_factory())
