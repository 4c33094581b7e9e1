"""The call-back store: its own database (var/callbacks.sqlite by default,
$SPRO_CALLBACKS_DATABASE_URL otherwise), one table created on first use with
`create_all` (a small separate store: no Alembic). The number is stored encrypted;
need and commune are not identifying. Requests are deleted once taken by a
counsellor, or after 7 days.

SQLAlchemy 2.0 style: the caller owns the session (`with factory.begin() as s:`),
the repository never commits.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from bot.callbacks.crypto import NumberCipher
from bot.conversations_db import make_engine as _make_engine

URL_ENV = "SPRO_CALLBACKS_DATABASE_URL"
DEFAULT_URL = "sqlite:///var/callbacks.sqlite"
RETENTION_DAYS = 7
PENDING = "pending"

Base = declarative_base()


class CallbackRequest(Base):
    __tablename__ = "callback_requests"

    id = sa.Column(sa.String(32), primary_key=True)  # random, unrelated to the conversation id
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, index=True)
    number_encrypted = sa.Column(sa.Text, nullable=False)  # Fernet token
    need = sa.Column(sa.String(64))
    commune = sa.Column(sa.String(255))
    moment = sa.Column(sa.String(64))  # "le matin"… when the person said it
    status = sa.Column(sa.String(16), nullable=False, default=PENDING)

    def __repr__(self) -> str:  # no number, even encrypted, in logs
        return f"CallbackRequest(id={self.id!r}, status={self.status!r})"


@dataclass(frozen=True)
class TakenRequest:
    """A request handed to a counsellor (already deleted from the store)."""
    id: str
    created_at: dt.datetime
    number: str = field(repr=False)  # clear: printed for the counsellor only
    need: Optional[str]
    commune: Optional[str]
    moment: Optional[str]


def database_url(url: Optional[str] = None) -> str:
    return url or os.environ.get(URL_ENV) or DEFAULT_URL


def make_engine(url: Optional[str] = None) -> Any:
    """Engine with SQLite secure_delete (deleted numbers are overwritten in the file);
    creates the table if missing and restricts a new SQLite file to its owner."""
    engine = _make_engine(database_url(url))
    Base.metadata.create_all(engine)
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        os.chmod(Path(engine.url.database), 0o600)
    return engine


def make_session_factory(engine: Any) -> sessionmaker:
    return sessionmaker(engine, future=True)


class CallbackRepository:
    def __init__(self, session: Session, cipher: NumberCipher) -> None:
        self.session = session
        self.cipher = cipher

    def add(self, *, number: str, need: Optional[str] = None, commune: Optional[str] = None,
            moment: Optional[str] = None, now: Optional[dt.datetime] = None) -> str:
        request = CallbackRequest(
            id=secrets.token_hex(16), created_at=now or _now(),
            number_encrypted=self.cipher.encrypt(number),
            need=need, commune=commune, moment=moment, status=PENDING,
        )
        self.session.add(request)
        self.session.flush()
        return request.id

    def pending_count(self) -> int:
        return self.session.scalar(
            sa.select(sa.func.count()).select_from(CallbackRequest)
            .where(CallbackRequest.status == PENDING)
        )

    def take_oldest(self) -> Optional[TakenRequest]:
        """The oldest pending request, decrypted, and deleted: used once."""
        request = self.session.scalars(
            sa.select(CallbackRequest).where(CallbackRequest.status == PENDING)
            .order_by(CallbackRequest.created_at, CallbackRequest.id).limit(1)
        ).first()
        if request is None:
            return None
        taken = TakenRequest(
            id=request.id, created_at=_aware(request.created_at),
            number=self.cipher.decrypt(request.number_encrypted),
            need=request.need, commune=request.commune, moment=request.moment,
        )
        self.session.delete(request)
        self.session.flush()
        return taken

    def delete(self, ids: list[str]) -> int:
        """Deletes these requests (the person erased the conversation they came from)."""
        if not ids:
            return 0
        return self.session.execute(
            sa.delete(CallbackRequest).where(CallbackRequest.id.in_(list(ids)))
            .execution_options(synchronize_session=False)
        ).rowcount

    def purge(self, *, days: int = RETENTION_DAYS, now: Optional[dt.datetime] = None) -> int:
        """Deletes every request older than `days` days, taken or not."""
        if days < 0:
            raise ValueError("days must be >= 0")
        cutoff = (now or _now()) - dt.timedelta(days=days)
        result = self.session.execute(
            sa.delete(CallbackRequest).where(CallbackRequest.created_at < cutoff)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite gives naive datetimes back: they were stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
