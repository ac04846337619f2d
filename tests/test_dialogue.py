"""The trained bot end to end (NLU, policies, responses, custom actions
over HTTP), through Rasa's Agent: what a citizen actually gets back."""

import asyncio
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, BotUttered
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_runtime
from bot.knowledge import answer_of
from bot.launcher import free_port
from bot.paths import PROJECT_ROOT, project_path

HOTLINE = "0299.3626800"


@pytest.fixture(scope="session")
def action_server():
    port = free_port()
    rasa = Path(sys.executable).with_name("rasa")
    process = subprocess.Popen(
        [str(rasa), "run", "actions", "--actions", "actions", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=PROJECT_ROOT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("action server did not start")
            time.sleep(0.3)
    yield f"http://127.0.0.1:{port}/webhook"
    process.terminate()
    process.wait(timeout=15)


@pytest.fixture(scope="session")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def load_agent(model, action_url):
    rasa_runtime.apply()  # as the server runs: messages read in their conversation
    return Agent.load(
        str(model),
        action_endpoint=EndpointConfig(url=action_url),
        generator=EndpointConfig(type="bot.nlg.SettingsResponseGenerator"),
    )


@pytest.fixture(scope="session")
def agent(trained_model, action_server):
    return load_agent(trained_model, action_server)


@pytest.fixture(scope="session")
def agent_without_actions(trained_model):
    # Nothing listens on port 9: every custom action call fails.
    return load_agent(trained_model, "http://127.0.0.1:9/webhook")


class Chat:
    def __init__(self, agent, loop):
        self.agent, self.loop, self.sender = agent, loop, f"test-{uuid.uuid4()}"

    def say(self, text):
        replies = self.loop.run_until_complete(self.agent.handle_text(text, sender_id=self.sender))
        return replies

    def events(self):
        tracker = self.loop.run_until_complete(self.agent.tracker_store.retrieve(self.sender))
        return list(tracker.events) if tracker else []

    def turn(self, text):
        """What the bot did for this message: its actions, each knowledge
        answer named in full (utter_ask_install/uninstall)."""
        before = len(self.events())
        self.say(text)
        events = self.events()[before:]
        done = []
        for event in events:
            if isinstance(event, ActionExecuted) and event.action_name != "action_listen":
                done.append(event.action_name)
            elif isinstance(event, BotUttered):
                answer = answer_of((event.metadata or {}).get("utter_action", ""))
                if answer and done and done[-1] == f"utter_{answer.split('/')[0]}":
                    done[-1] = f"utter_{answer}"
                elif answer:
                    done.append(f"utter_{answer}")
        return done

    @staticmethod
    def text(replies):
        return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture
def chat(agent, loop):
    return Chat(agent, loop)


def replies_text(replies):
    return Chat.text(replies)


def buttons(replies):
    return [b.get("payload") or b.get("url") for r in replies for b in r.get("buttons", [])]


def test_greeting_offers_topic_buttons(chat):
    assert "/ask_install" in buttons(chat.say("chào ad")) and "/ask_help" in buttons(chat.say("chào ad"))


def test_an_answer_carries_its_page_and_the_feedback_buttons(chat):
    replies = chat.say("cai bluezone o dau vay ad")
    assert "https://www.bluezone.gov.vn/taiapp" in buttons(replies) + [replies_text(replies)]
    assert '/affirm{"helpful": "yes"}' in buttons(replies) and '/deny{"helpful": "no"}' in buttons(replies)
    assert "hữu ích không" not in replies_text(replies)  # no separate feedback question


def test_the_answer_to_a_follow_up_offers_no_other_topic(chat):
    """The other-topic button is for a question the bot hesitated over, not
    for "vậy thì sao", answered from the conversation."""
    chat.say("bluezone có tốn pin không")
    replies = chat.say("vậy thì sao")
    payloads = [b for b in buttons(replies) if b.startswith("/")]
    assert '/affirm{"helpful": "yes"}' in payloads  # a knowledge answer
    assert [p for p in payloads if p.startswith(("/ask_", "/report_"))] == []


def test_old_android_gets_a_clear_no(chat):
    assert "Android 5.1 thấp hơn yêu cầu" in replies_text(
        chat.say("điện thoại tui android 5.1 có cài bluezone được hông")
    )


def test_ios_10_2_is_below_the_build_target(chat):
    assert "iOS 10.2 thấp hơn yêu cầu" in replies_text(chat.say("iphone ios 10.2 cài bluezone được không"))


def test_unfixed_app_error_is_escalated_to_the_hotline(chat):
    first = replies_text(chat.say("mở bluezone lên là bị văng ra hoài"))
    assert HOTLINE in first  # the steps end with the hotline themselves
    assert HOTLINE in replies_text(chat.say("/deny"))


def test_gibberish_is_not_answered_confidently(chat):
    replies = chat.say("xzqw plmk vbnr")
    assert "chưa hiểu" in replies_text(replies)
    assert HOTLINE in replies_text(replies)
    assert any(r.get("buttons") for r in replies)


def test_second_failure_in_a_row_hands_over(chat):
    chat.say("xzqw plmk vbnr")
    text = replies_text(chat.say("qwrt zxcv bnml"))
    assert HOTLINE in text
    assert "giờ làm việc" in text or "ngày nghỉ" in text


def test_static_answers_and_hotline_survive_a_dead_action_server(agent_without_actions, loop):
    chat = Chat(agent_without_actions, loop)
    assert "CH Play" in replies_text(chat.say("cài bluezone như thế nào"))
    assert HOTLINE in replies_text(chat.say("cho tôi số điện thoại tổng đài hỗ trợ"))


def conversation_stories():
    stories = yaml.safe_load(project_path("tests/test_conversations.yml").read_text(encoding="utf-8"))["stories"]
    return [pytest.param(s["steps"], id=s["story"]) for s in stories]


def matches(expected, done):
    """Expected actions in order; "utter_ask_x" accepts any answer of that
    topic, "not utter_ask_x/y" any knowledge answer but that one."""
    got = list(done)
    for want in expected:
        if want.startswith("not "):
            answers = [a for a in got if a.startswith("utter_") and "/" in a]
            if not answers or want[4:] in answers:
                return False
            continue
        found = next((i for i, a in enumerate(got) if a == want or a.startswith(want + "/")), None)
        if found is None:
            return False
        got = got[found + 1 :]
    return True


@pytest.mark.parametrize("steps", conversation_stories())
def test_conversation(chat, steps):
    """tests/test_conversations.yml, turn by turn."""
    turns = []
    for step in steps:
        if "user" in step:
            turns.append((step["user"], []))
        else:
            turns[-1][1].append(step["action"])
    for text, wanted in turns:
        done = chat.turn(text)
        assert matches(wanted, done), f"{text!r}: expected {wanted}, the bot did {done}"
