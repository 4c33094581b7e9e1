"""Opening hours of the remote counsellors, per region (hours.yml, Europe/Paris).

`is_open(now, region_code)` decides whether "parler à un·e conseiller·e" hands
the conversation to a person; `describe(region_code)` says the hours in French.
A region absent from the file (or an unknown region) uses `default`.
`waiting_timeout()`: how long a conversation waits for a counsellor before the
assistant gives the remote contacts (waiting_timeout_minutes, or
$SPRO_HANDOFF_TIMEOUT_MINUTES).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple
from zoneinfo import ZoneInfo

import yaml

DEFAULT_PATH = Path(__file__).with_name("hours.yml")
ENV_VAR = "SPRO_HANDOFF_HOURS"  # another hours file (a region's deployment, tests)
TIMEOUT_ENV_VAR = "SPRO_HANDOFF_TIMEOUT_MINUTES"  # overrides waiting_timeout_minutes
DEFAULT_TIMEOUT_MINUTES = 10.0
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

Slot = Tuple[time, time]
# "24:00" closes a slot at midnight: "00:00-24:00" is the whole day.
END_OF_DAY = time.max
Week = Tuple[Tuple[Slot, ...], ...]  # 7 days, Monday first


@dataclass(frozen=True)
class OpeningHours:
    timezone: ZoneInfo
    default: Week
    regions: Dict[str, Week]
    waiting_timeout: timedelta = timedelta(minutes=DEFAULT_TIMEOUT_MINUTES)

    @classmethod
    def from_file(cls, path: Path) -> "OpeningHours":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        regions = {str(code): _week(week, f"regions.{code}")
                   for code, week in (data.get("regions") or {}).items()}
        minutes = data.get("waiting_timeout_minutes", DEFAULT_TIMEOUT_MINUTES)
        return cls(ZoneInfo(data.get("timezone", "Europe/Paris")),
                   _week(data.get("default") or {}, "default"), regions,
                   _minutes(minutes, "waiting_timeout_minutes"))

    def week(self, region_code: Optional[str]) -> Week:
        return self.regions.get(str(region_code), self.default) if region_code else self.default

    def is_open(self, now: datetime, region_code: Optional[str] = None) -> bool:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        local = now.astimezone(self.timezone)  # DST handled by zoneinfo
        moment = local.time().replace(tzinfo=None)
        return any(start <= moment and (moment < end or end == END_OF_DAY)
                   for start, end in self.week(region_code)[local.weekday()])

    def describe(self, region_code: Optional[str] = None) -> str:
        week = self.week(region_code)
        parts = []
        index = 0
        while index < 7:
            if not week[index]:
                index += 1
                continue
            last = index
            while last + 1 < 7 and week[last + 1] == week[index]:
                last += 1
            parts.append(f"{_days(index, last)}, {_slots(week[index])}")
            index = last + 1
        return " ; ".join(parts) if parts else "aucun horaire d'ouverture n'est prévu"


def _week(data: dict, where: str) -> Week:
    unknown = set(data) - set(DAYS)
    if unknown:
        raise ValueError(f"{where}: unknown day(s) {sorted(unknown)}")
    return tuple(tuple(_slot(text, where) for text in data.get(day) or ()) for day in DAYS)


def _slot(text: str, where: str) -> Slot:
    try:
        start, end = (END_OF_DAY if part.strip() == "24:00" else time.fromisoformat(part.strip())
                      for part in str(text).split("-"))
    except ValueError as error:
        raise ValueError(f"{where}: bad slot {text!r} (expected HH:MM-HH:MM, 24:00 for midnight)") from error
    if not start < end:
        raise ValueError(f"{where}: slot {text!r} ends before it starts")
    return start, end


def _minutes(value: object, where: str) -> timedelta:
    try:
        minutes = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {value!r} is not a number of minutes") from error
    if not minutes > 0:
        raise ValueError(f"{where}: {value!r} must be more than 0 minutes")
    return timedelta(minutes=minutes)


def _days(first: int, last: int) -> str:
    if first == last:
        return f"le {DAY_NAMES[first]}"
    if last == first + 1:
        return f"le {DAY_NAMES[first]} et le {DAY_NAMES[last]}"
    return f"du {DAY_NAMES[first]} au {DAY_NAMES[last]}"


def _clock(moment: time) -> str:
    if moment == END_OF_DAY:
        return "24 h"
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


def _slots(slots: Tuple[Slot, ...]) -> str:
    return " et ".join(f"de {_clock(start)} à {_clock(end)}" for start, end in slots)


@lru_cache(maxsize=4)
def _load(path: str) -> OpeningHours:
    return OpeningHours.from_file(Path(path))


def opening_hours() -> OpeningHours:
    """The configured hours ($SPRO_HANDOFF_HOURS, else hours.yml), read once."""
    return _load(os.environ.get(ENV_VAR) or str(DEFAULT_PATH))


def is_open(now: datetime, region_code: Optional[str] = None) -> bool:
    return opening_hours().is_open(now, region_code)


def describe(region_code: Optional[str] = None) -> str:
    return opening_hours().describe(region_code)


def waiting_timeout() -> timedelta:
    """How long a conversation waits for a counsellor ($SPRO_HANDOFF_TIMEOUT_MINUTES first)."""
    override = os.environ.get(TIMEOUT_ENV_VAR)
    if override:
        return _minutes(override, TIMEOUT_ENV_VAR)
    return opening_hours().waiting_timeout
