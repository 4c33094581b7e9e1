"""Every response of the domain, rendered by Rasa's own response generator as the
server does it: no interpolation error (each one used to log the slot values), and
every button payload reaches the channel as the exact `/intent{json}` Rasa parses."""
from __future__ import annotations

import asyncio
import json
import re
import warnings
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


@lru_cache(maxsize=None)
def _domain():
    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():  # Rasa's notices on loading (checked by `rasa data validate`)
        warnings.simplefilter("ignore")
        return Domain.load(str(ROOT / "domain"))


def _names(key: str | None = None) -> list[str]:
    """Response names (collected once: the parameters of the tests below)."""
    responses = _domain().responses
    return sorted(name for name, variants in responses.items()
                  if key is None or any(variant.get(key) for variant in variants))


@pytest.fixture(scope="module")
def domain():
    return _domain()


def _render(domain, name: str) -> tuple[dict, list[dict]]:
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.trackers import DialogueStateTracker
    from structlog.testing import capture_logs

    variant = domain.responses[name][0]
    # Placeholders an action fills (need_label, commune_label…) get a value, as the
    # action gives one; slots are those of a fresh conversation.
    values = {key: "x" for key in PLACEHOLDER.findall(variant.get("text", ""))}
    tracker = DialogueStateTracker.from_events("render-test", [], domain.slots)
    generator = TemplatedNaturalLanguageGenerator(domain.responses)
    with capture_logs() as logs:
        rendered = asyncio.run(generator.generate(name, tracker, "rest", **values))
    return rendered, logs


def test_some_responses_carry_entity_payloads(domain):
    payloads = [button["payload"] for name in _names("buttons")
                for button in domain.responses[name][0]["buttons"]]
    assert any("{" in payload for payload in payloads)


@pytest.mark.parametrize("name", _names("buttons"))
def test_buttons_render_without_error_and_parse(domain, name):
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message
    from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler

    rendered, logs = _render(domain, name)
    assert [log for log in logs if log.get("log_level") in ("error", "exception")] == []
    for button, template in zip(rendered["buttons"], domain.responses[name][0]["buttons"]):
        payload = button["payload"]
        assert "{{" not in payload and "0[" not in payload, payload
        if "{" in payload:
            entities = json.loads(payload[payload.index("{"):])
            parsed = RegexMessageHandler().process([Message(data={TEXT: payload})], domain)[0]
            assert {e["entity"]: e["value"] for e in parsed.get("entities")} == entities
            assert parsed.get("intent")["name"] == payload[1:payload.index("{")]


@pytest.mark.parametrize("name", _names())
def test_every_response_renders_without_error(domain, name):
    rendered, logs = _render(domain, name)
    assert rendered is not None
    assert [log for log in logs if log.get("log_level") in ("error", "exception")] == []


# Variables a response may fill with what the person said (a trade name): the store
# redacts bot texts only between « », so these must always be quoted.
PERSON_FILLED = {"metier"}


def test_variables_filled_from_the_person_are_between_french_quotes(domain):
    quoted = re.compile(r"«[^»]*»")
    for name, variants in domain.responses.items():
        for variant in variants:
            outside = quoted.sub("", variant.get("text") or "")
            found = set(PLACEHOLDER.findall(outside)) & PERSON_FILLED
            assert not found, f"{name}: {sorted(found)} hors des guillemets « »"
