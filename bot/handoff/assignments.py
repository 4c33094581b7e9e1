"""Which counsellor holds which conversation, in the staff database (next to the
accounts). "Prendre" assigns a waiting conversation to one counsellor; only they
reply or hand back, unless a colleague explicitly takes it over ("Reprendre").
Handing back releases it. Only the conversation's random sender id is stored,
never a message. The caller owns the session; nothing here commits.

An assignment made before the conversation's current wait began is stale (the
person restarted, or asked again after a hand back or a time-out): it binds nobody.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Iterable, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.handoff.accounts import Base, Counsellor, _aware

logger = logging.getLogger(__name__)


class Assignment(Base):
    __tablename__ = "assignments"
    sender_id = sa.Column(sa.String(255), primary_key=True)  # random id of the chat, not a person
    counsellor_id = sa.Column(sa.Integer, sa.ForeignKey("counsellors.id", ondelete="CASCADE"),
                              nullable=False)
    assigned_at = sa.Column(sa.DateTime(timezone=True), nullable=False)


@dataclass(frozen=True)
class Holder:
    counsellor_id: int
    login: str
    assigned_at: datetime

    def binds(self, status: Optional[str], since: Optional[datetime]) -> bool:
        """Still in force for a conversation in `status` since `since` (conversations.py)."""
        if status == "held":
            return True
        return status == "waiting" and since is not None and self.assigned_at >= since


def holders(session: Session, sender_ids: Iterable[str]) -> Dict[str, Holder]:
    ids = list(sender_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Assignment.sender_id, Assignment.counsellor_id, Assignment.assigned_at,
                  Counsellor.login)
        .join(Counsellor, Counsellor.id == Assignment.counsellor_id)
        .where(Assignment.sender_id.in_(ids)))
    return {row.sender_id: Holder(row.counsellor_id, row.login, _aware(row.assigned_at))
            for row in rows}


def holder(session: Session, sender_id: str) -> Optional[Holder]:
    return holders(session, [sender_id]).get(sender_id)


def assign(session: Session, sender_id: str, counsellor_id: int) -> None:
    """Assigns a conversation nobody holds (a stale row is replaced). Two counsellors
    taking it at once: the second commit fails on the primary key (IntegrityError)."""
    release(session, sender_id)
    session.add(Assignment(sender_id=sender_id, counsellor_id=counsellor_id, assigned_at=_now()))
    session.flush()


def take_over(session: Session, sender_id: str, counsellor_id: int) -> Optional[int]:
    """A colleague's conversation becomes this counsellor's; returns the previous
    holder's id. Logged with ids only (no login, no text)."""
    previous = holder(session, sender_id)
    assign(session, sender_id, counsellor_id)
    logger.info("Conversation %s taken over by counsellor #%s (was #%s).", sender_id[:8],
                counsellor_id, previous.counsellor_id if previous else None)
    return previous.counsellor_id if previous else None


def release(session: Session, sender_id: str) -> None:
    session.execute(sa.delete(Assignment).where(Assignment.sender_id == sender_id))


def _now() -> datetime:
    return datetime.now(timezone.utc)


__all__ = ["Assignment", "Holder", "assign", "holder", "holders", "release", "take_over"]
