"""The one error the import raises for bad input (its message is French)."""
from __future__ import annotations


class ImportDataError(Exception):
    """A source is missing or unreadable as a whole (not a single bad row, which is
    rejected and reported instead). Raising it rolls the whole import back."""
