"""Assignments in a real staff database, SQLite and PostgreSQL: one holder per
conversation, a stale assignment binds nobody, concurrent takes collide on the
primary key."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot.handoff import accounts, assignments

PASSWORD = "mot-de-passe-de-test-1"


@pytest.fixture
def factory(sql_url):
    factory = accounts.make_session_factory(sql_url.render_as_string(hide_password=False))
    with factory.begin() as session:
        accounts.add_counsellor(session, "camille.test", PASSWORD)
        accounts.add_counsellor(session, "dominique.test", PASSWORD)
    yield factory
    factory.kw["bind"].dispose()


def ids(factory):
    with factory.begin() as session:
        return dict(session.execute(sa.select(accounts.Counsellor.login, accounts.Counsellor.id)).all())


def test_assign_then_release(factory):
    camille = ids(factory)["camille.test"]
    with factory.begin() as session:
        assignments.assign(session, "citizen-1", camille)
    with factory.begin() as session:
        holder = assignments.holder(session, "citizen-1")
        assert (holder.counsellor_id, holder.login) == (camille, "camille.test")
        assert assignments.holders(session, ["citizen-1", "citizen-2"]).keys() == {"citizen-1"}
        assignments.release(session, "citizen-1")
    with factory.begin() as session:
        assert assignments.holder(session, "citizen-1") is None


def test_a_second_take_of_the_same_conversation_collides(factory):
    people = ids(factory)
    with factory.begin() as session:
        assignments.assign(session, "citizen-1", people["camille.test"])
    with pytest.raises(sa.exc.IntegrityError):
        with factory.begin() as session:
            session.add(assignments.Assignment(sender_id="citizen-1",
                                               counsellor_id=people["dominique.test"],
                                               assigned_at=datetime.now(timezone.utc)))
    with factory.begin() as session:
        assert assignments.holder(session, "citizen-1").login == "camille.test"


def test_take_over_returns_the_previous_holder(factory):
    people = ids(factory)
    with factory.begin() as session:
        assignments.assign(session, "citizen-1", people["camille.test"])
    with factory.begin() as session:
        assert assignments.take_over(session, "citizen-1", people["dominique.test"]) == people["camille.test"]
    with factory.begin() as session:
        assert assignments.holder(session, "citizen-1").login == "dominique.test"


def test_only_a_current_assignment_binds():
    now = datetime.now(timezone.utc)
    holder = assignments.Holder(1, "camille.test", now)
    assert holder.binds("held", now + timedelta(hours=1))
    assert holder.binds("waiting", now - timedelta(minutes=1))  # taken during this wait
    # The person asked again after this assignment (restart, hand back, time-out).
    assert not holder.binds("waiting", now + timedelta(minutes=1))
    assert not holder.binds(None, None)


def test_nothing_personal_is_stored():
    columns = {column.name for column in assignments.Assignment.__table__.columns}
    assert columns == {"sender_id", "counsellor_id", "assigned_at"}
