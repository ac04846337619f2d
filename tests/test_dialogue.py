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
from rasa.core.agent import Agent
from rasa.utils.endpoints import EndpointConfig

from bot.launcher import free_port

HOTLINE = "0299.3626800"



@pytest.fixture(scope="session")
def action_server():
    port = free_port()
    rasa = Path(sys.executable).with_name("rasa")
    process = subprocess.Popen(
        [str(rasa), "run", "actions", "--actions", "actions", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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

    @staticmethod
    def text(replies):
        return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture
def chat(agent, loop):
    return Chat(agent, loop)


def test_greeting_offers_topic_buttons(chat):
    replies = chat.say("chào ad")
    buttons = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert "/ask_install" in buttons and "/ask_help" in buttons


def test_install_question_without_diacritics_gets_steps_and_link(chat):
    text = Chat.text(chat.say("cai bluezone o dau vay ad"))
    assert "CH Play" in text
    assert "https://www.bluezone.gov.vn/taiapp" in text


def test_old_android_gets_a_clear_no(chat):
    text = Chat.text(chat.say("điện thoại tui android 5.1 có cài bluezone được hông"))
    assert "Android 5.1 thấp hơn yêu cầu" in text


@pytest.mark.parametrize(
    "follow_up", ["thế còn số điện thoại của tôi thì sao?", "the con sdt cua toi thi sao"]
)
def test_privacy_follow_up_about_the_phone_number(chat, follow_up):
    chat.say("bluezone có theo dõi vị trí của tôi không")
    assert Chat.text(chat.say(follow_up)).startswith("Về số điện thoại")
    assert Chat.text(chat.say("còn vị trí thì sao")).startswith("Về vị trí")


def test_the_same_words_without_privacy_context_are_not_a_privacy_answer(chat):
    chat.say("chào ad")
    assert not Chat.text(chat.say("thế còn số điện thoại của tôi thì sao?")).startswith("Về")


def test_unfixed_app_error_is_escalated_to_the_hotline(chat):
    first = Chat.text(chat.say("mở bluezone lên là bị văng ra hoài"))
    assert "Bật Bluetooth" in first
    assert HOTLINE in Chat.text(chat.say("/affirm"))


def test_gibberish_is_not_answered_confidently(chat):
    replies = chat.say("xzqw plmk vbnr")
    assert "chưa hiểu" in Chat.text(replies)
    assert HOTLINE in Chat.text(replies)
    assert any(r.get("buttons") for r in replies)


def test_second_failure_in_a_row_hands_over(chat):
    chat.say("xzqw plmk vbnr")
    text = Chat.text(chat.say("qwrt zxcv bnml"))
    assert HOTLINE in text
    assert "giờ làm việc" in text


def test_static_answers_and_hotline_survive_a_dead_action_server(agent_without_actions, loop):
    chat = Chat(agent_without_actions, loop)
    assert "CH Play" in Chat.text(chat.say("cài bluezone như thế nào"))
    assert HOTLINE in Chat.text(chat.say("cho tôi số điện thoại tổng đài hỗ trợ"))
