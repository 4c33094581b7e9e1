"""bot/rasa_fixes.py: action server responses are still checked, with Rasa's verdicts."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_fixes


@pytest.fixture
def remote_action():
    rasa_fixes.install()
    return RemoteAction("action_refer", EndpointConfig("http://localhost:5055/webhook"))


def test_installed_once():
    rasa_fixes.install()
    rasa_fixes.install()
    assert RemoteAction._validate_action_result is rasa_fixes._validate_action_result


def test_a_valid_response_passes(remote_action):
    response = {"events": [{"event": "slot", "name": "need", "value": None, "timestamp": None}],
                "responses": [{"response": "utter_greet"}]}
    assert remote_action._validate_action_result(response) is True


@pytest.mark.parametrize("response", [
    {"events": [{"event": "not_an_event"}], "responses": []},
    {"events": "slot", "responses": []},
    {"events": [], "responses": ["text"]},
])
def test_an_invalid_response_is_refused_with_rasas_message(remote_action, response):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result(response)


# Action server down, slow or failing: a French message with the remote contacts -----

import asyncio  # noqa: E402
import functools  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from aiohttp import web  # noqa: E402
from rasa.core.actions.action import ActionExecutionRejection  # noqa: E402
from rasa.core.channels.channel import CollectingOutputChannel  # noqa: E402
from rasa.core.nlg import TemplatedNaturalLanguageGenerator  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import BotUttered, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from bot.local_servers import free_port  # noqa: E402



@pytest.fixture(scope="module")
def domain():
    import warnings

    with warnings.catch_warnings():  # Rasa's notices on loading (checked by `rasa data validate`)
        warnings.simplefilter("ignore")
        return Domain.load(str(Path(__file__).resolve().parent.parent / "domain"))


class ActionServer:
    """A real HTTP server on loopback answering the webhook as told."""

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.calls = 0
        self.runner = None
        self.url = ""

    async def webhook(self, request: web.Request) -> web.Response:
        self.calls += 1
        body = await request.json()
        if self.behaviour == "slow":
            await asyncio.sleep(30)
        if self.behaviour == "error":
            return web.Response(status=500, text="Internal Server Error")
        if self.behaviour == "reject":
            return web.json_response({"action_name": body["next_action"], "error": "non"}, status=400)
        return web.json_response({"events": [], "responses": [{"response": "utter_greet"}]})

    async def __aenter__(self) -> "ActionServer":
        app = web.Application()
        app.router.add_post("/webhook", self.webhook)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        port = free_port()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}/webhook"
        return self

    async def __aexit__(self, *exc) -> None:
        await self.runner.cleanup()


def run_action(domain, url: str, tracker: DialogueStateTracker, name: str = "action_refer"):
    rasa_fixes.install()
    action = RemoteAction(name, EndpointConfig(url))
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return action.run(CollectingOutputChannel(), nlg, tracker, domain)


def new_tracker(domain) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("essai-panne", [UserUttered("je cherche une formation")],
                                            slots=domain.slots)


def synchronously(test):
    """Runs an async test in its own event loop (the suite has no asyncio plugin)."""
    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))
    return run


def assert_apology(events) -> None:
    assert [type(event) for event in events] == [BotUttered, BotUttered]
    assert [event.metadata["utter_action"] for event in events] == list(rasa_fixes.UNAVAILABLE_RESPONSES)
    assert "ne répond pas" in events[0].text
    assert "3949" in events[1].text and "monorientationenligne.fr" in events[1].text


@synchronously
async def test_a_server_that_is_down_gets_the_french_apology_at_once(domain):
    started = time.monotonic()
    events = await run_action(domain, f"http://127.0.0.1:{free_port()}/webhook", new_tracker(domain))
    assert time.monotonic() - started < 3
    assert_apology(events)


@synchronously
async def test_a_slow_server_is_given_up_after_the_timeout(domain, monkeypatch):
    monkeypatch.setenv(rasa_fixes.ACTION_TIMEOUT_ENV, "1")
    async with ActionServer("slow") as server:
        started = time.monotonic()
        events = await run_action(domain, server.url, new_tracker(domain))
        elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 5
    assert_apology(events)


@synchronously
async def test_a_failing_server_gets_the_apology_and_is_not_called_again_in_the_turn(domain):
    async with ActionServer("error") as server:
        tracker = new_tracker(domain)
        events = await run_action(domain, server.url, tracker)
        assert_apology(events)
        for event in events:
            tracker.update(event)
        assert await run_action(domain, server.url, tracker, "action_offer_satisfaction") == []
        assert server.calls == 1
        # The person's next message calls the server again.
        tracker.update(UserUttered("Rennes"))
        assert_apology(await run_action(domain, server.url, tracker))
        assert server.calls == 2


@synchronously
async def test_a_working_server_and_a_forms_rejection_are_untouched(domain):
    async with ActionServer("ok") as server:
        events = await run_action(domain, server.url, new_tracker(domain))
        assert [event.metadata.get("utter_action") for event in events] == ["utter_greet"]
    async with ActionServer("reject") as server:
        with pytest.raises(ActionExecutionRejection):
            await run_action(domain, server.url, new_tracker(domain), "validate_referral_form")


def test_the_timeout_setting(monkeypatch):
    monkeypatch.delenv(rasa_fixes.ACTION_TIMEOUT_ENV, raising=False)
    assert rasa_fixes.action_timeout() == rasa_fixes.DEFAULT_ACTION_TIMEOUT
    monkeypatch.setenv(rasa_fixes.ACTION_TIMEOUT_ENV, "2.5")
    assert rasa_fixes.action_timeout() == 2.5
    monkeypatch.setenv(rasa_fixes.ACTION_TIMEOUT_ENV, "beaucoup")
    assert rasa_fixes.action_timeout() == rasa_fixes.DEFAULT_ACTION_TIMEOUT
