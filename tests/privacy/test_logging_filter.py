"""Log records are redacted before handlers write them."""
from __future__ import annotations

import io
import logging

from bot.logging_filter import RedactingFilter, install


def _logger(name, filter_=None):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    if filter_ is not None:
        handler.addFilter(filter_)
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, handler, stream


def test_user_text_is_redacted_in_records():
    logger, _, stream = _logger("test.redact.real", RedactingFilter())
    logger.debug("Received user message '%s' with intent '%s'",
                 "je m'appelle Julie Martin, 06 12 34 56 78, j'habite à Lucé", "inform")
    out = stream.getvalue()
    assert "Julie" not in out and "06 12 34 56 78" not in out
    assert "<PERSONNE>" in out and "<TELEPHONE>" in out and "Lucé" in out and "inform" in out


def test_redaction_that_logs_does_not_recurse():
    seen = []

    def noisy_redact(text):
        logging.getLogger("test.redact.noisy").warning("redacting")
        seen.append(text)
        return text.replace("Julie", "<PERSONNE>")

    filter_ = RedactingFilter(noisy_redact)
    logger, handler, stream = _logger("test.redact.noisy", filter_)
    logger.info("bonjour Julie")
    assert "bonjour <PERSONNE>" in stream.getvalue()
    assert seen == ["bonjour Julie"]


def test_a_failing_redaction_hides_the_message():
    def broken(_text):
        raise RuntimeError("boom")

    logger, _, stream = _logger("test.redact.broken", RedactingFilter(broken))
    logger.info("mon tel 06 12 34 56 78")
    assert "06 12" not in stream.getvalue() and "anonymisation impossible" in stream.getvalue()


def test_install_is_idempotent():
    handler = logging.StreamHandler(io.StringIO())
    first = install([handler])
    second = install([handler])
    assert first is second
    assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
