"""Redaction of personal data in what users write (see redactor.py)."""
from .redactor import PLACEHOLDERS, Redactor, get_redactor, redact

__all__ = ["PLACEHOLDERS", "Redactor", "get_redactor", "redact"]
