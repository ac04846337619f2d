"""The fast action-reply check must accept and reject exactly what Rasa's
own check does, and the servers we start must run with it."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_runtime
from bot.launcher import Ports, rasa_server_command

VALID_REPLY = {
    "events": [{"event": "slot", "name": "device_os", "value": "android"}],
    "responses": [{"response": "utter_official_link", "link_url": "https://bluezone.gov.vn"}],
}
INVALID_REPLIES = [
    {"events": [{"event": "slot"}]},  # a slot event without a name
    {"events": "not a list"},
    {"responses": [42]},
]


@pytest.fixture
def action():
    rasa_runtime.apply()
    return RemoteAction("action_official_link", EndpointConfig("http://localhost:1/webhook"))


def test_apply_is_idempotent():
    rasa_runtime.apply()
    patched = RemoteAction._validate_action_result
    rasa_runtime.apply()
    assert RemoteAction._validate_action_result is patched
    assert getattr(patched, rasa_runtime._PATCHED)


def test_a_valid_reply_passes(action):
    assert action._validate_action_result(VALID_REPLY) is True


@pytest.mark.parametrize("reply", INVALID_REPLIES)
def test_an_invalid_reply_still_gets_rasas_error(action, reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(reply)


def test_the_rasa_server_runs_with_the_fixes():
    command = rasa_server_command(Ports(5005, 5055))
    assert command[1:4] == ["-m", "bot.rasa_runtime", "run"]
