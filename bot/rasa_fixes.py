"""Fixes to Rasa 3.6 internals, applied once when the Rasa server starts (from the
tracker store, which every deployment of this project loads).

Action responses: Rasa checks each action server response with `jsonschema.validate`,
which first re-validates Rasa's own (constant, large) schema against the JSON Schema
meta-schema: about 85 ms per custom action call with jsonschema 4.17, two calls in a
turn that ends in a referral. One validator built once gives the same verdict and
the same error message in under 1 ms (`python -m bench.turn` shows the turn time).

Action server down, slow or failing: Rasa logs the error and goes on with no events,
so the person gets silence, and it waits up to 5 minutes for a slow server while it
holds the conversation's lock. Here a call gets ACTION_TIMEOUT_ENV seconds (default
DEFAULT_ACTION_TIMEOUT); when it fails, the person is told in French, with the remote
contacts (UNAVAILABLE_RESPONSES), and the other custom actions of the same turn are
not called again. The next message calls the server as usual: once it is back, the
conversation goes on where it was.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
from typing import Any, Dict, List, Text

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_ENV = "SPRO_ACTION_TIMEOUT_SECONDS"
DEFAULT_ACTION_TIMEOUT = 6.0
UNAVAILABLE_RESPONSES = ("utter_service_unavailable", "utter_human_contact")

_installed = False
_remote_run = None


@functools.lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        _action_response_validator().validate(result)
        return True
    except ValidationError as error:  # same message as Rasa's own check
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error


def action_timeout() -> float:
    try:
        return max(0.5, float(os.environ.get(ACTION_TIMEOUT_ENV, DEFAULT_ACTION_TIMEOUT)))
    except ValueError:
        return DEFAULT_ACTION_TIMEOUT


def apologised_this_turn(tracker: Any) -> bool:
    """The unavailability message was sent since the person's last message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") == UNAVAILABLE_RESPONSES[0]:
            return True
    return False


async def apology(nlg: Any, tracker: Any, channel_name: Text) -> List[Any]:
    from rasa.core.actions.action import create_bot_utterance

    events = []
    for response in UNAVAILABLE_RESPONSES:
        message = await nlg.generate(response, tracker, channel_name)
        if message:
            message["utter_action"] = response
            events.append(create_bot_utterance(message))
    return events


async def _run_or_apologise(self: Any, output_channel: Any, nlg: Any, tracker: Any,
                            domain: Any) -> List[Any]:
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException

    if apologised_this_turn(tracker):
        return []
    try:
        return await asyncio.wait_for(_remote_run(self, output_channel, nlg, tracker, domain),
                                      timeout=action_timeout())
    except ActionExecutionRejection:
        raise  # a form's "not me": Rasa handles it
    except (RasaException, asyncio.TimeoutError) as error:
        # The name of the action and the kind of failure only: nothing the person typed.
        logger.error("Action '%s' en échec (%s) : la personne reçoit les contacts à distance.",
                     self.name(), type(error).__name__ if isinstance(error, asyncio.TimeoutError)
                     else "serveur d'actions injoignable ou en erreur")
        return await apology(nlg, tracker, output_channel.name())


def install() -> None:
    """Idempotent."""
    global _installed, _remote_run
    if _installed:
        return
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result
    _remote_run = RemoteAction.run
    RemoteAction.run = _run_or_apologise
    _installed = True
