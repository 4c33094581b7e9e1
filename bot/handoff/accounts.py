"""Staff accounts, their roles, console sessions and the audit log, in the staff
database ($SPRO_STAFF_DATABASE_URL, else var/staff.sqlite). Passwords: argon2
hashes. Sessions: a random token in an HttpOnly cookie; only its SHA-256 is stored.
Roles: counsellor (handoffs, referral desk), reviewer, admin (also the directory);
one person may hold several. The audit log is append-only: who did what to which
id, never a message text. The caller owns the session (`with factory.begin() as
s:`); nothing here commits."""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from bot import sqlite_settings
from directory.vocabulary import SlugLabelEnum

DEFAULT_URL = "sqlite:///var/staff.sqlite"
ENV_VAR = "SPRO_STAFF_DATABASE_URL"
MIN_PASSWORD_LENGTH = 12

Base = declarative_base()
_hasher = PasswordHasher()
# Verified when the login is unknown, so that both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-password-of-anyone")


class Counsellor(Base):
    __tablename__ = "counsellors"
    id = sa.Column(sa.Integer, primary_key=True)
    login = sa.Column(sa.String(100), nullable=False, unique=True)
    password_hash = sa.Column(sa.String(255), nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class Role(SlugLabelEnum):
    COUNSELLOR = ("counsellor", "conseiller·e")
    REVIEWER = ("reviewer", "relecteur·rice")
    ADMIN = ("admin", "administrateur·rice")


class StaffRole(Base):
    """A role held by an account. An account created before roles existed has none
    and keeps what it could do then: the counsellor's role (roles_of)."""

    __tablename__ = "staff_roles"
    counsellor_id = sa.Column(sa.Integer, sa.ForeignKey("counsellors.id", ondelete="CASCADE"),
                              primary_key=True)
    role = sa.Column(sa.String(20), primary_key=True)


class AuditEntry(Base):
    """Append-only: nothing updates or deletes these rows."""

    __tablename__ = "audit_log"
    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, index=True)
    actor = sa.Column(sa.String(100), nullable=False)  # the staff login
    action = sa.Column(sa.String(60), nullable=False, index=True)  # e.g. directory.correct
    target = sa.Column(sa.String(200), nullable=False, default="")  # ids only, e.g. structure:412


class DisabledAccount(Base):
    """An account that can no longer log in (kept for the audit log's logins)."""

    __tablename__ = "staff_disabled"
    counsellor_id = sa.Column(sa.Integer, sa.ForeignKey("counsellors.id", ondelete="CASCADE"),
                              primary_key=True)
    disabled_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


class StaffSession(Base):
    __tablename__ = "staff_sessions"
    token_hash = sa.Column(sa.String(64), primary_key=True)
    counsellor_id = sa.Column(sa.Integer, sa.ForeignKey("counsellors.id", ondelete="CASCADE"),
                              nullable=False)
    csrf_token = sa.Column(sa.String(64), nullable=False)
    expires_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    last_seen_at = sa.Column(sa.DateTime(timezone=True), nullable=False)  # for the idle timeout


# A session unused this long ends (besides its absolute lifetime); last_seen_at is
# written at most once per SEEN_PRECISION, not on every page.
IDLE_TIMEOUT = timedelta(minutes=30)
SEEN_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionInfo:
    login: str
    csrf_token: str
    counsellor_id: int
    roles: frozenset = frozenset({"counsellor"})

    def has(self, role: "Role | str") -> bool:
        return str(getattr(role, "value", role)) in self.roles


def database_url(url: Optional[str] = None) -> str:
    return url or os.environ.get(ENV_VAR) or DEFAULT_URL


def make_session_factory(url: Optional[str] = None) -> sessionmaker:
    """Engine + tables (created if missing) + session factory."""
    from bot.handoff import assignments  # noqa: F401  (its table is a staff table too)

    engine = sa.create_engine(database_url(url), future=True)
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    sqlite_settings.configure(engine, secure_delete=False)  # WAL: the console and Rasa's actions write
    _drop_sessions_of_an_older_schema(engine)
    Base.metadata.create_all(engine)
    return sessionmaker(engine, future=True, expire_on_commit=False)


def _drop_sessions_of_an_older_schema(engine: sa.engine.Engine) -> None:
    """The staff database has no migrations: sessions are short-lived, so a sessions
    table without a newer column is dropped and made again (everyone logs in again)."""
    inspector = sa.inspect(engine)
    if not inspector.has_table(StaffSession.__tablename__):
        return
    columns = {column["name"] for column in inspector.get_columns(StaffSession.__tablename__)}
    if columns != {column.name for column in StaffSession.__table__.columns}:
        StaffSession.__table__.drop(engine)


class AccountError(ValueError):
    """A French message for the person creating an account."""


def add_counsellor(session: Session, login: str, password: str,
                   roles: tuple[str, ...] = (Role.COUNSELLOR.value,)) -> None:
    """A new account with its roles (the counsellor's by default)."""
    roles = tuple(dict.fromkeys(roles))
    unknown = [role for role in roles if role not in {r.value for r in Role}]
    if unknown or not roles:
        allowed = ", ".join(r.value for r in Role)
        raise AccountError(f"Rôle inconnu « {', '.join(unknown)} » (rôles possibles : {allowed}).")
    login = login.strip()
    if not login:
        raise AccountError("L'identifiant est vide.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères.")
    if session.scalar(sa.select(Counsellor.id).where(Counsellor.login == login)) is not None:
        raise AccountError(f"Le compte « {login} » existe déjà.")
    account = Counsellor(login=login, password_hash=_hasher.hash(password), created_at=_now())
    session.add(account)
    session.flush()
    session.add_all(StaffRole(counsellor_id=account.id, role=role) for role in roles)


def roles_of(session: Session, counsellor_id: int) -> frozenset:
    held = session.scalars(sa.select(StaffRole.role).where(StaffRole.counsellor_id == counsellor_id)).all()
    return frozenset(held) or frozenset({Role.COUNSELLOR.value})


def record(session: Session, actor: str, action: str, target: str = "") -> None:
    """One line of the audit log (ids and actions only: never a text a person wrote)."""
    session.add(AuditEntry(at=_now(), actor=actor, action=action, target=target))


def authenticate(session: Session, login: str, password: str) -> Optional[int]:
    """The counsellor's id when the password is right, else None."""
    row = session.scalar(sa.select(Counsellor).where(Counsellor.login == login.strip()))
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or session.get(DisabledAccount, row.id) is not None:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    return row.id


def open_session(session: Session, counsellor_id: int, lifetime: timedelta) -> str:
    """A new session; returns the token for the cookie (stored only as a hash)."""
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=_digest(token), counsellor_id=counsellor_id,
                             csrf_token=secrets.token_urlsafe(32), expires_at=_now() + lifetime,
                             last_seen_at=_now()))
    return token


def session_for(session: Session, token: Optional[str],
                idle_timeout: timedelta = IDLE_TIMEOUT) -> Optional[SessionInfo]:
    """The session of this cookie token; None when unknown, expired, idle for longer
    than `idle_timeout` or of a disabled account (the row is then deleted)."""
    if not token:
        return None
    row = session.execute(
        sa.select(StaffSession.csrf_token, StaffSession.expires_at, StaffSession.last_seen_at,
                  Counsellor.login, Counsellor.id)
        .join(Counsellor, Counsellor.id == StaffSession.counsellor_id)
        .where(StaffSession.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    now = _now()
    if (_aware(row.expires_at) <= now or _aware(row.last_seen_at) + idle_timeout <= now
            or session.get(DisabledAccount, row.id) is not None):
        session.execute(sa.delete(StaffSession).where(StaffSession.token_hash == _digest(token)))
        return None
    if now - _aware(row.last_seen_at) >= SEEN_PRECISION:
        session.execute(sa.update(StaffSession).where(StaffSession.token_hash == _digest(token))
                        .values(last_seen_at=now))
    return SessionInfo(login=row.login, csrf_token=row.csrf_token, counsellor_id=row.id,
                       roles=roles_of(session, row.id))


def close_session(session: Session, token: Optional[str]) -> None:
    if token:
        session.execute(sa.delete(StaffSession).where(StaffSession.token_hash == _digest(token)))
    session.execute(sa.delete(StaffSession).where(StaffSession.expires_at <= _now()))


def revoke_sessions(session: Session, counsellor_id: int) -> int:
    """Ends every session of an account (all its browsers); returns how many."""
    return session.execute(sa.delete(StaffSession).where(StaffSession.counsellor_id == counsellor_id)).rowcount


def set_roles(session: Session, counsellor_id: int, roles: tuple[str, ...]) -> None:
    if not roles or not set(roles) <= {r.value for r in Role}:
        raise AccountError("Choisissez au moins un rôle parmi : " + ", ".join(r.label for r in Role) + ".")
    session.execute(sa.delete(StaffRole).where(StaffRole.counsellor_id == counsellor_id))
    session.add_all(StaffRole(counsellor_id=counsellor_id, role=role) for role in dict.fromkeys(roles))


def set_disabled(session: Session, counsellor_id: int, disabled: bool) -> None:
    """Disabling also ends the account's sessions."""
    current = session.get(DisabledAccount, counsellor_id)
    if disabled and current is None:
        session.add(DisabledAccount(counsellor_id=counsellor_id, disabled_at=_now()))
        revoke_sessions(session, counsellor_id)
    elif not disabled and current is not None:
        session.delete(current)


@dataclass(frozen=True)
class AccountRow:
    id: int
    login: str
    roles: frozenset
    disabled: bool
    created_at: datetime
    sessions: int


def list_accounts(session: Session) -> list[AccountRow]:
    disabled = set(session.scalars(sa.select(DisabledAccount.counsellor_id)))
    sessions = dict(session.execute(sa.select(StaffSession.counsellor_id, sa.func.count())
                                    .where(StaffSession.expires_at > _now())
                                    .group_by(StaffSession.counsellor_id)).all())
    return [AccountRow(id=row.id, login=row.login, roles=roles_of(session, row.id), disabled=row.id in disabled,
                       created_at=row.created_at, sessions=sessions.get(row.id, 0))
            for row in session.scalars(sa.select(Counsellor).order_by(Counsellor.login))]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back: they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


__all__ = ["AccountError", "AccountRow", "AuditEntry", "Role", "SessionInfo", "add_counsellor", "list_accounts",
           "record", "revoke_sessions", "roles_of", "set_disabled", "set_roles", "authenticate", "close_session",
           "make_session_factory", "open_session", "session_for"]
