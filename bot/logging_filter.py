"""A logging.Filter that redacts personal data from log records before any handler
writes them (Rasa logs user messages, e.g. rasa.core.processor at DEBUG).

Install it on the handlers, not on a logger: a logger's filters do not see the
records its children propagate.

    from bot.logging_filter import install
    install()                      # every handler of the root logger, idempotent

logging.yml puts it on the one handler of the three servers (Rasa and rasa-sdk read
it with --logging-config-file, the web app with configure()). RedactingSQLTrackerStore
also calls install() when Rasa builds it (after Rasa has configured logging), so the
Rasa server is covered whenever endpoints.yml uses that store, whatever its logging.
Handlers added later need `handler.addFilter(RedactingFilter())` or another install().
Keep the servers at INFO (no --debug/-vv) in production: fewer records, no user text.
"""
from __future__ import annotations

import json
import logging
import logging.config
import re
import threading
from pathlib import Path
from typing import Callable, Iterable, Optional

LOGGING_CONFIG = Path(__file__).resolve().parent.parent / "logging.yml"
_TRACEBACK_FORMATTER = logging.Formatter()
# Rasa's structured records are JSON with non-ASCII letters escaped ("Ma\\u00eblys"),
# and an HTTP error quotes a body as bytes ("Ma\\xc3\\xablys"): a name or an address
# written so escapes the recognisers. Both are decoded before redaction.
# An escape may itself be escaped once more ("\\\\xc3" in a quoted repr).
_JSON_ESCAPES = re.compile(r"(?:\\+u[0-9a-fA-F]{4})+")
_BYTE_ESCAPES = re.compile(r"(?:\\+x[0-9a-fA-F]{2})+")


def readable(text: str) -> str:
    """`text` with its \\uXXXX (surrogate pairs included) and UTF-8 \\xNN escapes
    decoded; an escape that does not decode stays as it is."""
    def json_escapes(match: re.Match) -> str:
        try:
            return json.loads('"' + re.sub(r"\\+u", r"\\u", match.group(0)) + '"')
        except ValueError:
            return match.group(0)

    def byte_escapes(match: re.Match) -> str:
        try:
            return bytes.fromhex(re.sub(r"\\+x", "", match.group(0))).decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0)

    if "\\u" in text:
        text = _JSON_ESCAPES.sub(json_escapes, text)
    if "\\x" in text:
        text = _BYTE_ESCAPES.sub(byte_escapes, text)
    return text


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
            redacted = self._safely_redacted(message)
            # A traceback carries exception messages (often the text being handled):
            # formatted here, redacted, and kept as the text the formatter will print.
            if record.exc_info and not record.exc_text:
                record.exc_text = _TRACEBACK_FORMATTER.formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = self._safely_redacted(record.exc_text)
            if record.stack_info:
                record.stack_info = self._safely_redacted(record.stack_info)
        finally:
            self._busy.active = False
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True

    def _safely_redacted(self, text: str) -> str:
        try:
            return self._redactor()(readable(text))
        except Exception:  # never lose a log line because redaction failed…
            return "[message masqué : anonymisation impossible]"  # …nor leak it

    def _redactor(self) -> Callable[[str], str]:
        if self._redact is None:
            from bot.privacy import redact

            self._redact = redact
        return self._redact


def redacting_filter() -> RedactingFilter:
    """The filter of logging.yml. Python's warnings are routed to logging here, as
    records of the "py.warnings" logger: written straight to stderr, a warning that
    quotes a message (Rasa's warnings sometimes do) would skip the redaction."""
    logging.captureWarnings(True)
    return RedactingFilter()


def configure(path: Path = LOGGING_CONFIG) -> None:
    """Logging as logging.yml says (the web app; the Rasa and action servers read the
    same file with --logging-config-file): one handler, behind the redacting filter."""
    import yaml

    logging.config.dictConfig(yaml.safe_load(path.read_text(encoding="utf-8")))


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
