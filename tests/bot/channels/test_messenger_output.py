"""Answers sent to Messenger stay within its limits."""

import asyncio

import pytest

from bot.channels.messenger_output import (
    MAX_QUICK_REPLIES,
    MAX_TEMPLATE_BUTTONS,
    MAX_TEXT,
    MAX_TITLE,
    GraphMessengerOutput,
)
from tests.stack import FakeGraphApi

TOPICS = [{"title": f"Chủ đề số {n} khá là dài", "payload": f"/topic_{n}"} for n in range(20)]


@pytest.fixture
def graph():
    fake = FakeGraphApi()
    yield fake
    fake.close()


def send(graph, method, *args):
    output = GraphMessengerOutput(graph.url, "page-token")
    asyncio.run(getattr(output, method)("citizen", *args))
    return graph.messages_to("citizen")


def test_text_goes_out_in_pieces_with_the_page_token(graph):
    messages = send(graph, "send_text_message", "x " * 2500)
    assert len(messages) == 3 and all(len(m["text"]) <= MAX_TEXT for m in messages)
    assert graph.received[0]["auth"] == "Bearer page-token"
    assert graph.received[0]["path"] == "/v19.0/me/messages"


def test_topic_buttons_become_at_most_13_short_quick_replies(graph):
    [message] = send(graph, "send_text_with_buttons", "Chọn chủ đề", TOPICS)
    replies = message["quick_replies"]
    assert len(replies) == MAX_QUICK_REPLIES
    assert all(len(r["title"]) <= MAX_TITLE for r in replies)
    assert replies[0]["payload"] == "/topic_0"


def test_links_become_a_button_template_of_at_most_3(graph):
    links = [{"title": f"Trang {n}", "type": "web_url", "url": f"https://bluezone.gov.vn/{n}"} for n in range(5)]
    [message] = send(graph, "send_text_with_buttons", "Xem thêm", links)
    template = message["attachment"]["payload"]
    assert template["template_type"] == "button"
    assert len(template["buttons"]) == MAX_TEMPLATE_BUTTONS
    assert template["buttons"][0] == {"type": "web_url", "title": "Trang 0", "url": "https://bluezone.gov.vn/0"}
