"""Fixes to Rasa 3.6 internals, applied once when the Rasa server starts (from the
tracker store, which every deployment of this project loads).

Action responses: Rasa checks each action server response with `jsonschema.validate`,
which first re-validates Rasa's own (constant, large) schema against the JSON Schema
meta-schema: about 85 ms per custom action call with jsonschema 4.17, two calls in a
turn that ends in a referral. One validator built once gives the same verdict and
the same error message in under 1 ms (`python -m bench.turn` shows the turn time).
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Text

_installed = False


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


def install() -> None:
    """Idempotent."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = _validate_action_result
    _installed = True
