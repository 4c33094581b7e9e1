"""Parsing of single cell values (empty cell = unknown = None)."""
from __future__ import annotations


def optional_text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def optional_float(value: str | None, low: float, high: float) -> float | None:
    """A float within [low, high], None for an empty cell; ValueError otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    number = float(value.replace(",", "."))
    if not low <= number <= high:
        raise ValueError(value)
    return number


def optional_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None
