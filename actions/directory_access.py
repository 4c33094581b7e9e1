"""The action server's access to the partner directory: one session factory,
created on first use (nothing connects at import time), reset by tests.

A directory that is missing, empty or locked makes the action fail (the person gets
the remote contacts, bot/rasa_fixes.py) and leaves one log line that says what to
run; the next message tries again, so a rebuilt directory is used without a restart."""
from __future__ import annotations

import logging

from sqlalchemy import event, select
from sqlalchemy.exc import DBAPIError

from actions.lazy import Lazy, dispose_bound_engine
from directory.communes import CommuneInfo
from directory.db import database_url, make_reader_engine, make_session_factory
from directory.models import Commune

logger = logging.getLogger(__name__)

REBUILD_HINT = ("L'annuaire des partenaires est inutilisable (%s) : aucune orientation ne peut "
                "être donnée. Reconstruisez-le avec « python -m directory import » (ou « make "
                "directory ») ; le serveur d'actions le relit sans redémarrer.")


class DirectoryUnavailable(RuntimeError):
    """The directory database is missing, empty or locked."""


def _log_rebuild_hint(context) -> None:
    """SQLAlchemy's handle_error hook: every failed statement or connection."""
    logger.error(REBUILD_HINT, f"{database_url()} : {context.original_exception}")


def _make_factory():
    engine = make_reader_engine()
    event.listen(engine, "handle_error", _log_rebuild_hint)
    factory = make_session_factory(engine)
    with factory() as session:
        if session.execute(select(Commune.insee_code).limit(1)).first() is None:
            engine.dispose()
            logger.error(REBUILD_HINT, f"{database_url()} : aucune commune")
            raise DirectoryUnavailable("the directory holds no commune")
    return factory


# $DIRECTORY_DATABASE_URL, else var/directory.sqlite (read when first used).
_factory = Lazy(_make_factory, dispose_bound_engine)


def session_factory():
    """The shared factory ($DIRECTORY_DATABASE_URL, else var/directory.sqlite); raises
    (after logging what to run) while the directory is unusable."""
    try:
        return _factory.get()
    except DBAPIError as error:
        raise DirectoryUnavailable(str(error.orig)) from None


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
