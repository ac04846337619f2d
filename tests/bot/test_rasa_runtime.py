"""The fast action-reply check must accept and reject exactly what Rasa's
own check does, and the servers we start must run with it; a loaded model
reads messages with the lexicon it carries; a question is stored before its
answer is sent; what the server loaded is kept out of garbage collections."""

import asyncio
import gc
import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest
import rasa.core.run
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.utils.endpoints import EndpointConfig
from sanic import Sanic

from bot import rasa_runtime
from bot.launcher import Ports, rasa_server_command
from bot.paths import project_path

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


def test_the_server_sets_what_it_loaded_at_start_aside_from_collections(monkeypatch):
    registered = []
    register = Sanic.register_listener
    monkeypatch.setattr(
        Sanic,
        "register_listener",
        lambda app, listener, event: registered.append((event, listener)) or register(app, listener, event),
    )
    rasa_runtime.apply()
    rasa.core.run.configure_app(port=5099)
    assert ("after_server_start", rasa_runtime.keep_the_loaded_model_out_of_collections) in registered
    gc.unfreeze()
    try:
        asyncio.run(rasa_runtime.keep_the_loaded_model_out_of_collections())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_valid_reply_passes(action):
    assert action._validate_action_result(VALID_REPLY) is True


@pytest.mark.parametrize("reply", INVALID_REPLIES)
def test_an_invalid_reply_still_gets_rasas_error(action, reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(reply)


def test_the_rasa_server_runs_with_the_fixes():
    command = rasa_server_command(Ports(5005, 5055))
    assert command[1:4] == ["-m", "bot.rasa_runtime", "run"]


def test_a_step_whose_input_is_cached_gets_the_key_it_had_when_it_ran():
    """Rasa prunes a training step when its key, computed from the cached
    fingerprints of its inputs, equals the key it had when it ran on the
    inputs themselves; if the two differ, every step trains every time."""
    import rasa.shared.utils.io
    from rasa.engine.training.components import FingerprintStatus
    from rasa.engine.training.fingerprinting import calculate_fingerprint_key
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.nlu.answer_labels import AnswerLabels

    rasa_runtime.apply()
    data = TrainingData([Message(data={"text": "cài bluezone ở đâu", "intent": "ask_install"})])
    cached = FingerprintStatus(rasa.shared.utils.io.deep_container_fingerprint(data), is_hit=True)
    ran = calculate_fingerprint_key(AnswerLabels, {}, {"training_data": data})
    assert calculate_fingerprint_key(AnswerLabels, {}, {"training_data": cached}) == ran


def test_fingerprints_ignore_dict_order_but_not_list_order():
    assert rasa_runtime.fingerprint({"a": 1, "b": [1, 2]}) == rasa_runtime.fingerprint({"b": [1, 2], "a": 1})
    assert rasa_runtime.fingerprint([1, 2]) != rasa_runtime.fingerprint([2, 1])


def test_a_message_fingerprint_follows_its_tokens():
    from rasa.nlu.tokenizers.tokenizer import Token
    from rasa.shared.nlu.training_data.message import Message

    rasa_runtime.apply()

    def tokenized(*tokens):
        return Message(data={"text": "cài đặt", "text_tokens": list(tokens)}).fingerprint()

    same = tokenized(Token("cài đặt", 0, lemma="cài đặt"))
    assert tokenized(Token("cài đặt", 0, lemma="cài đặt")) == same
    assert tokenized(Token("cài", 0), Token("đặt", 4)) != same
    assert tokenized(Token("cài đặt", 0, data={"folded": "cai dat"}, lemma="cài đặt")) != same


def test_event_classes_are_still_found_and_unknown_names_still_refused():
    from rasa.shared.core.events import ActionExecuted, Event, UserUttered

    rasa_runtime.apply()
    assert Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


CARRIED_LEXICON_PROBE = """
import asyncio, json, sys
from bot import rasa_runtime

rasa_runtime.apply()
from rasa.core.agent import load_agent
from rasa.core.channels.channel import UserMessage

agent = asyncio.run(load_agent(model_path=sys.argv[1]))
parsed = asyncio.run(agent.processor.parse_message(UserMessage(sys.argv[2]), only_output_properties=False))
print(json.dumps({"tokens": [t.text for t in parsed["text_tokens"]], "intent": parsed["intent"]["name"]}))
"""


def test_a_deployed_model_reads_with_the_lexicon_it_carries(trained_model, tmp_path):
    """Beside the model, a project whose lexicon says the opposite: the
    model still reads "ko" as "không", as it was trained to."""
    shutil.copytree(project_path("bot"), tmp_path / "bot")
    (tmp_path / "data" / "knowledge").mkdir(parents=True)
    shutil.copy(project_path("data/settings.yml"), tmp_path / "data" / "settings.yml")
    (tmp_path / "data" / "knowledge" / "lexicon.yml").write_text("teencode:\n  ko: có\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", CARRIED_LEXICON_PROBE, str(trained_model), "ko nhận dc mã otp"],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    parsed = json.loads(result.stdout.strip().splitlines()[-1])
    assert "không" in parsed["tokens"] and "có" not in parsed["tokens"]
    assert parsed["intent"] == "ask_registration"


def test_the_shell_lists_buttons_and_never_opens_a_picker(monkeypatch):
    rasa_runtime.apply()
    import rasa.core.channels.console as console
    import rasa.shared.utils.cli

    printed = []
    monkeypatch.setattr(rasa.shared.utils.cli, "print_color", lambda *args, color=None: printed.extend(args))

    answer = {
        "text": "Tải Bluezone ở đâu?",
        "buttons": [{"title": "Trang tải", "url": "https://bluezone.gov.vn"}, {"title": "Android", "payload": "/a"}],
    }
    feedback = {"text": "Có hữu ích không?", "buttons": [{"title": "👍 Có", "payload": "/affirm"}]}
    assert console._print_bot_output(answer) is None
    assert console._print_bot_output(feedback, is_latest_message=True) is None  # no picker to answer
    out = "\n".join(printed)
    # Text first, then the buttons, numbered across the turn.
    assert out.index("Tải Bluezone ở đâu?") < out.index("1. Android") < out.index("2. 👍 Có")
    assert "🔗 Trang tải: https://bluezone.gov.vn" in out and "gõ số hoặc tên nút" in out
    printed.clear()
    console._print_bot_output(feedback, is_latest_message=True)
    assert "  1. 👍 Có" in printed  # the next turn counts afresh


class ServerDies(Exception):
    pass


class DiesAtBubble(CollectingOutputChannel):
    """A channel whose server dies as it sends bubble number `at` (from 1)."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at, self.sent = at, 0

    async def send_response(self, recipient_id, message):
        self.sent += 1
        if self.sent == self.at:
            raise ServerDies()
        await super().send_response(recipient_id, message)


@pytest.fixture(scope="module")
def served_agent(trained_model):
    """The trained bot as the server runs it (with our fixes), without an action server."""
    rasa_runtime.apply()
    return Agent.load(str(trained_model), generator=EndpointConfig(type="bot.nlg.SettingsResponseGenerator"))


def said_and_answered(agent, loop, sender):
    tracker = loop.run_until_complete(agent.tracker_store.retrieve(sender))
    events = tracker.events if tracker else []
    return [e.text for e in events if isinstance(e, UserUttered)], sum(isinstance(e, BotUttered) for e in events)


@pytest.mark.parametrize(
    "text, questions",
    [
        ("cài bluezone như thế nào", ["cài bluezone như thế nào"]),
        ("cài ở đâu, có tốn pin không?", ["cài ở đâu", "có tốn pin không"]),
    ],
)
def test_a_question_is_stored_before_its_answer_is_sent(served_agent, text, questions):
    """A server that dies while sending an answer has already stored the
    question that answer is for, and every bubble sent before it."""
    agent = served_agent
    loop = asyncio.new_event_loop()
    try:
        healthy = CollectingOutputChannel()
        loop.run_until_complete(agent.handle_message(UserMessage(text, healthy, f"healthy-{uuid.uuid4().hex}")))
        last = len(healthy.messages)
        for at, stored in {1: questions[:1], last: questions}.items():
            sender = f"dies-at-{at}-{uuid.uuid4().hex}"
            with pytest.raises(ServerDies):
                loop.run_until_complete(agent.handle_message(UserMessage(text, DiesAtBubble(at), sender)))
            said, answered = said_and_answered(agent, loop, sender)
            assert len(said) == len(stored) and all(q in s for q, s in zip(stored, said)), (at, said)
            assert answered == at - 1
    finally:
        loop.close()
