"""Hand-made fact rows of invented conversations (bot/indicators/facts.py), for the
tests of the monthly sums and of the indicator pages."""
from __future__ import annotations

import datetime as dt
import itertools

from bot.indicators import facts

_serial = itertools.count()


def fact(day: dt.date, **values) -> dict:
    """A fact row started on `day`; `values` override the defaults (referred to a CIO
    from the Finistère, on the site's chat window)."""
    year, week, _ = day.isocalendar()
    row = {"fact_key": facts.fact_key(f"invented-{next(_serial)}"), "day": day, "week": f"{year}-W{week:02d}",
           "month": day.strftime("%Y-%m"), "year": day.year, "channel": "socketio", "department_code": "29",
           "need": "formation", "public": "salarie", "age_band": "26_44", "handicap": False,
           "first_network": "cio", "networks": ",cio,", "no_referral_reason": None, "messages": 6,
           "fallbacks": 0, "wrong_need": 0, "handoff_asked": False, "handoff_served": False,
           "callback_asked": False, "rating": None, "commented": False, "distress": False,
           "handoff_wait_seconds": None, "handoff_timed_out": False,
           "remote_kinds": ",phone,web,"}
    row.update(values)
    if not row["networks"]:
        row["first_network"] = None
    return row


def not_referred(day: dt.date, reason: str = "abandon", **values) -> dict:
    return fact(day, networks="", first_network=None, no_referral_reason=reason, **values)


def write(connection, rows) -> None:
    for row in rows:
        facts.upsert(connection, row)
