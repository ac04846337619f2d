import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


@pytest.fixture
def dispatcher():
    return CollectingDispatcher()


@pytest.fixture
def make_tracker():
    """A rasa_sdk Tracker as the action server receives it."""

    def make(intent="ask_install", text="", entities=(), slots=None, channel="rest", metadata=None):
        parse = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": list(entities),
            "metadata": dict(metadata or {}),
        }
        events = [
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": text, "parse_data": parse, "input_channel": channel},
        ]
        return Tracker(
            sender_id="citizen-1",
            slots=dict(slots or {}),
            latest_message=parse,
            events=events,
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return make


def entity(name, value):
    return {"entity": name, "value": value, "start": 0, "end": 1}
