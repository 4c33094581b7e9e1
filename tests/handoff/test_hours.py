"""Opening hours: week days, week-end, lunch break, DST, French description."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.handoff import hours
from tests.handoff.conftest import MONDAY_10H, MONDAY_20H, PARIS, SATURDAY_10H


@pytest.fixture(autouse=True)
def configured(hours_file):
    return hours_file


def test_open_on_a_weekday_within_hours():
    assert hours.is_open(MONDAY_10H)
    assert not hours.is_open(MONDAY_20H)
    assert not hours.is_open(datetime(2026, 11, 23, 17, 0, tzinfo=PARIS))  # end excluded
    assert hours.is_open(datetime(2026, 11, 23, 9, 0, tzinfo=PARIS))


def test_closed_on_weekend_by_default():
    assert not hours.is_open(SATURDAY_10H)


def test_a_region_has_its_own_hours():
    assert hours.is_open(SATURDAY_10H, "24")
    assert not hours.is_open(datetime(2026, 11, 23, 13, 0, tzinfo=PARIS), "24")  # lunch
    assert not hours.is_open(datetime(2026, 11, 25, 10, 0, tzinfo=PARIS), "24")  # Wednesday
    assert hours.is_open(MONDAY_10H, "53")  # no line for Bretagne: default


def test_local_time_follows_summer_and_winter_time():
    # 08:30 UTC is 10:30 in summer (UTC+2) and 09:30 in winter (UTC+1) in Paris.
    assert hours.is_open(datetime(2026, 7, 6, 7, 30, tzinfo=timezone.utc))  # 09:30 CEST
    assert not hours.is_open(datetime(2026, 1, 5, 7, 30, tzinfo=timezone.utc))  # 08:30 CET
    # The morning of the switch to summer time (Sunday 29 March 2026) then Monday.
    assert hours.is_open(datetime(2026, 3, 30, 7, 0, tzinfo=timezone.utc))  # 09:00 CEST
    assert not hours.is_open(datetime(2026, 3, 27, 7, 59, tzinfo=timezone.utc))  # 08:59 CET


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        hours.is_open(datetime(2026, 11, 23, 10, 0))


def test_described_in_french():
    assert hours.describe() == "du lundi au vendredi, de 9 h à 17 h"
    assert hours.describe("24") == ("le lundi et le mardi, de 9 h à 12 h 30 et de 13 h 30 à 17 h ; "
                                    "le samedi, de 9 h à 12 h")


def test_bad_slot_is_reported(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text('default:\n  mon: ["17:00-09:00"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="default"):
        hours.OpeningHours.from_file(bad)


def test_the_shipped_file_is_valid():
    assert hours.OpeningHours.from_file(hours.DEFAULT_PATH).describe() == (
        "du lundi au vendredi, de 9 h à 17 h")


def test_the_waiting_time_out(monkeypatch, tmp_path):
    from datetime import timedelta

    assert hours.waiting_timeout() == timedelta(minutes=10)  # hours_file says nothing
    monkeypatch.setenv("SPRO_HANDOFF_TIMEOUT_MINUTES", "0.1")
    assert hours.waiting_timeout() == timedelta(seconds=6)
    monkeypatch.setenv("SPRO_HANDOFF_TIMEOUT_MINUTES", "zéro")
    with pytest.raises(ValueError, match="SPRO_HANDOFF_TIMEOUT_MINUTES"):
        hours.waiting_timeout()
    monkeypatch.delenv("SPRO_HANDOFF_TIMEOUT_MINUTES")
    path = tmp_path / "other.yml"
    path.write_text("waiting_timeout_minutes: 5\n", encoding="utf-8")
    monkeypatch.setenv("SPRO_HANDOFF_HOURS", str(path))
    assert hours.waiting_timeout() == timedelta(minutes=5)
    path.write_text("waiting_timeout_minutes: 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="more than 0"):
        hours.OpeningHours.from_file(path)


def test_the_shipped_file_waits_ten_minutes():
    from datetime import timedelta

    assert hours.OpeningHours.from_file(hours.DEFAULT_PATH).waiting_timeout == timedelta(minutes=10)


def test_a_whole_day_slot_is_open_until_midnight(tmp_path, monkeypatch):
    path = tmp_path / "hours.yml"
    path.write_text('default:\n  mon: ["00:00-24:00"]\n', encoding="utf-8")
    monkeypatch.setenv(hours.ENV_VAR, str(path))
    assert hours.is_open(datetime(2026, 11, 23, 0, 0, tzinfo=PARIS))
    assert hours.is_open(datetime(2026, 11, 23, 23, 59, 59, 999999, tzinfo=PARIS))
    assert not hours.is_open(datetime(2026, 11, 24, 0, 0, tzinfo=PARIS))  # Tuesday
    assert hours.describe() == "le lundi, de 0 h à 24 h"
