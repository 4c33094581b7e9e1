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
