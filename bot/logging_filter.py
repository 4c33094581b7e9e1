"""A logging.Filter that redacts personal data from log records before any handler
writes them (Rasa logs user messages, e.g. rasa.core.processor at DEBUG).

Install it on the handlers, not on a logger: a logger's filters do not see the
records its children propagate.

    from bot.logging_filter import install
    install()                      # every handler of the root logger, idempotent

RedactingSQLTrackerStore calls install() when Rasa builds it (after Rasa has
configured logging), so the Rasa server is covered whenever endpoints.yml uses that
store; the action server should call it at start-up (e.g. in actions/__init__.py).
Handlers added later need `handler.addFilter(RedactingFilter())` or another install().
Keep Rasa at INFO (no --debug/-vv) in production: fewer records, no user text.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable, Iterable, Optional

# Records of the redaction machinery itself are not redacted (and must not recurse).
SKIPPED_LOGGERS = ("presidio", "presidio-analyzer", "presidio-anonymizer", "spacy",
                   "bot.privacy")


class RedactingFilter(logging.Filter):
    def __init__(self, redact: Optional[Callable[[str], str]] = None) -> None:
        super().__init__()
        self._redact = redact
        self._busy = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(self._busy, "active", False) or record.name.startswith(SKIPPED_LOGGERS):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let logging report it as usual
            return True
        self._busy.active = True
        try:
            redacted = self._redactor()(message)
        except Exception:  # never lose a log line because redaction failed…
            redacted = "[message masqué : anonymisation impossible]"  # …nor leak it
        finally:
            self._busy.active = False
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True

    def _redactor(self) -> Callable[[str], str]:
        if self._redact is None:
            from bot.privacy import redact

            self._redact = redact
        return self._redact


def install(handlers: Optional[Iterable[logging.Handler]] = None) -> RedactingFilter:
    """Adds one shared RedactingFilter to the handlers (default: the root logger's)."""
    handlers = list(handlers if handlers is not None else logging.getLogger().handlers)
    existing = next((f for h in handlers for f in h.filters if isinstance(f, RedactingFilter)),
                    None)
    shared = existing or RedactingFilter()
    for handler in handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(shared)
    return shared
