"""SPRO_TRIAGE_THRESHOLDS: the triage bands of the review, or a French refusal."""
import pytest

from bot.handoff.console import ConsoleSettings, triage_thresholds


def test_thresholds_are_read_or_refused_with_the_reason(monkeypatch):
    assert triage_thresholds("") == (0.6, 0.95)
    assert triage_thresholds(" 0.5, 0.9 ") == (0.5, 0.9)
    for wrong in ("0,6", "0.9,0.5", "0.5,1.2", "bas,haut"):
        with pytest.raises(SystemExit, match="SPRO_TRIAGE_THRESHOLDS"):
            triage_thresholds(wrong)
    monkeypatch.setenv("SPRO_TRIAGE_THRESHOLDS", "0.4,0.8")
    assert ConsoleSettings.from_env().triage_thresholds == (0.4, 0.8)
