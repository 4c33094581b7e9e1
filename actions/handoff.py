"""action_handoff: the person asked for a human. Within the counsellors' opening
hours (bot/handoff/hours.yml, by the region of the person's commune) the
conversation waits for a counsellor (HandoffPolicy then keeps the bot silent);
outside them, the hours, the region's phone services (curated directory data)
and the national remote contacts. A wait is bounded: a Rasa reminder triggers
EXTERNAL_handoff_timeout after hours.waiting_timeout() (actions/handoff_timeout.py)."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.handoff import hours

logger = logging.getLogger(__name__)
TIMEOUT_INTENT = "EXTERNAL_handoff_timeout"


def now() -> datetime:
    """The current time (tests replace it)."""
    return datetime.now(timezone.utc)


def region_of(tracker: Tracker) -> Optional[str]:
    """The region code of the person's commune, or None (then default hours)."""
    insee = tracker.get_slot("commune_insee")
    if not insee:
        return None
    from actions import directory_access

    try:
        commune = directory_access.commune_by_insee(insee)
    except Exception:  # no directory: the default hours still give an answer
        logger.warning("Directory unavailable, default opening hours used.")
        return None
    return commune.region_code if commune is not None else None


def regional_phones(region: Optional[str]) -> list[tuple[str, str]]:
    """(name, number) of the curated phone services of this region (directory)."""
    if not region:
        return []
    import sqlalchemy as sa

    from actions import directory_access
    from directory.models import RemoteService

    try:
        with directory_access.session_factory().begin() as session:
            rows = session.execute(
                sa.select(RemoteService.name, RemoteService.contact)
                .where(RemoteService.region_code == region, RemoteService.kind == "phone")
                .order_by(RemoteService.slug)).all()
    except Exception:  # no directory: the national contacts still follow
        logger.warning("Directory unavailable, no regional phone service listed.")
        return []
    return [(row.name, row.contact) for row in rows]


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: DomainDict) -> list[dict[str, Any]]:
        region = region_of(tracker)
        if not hours.is_open(now(), region):
            dispatcher.utter_message(response="utter_handoff_closed", hours=hours.describe(region))
            for name, number in regional_phones(region):
                dispatcher.utter_message(response="utter_handoff_regional_phone",
                                         name=name, number=number)
            dispatcher.utter_message(response="utter_human_contact")
            return [SlotSet("handoff_status", "closed")]
        # A form in progress is stopped by the rules (action_deactivate_loop).
        dispatcher.utter_message(response="utter_handoff_waiting")
        return [SlotSet("handoff_status", "waiting"), timeout_reminder(tracker.sender_id)]


def timeout_reminder(sender_id: str) -> dict[str, Any]:
    """Fires even if the person writes meanwhile (the bot is silent, they still wait).
    Rasa keys reminder jobs by name alone: the sender id keeps conversations apart,
    and asking again replaces this conversation's previous reminder."""
    return ReminderScheduled(TIMEOUT_INTENT, now() + hours.waiting_timeout(),
                             name=f"handoff_timeout_{sender_id}", kill_on_user_message=False)
