"""Log records are redacted before handlers write them."""
from __future__ import annotations

import io
import logging

import json

from bot.logging_filter import RedactingFilter, install, readable


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


def test_a_traceback_is_redacted_too():
    logger, _, stream = _logger("test.redact.traceback", RedactingFilter())
    try:
        raise ValueError("message illisible : je suis Julie Martin, 06 12 34 56 78")
    except ValueError:
        logger.exception("action en échec")
    out = stream.getvalue()
    assert "Traceback (most recent call last)" in out and "ValueError" in out
    assert "Julie" not in out and "06 12 34 56 78" not in out and "<TELEPHONE>" in out


def test_a_stack_trace_is_redacted_too():
    logger, _, stream = _logger("test.redact.stack", RedactingFilter(lambda t: t.replace("Julie", "<PERSONNE>")))
    logger.warning("ici", stack_info=True)  # the stack shows this line: Julie
    out = stream.getvalue()
    assert "Stack (most recent call last)" in out
    assert "this line: <PERSONNE>" in out and "Julie" not in out


def test_a_json_record_with_escaped_letters_is_redacted():
    """Rasa's structured records escape non-ASCII letters: 'Ma\\u00eblys'."""
    logger, _, stream = _logger("test.redact.json", RedactingFilter())
    logger.debug(json.dumps({"current_states": "user text: bonjour je m'appelle Maëlys Kervadec",
                             "text": "j'habite 14 allée des Pervenches à Rennes 😀"}))
    out = stream.getvalue()
    assert "Kervadec" not in out and "Pervenches" not in out
    assert "<PERSONNE>" in out and "Rennes 😀" in out


def test_readable_decodes_escapes_and_leaves_the_rest():
    assert readable(json.dumps("Maëlys 😀 \\u00zz")) == '"Maëlys 😀 \\\\u00zz"'
    assert readable("rien à décoder") == "rien à décoder"
    assert readable(str("Maëlys 😀".encode())) == "b'Maëlys 😀'"
    assert readable("\\xff\\xfe") == "\\xff\\xfe"  # not UTF-8: left as it is
    assert readable(repr(str("Maëlys".encode()))) == "\"b'Maëlys'\""  # escaped twice


def test_the_servers_logging_file_redacts_through_its_one_handler():
    """logging.yml, as the three servers load it (dictConfig): every handler of the
    root logger carries the filter. The root logger is restored afterwards."""
    from bot.logging_filter import configure

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure()
        assert root.handlers and all(
            any(isinstance(f, RedactingFilter) for f in handler.filters) for handler in root.handlers)
        assert root.level == logging.INFO
    finally:
        for handler in root.handlers:
            if handler not in saved[0]:
                handler.close()
        root.handlers[:], root.level = saved


def test_warnings_go_through_the_redacting_handler_once_configured():
    """A warning quoting a person's message is a log record, redacted like the others."""
    import warnings

    from bot.logging_filter import configure

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    stream = io.StringIO()
    # pytest restores warnings.showwarning after each test, not logging's own record
    # of it: an earlier configure() would make captureWarnings(True) a no-op here.
    logging.captureWarnings(False)
    try:
        configure()
        for handler in root.handlers:
            handler.stream = stream
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("message ignoré : « rappelez-moi au 06 71 24 93 58 »", UserWarning)
        written = stream.getvalue()
        assert "py.warnings" in written and "message ignoré" in written
        assert "06 71 24 93 58" not in written
    finally:
        logging.captureWarnings(False)
        for handler in root.handlers:
            if handler not in saved[0]:
                handler.close()
        root.handlers[:], root.level = saved
