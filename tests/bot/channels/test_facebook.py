"""Messenger as Meta drives it: the verification handshake, signed and
unsigned webhooks, redeliveries, attachments and the hand-over to page
staff, against the real stack with a local fake Graph API."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid

import pytest

from bot.channels.delivery import not_text
from bot.channels.facebook import message_text, valid_signature
from bot.channels.messenger_output import MAX_QUICK_REPLIES, MAX_TITLE
from tests.stack import RunningBot, settled

SECRET = RunningBot.FB["FB_APP_SECRET"]
INSTALL_LINK = "https://www.bluezone.gov.vn/taiapp"


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def event(sender, text=None, mid=None, **message):
    if text is not None:
        message["text"] = text
    message.setdefault("mid", mid or f"m_{uuid.uuid4().hex}")
    return {"sender": {"id": sender}, "recipient": {"id": "PAGE"}, "timestamp": 1, "message": message}


def post(bot, *events, signature=None, body=None):
    body = (
        body
        if body is not None
        else json.dumps({"object": "page", "entry": [{"id": "PAGE", "time": 1, "messaging": list(events)}]}).encode()
    )
    headers = {"Content-Type": "application/json"}
    if signature is not False:
        headers["X-Hub-Signature-256"] = signature or sign(body)
    request = urllib.request.Request(f"{bot.url}/webhooks/facebook/webhook", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def replies(bot, sender, at_least=1, timeout=30.0, settle=1.5):
    """The messages sent to `sender`, once they have settled."""
    return settled(lambda: bot.graph.messages_to(sender), at_least, timeout, settle)


def texts(messages):
    return " ".join(m.get("text") or m.get("attachment", {}).get("payload", {}).get("text", "") for m in messages)


# --- pieces ---------------------------------------------------------------


def test_signature_is_hmac_sha256_of_the_body():
    body = b'{"object":"page"}'
    assert valid_signature(SECRET, body, sign(body))
    assert not valid_signature(SECRET, body + b" ", sign(body))
    assert not valid_signature(SECRET, body, sign(body, "other-secret"))
    assert not valid_signature(SECRET, body, "sha1=" + hmac.new(SECRET.encode(), body, hashlib.sha1).hexdigest())
    assert not valid_signature(SECRET, body, "")
    assert not valid_signature("", body, sign(body, ""))


@pytest.mark.parametrize(
    "event_, expected",
    [
        (event("u", "xin chào"), "xin chào"),
        (event("u", "Cài đặt", quick_reply={"payload": "/ask_install"}), "/ask_install"),
        ({"sender": {"id": "u"}, "postback": {"payload": "/ask_help", "mid": "p1"}}, "/ask_help"),
        (event("u", attachments=[{"type": "image", "payload": {"url": "https://x/y.jpg"}}]), not_text("image")),
        (event("u", attachments=[{"type": "location", "payload": {}}]), not_text("location")),
        (event("u", "echo", is_echo=True), None),
        ({"sender": {"id": "u"}, "read": {"watermark": 1}}, None),
    ],
)
def test_what_the_bot_reads_from_an_event(event_, expected):
    assert message_text(event_) == expected


# --- the real webhook -------------------------------------------------------


def get(bot, query):
    try:
        with urllib.request.urlopen(f"{bot.url}/webhooks/facebook/webhook?{query}", timeout=10) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_verification_handshake(running_bot):
    assert get(running_bot, "hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42") == (200, "42")
    assert get(running_bot, "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=42")[0] == 403


@pytest.mark.parametrize("signature", [False, "sha256=" + "0" * 64, "garbage"])
def test_unsigned_or_badly_signed_posts_get_403_and_no_answer(running_bot, signature):
    sender = f"u-{uuid.uuid4().hex}"
    status, _ = post(running_bot, event(sender, "cài bluezone ở đâu"), signature=signature)
    assert status == 403
    time.sleep(2)
    assert running_bot.graph.messages_to(sender) == []


def test_a_signed_question_is_answered_in_the_background_with_a_link_button(running_bot):
    sender = f"u-{uuid.uuid4().hex}"
    began = time.monotonic()
    assert post(running_bot, event(sender, "cài bluezone ở đâu")) == (200, "EVENT_RECEIVED")
    assert time.monotonic() - began < 2  # Meta has its 200 before the answer exists
    messages = replies(running_bot, sender)
    assert "CH Play" in texts(messages)
    # One message: the answer with its page as a template button, 👍 / 👎 as quick replies on it.
    buttons = [b for m in messages for b in m.get("attachment", {}).get("payload", {}).get("buttons", [])]
    assert {"type": "web_url", "title": "Trang tải Bluezone", "url": INSTALL_LINK} in buttons
    quick = [q["payload"] for m in messages for q in m.get("quick_replies", [])]
    assert quick == ['/affirm{"helpful": "yes"}', '/deny{"helpful": "no"}']


def test_a_redelivered_message_is_answered_once(running_bot):
    sender = f"u-{uuid.uuid4().hex}"
    question = event(sender, "bluezone có tốn pin không", mid="m_redelivered")
    assert post(running_bot, question)[0] == 200
    first = replies(running_bot, sender)
    assert post(running_bot, question)[0] == 200  # Meta's retry
    assert replies(running_bot, sender, settle=3) == first


def test_a_greeting_offers_topics_as_quick_replies(running_bot):
    sender = f"u-{uuid.uuid4().hex}"
    post(running_bot, event(sender, "xin chào"))
    quick = [r for m in replies(running_bot, sender) for r in m.get("quick_replies", [])]
    assert 0 < len(quick) <= MAX_QUICK_REPLIES
    assert all(len(r["title"]) <= MAX_TITLE for r in quick)
    assert {"content_type": "text", "title": "Cài đặt Bluezone", "payload": "/ask_install"} in quick


@pytest.mark.parametrize(
    "attachment",
    [
        {"type": "image", "payload": {"url": "https://scontent.xx.fbcdn.net/photo.jpg"}},
        {"type": "location", "payload": {"coordinates": {"lat": 9.6, "long": 105.97}}},
    ],
)
def test_an_attachment_gets_the_polite_text_only_answer(running_bot, attachment):
    sender = f"u-{uuid.uuid4().hex}"
    assert post(running_bot, event(sender, attachments=[attachment]))[0] == 200
    assert "chỉ đọc được tin nhắn chữ" in texts(replies(running_bot, sender))


def test_a_sticker_gets_an_answer_too(running_bot):
    sender = f"u-{uuid.uuid4().hex}"
    sticker = event(
        sender,
        sticker_id=369239263222822,
        attachments=[{"type": "image", "payload": {"url": "https://x/like.png", "sticker_id": 369239263222822}}],
    )
    post(running_bot, sticker)
    assert "chỉ đọc được tin nhắn chữ" in texts(replies(running_bot, sender))


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"object": "user"}', '{"x": "\xff"}'.encode("latin-1")])
def test_signed_garbage_gets_400_and_the_server_keeps_running(running_bot, body):
    status, _ = post(running_bot, body=body)
    assert status == 400
    assert running_bot.alive()


def test_asking_for_a_person_hands_the_conversation_to_page_staff(running_bot):
    sender = f"u-{uuid.uuid4().hex}"
    post(running_bot, event(sender, "cho tôi gặp nhân viên"))
    assert "chuyển cuộc trò chuyện này cho cán bộ" in texts(replies(running_bot, sender))
    answered = len(running_bot.graph.messages_to(sender))

    post(running_bot, event(sender, "cài bluezone ở đâu"))  # staff answer this one, not the bot
    assert len(replies(running_bot, sender, at_least=0, settle=4)) == answered

    staff = {
        "sender": {"id": "PAGE"},
        "recipient": {"id": sender},
        "timestamp": 2,
        "message": {"mid": f"m_{uuid.uuid4().hex}", "text": "#bot", "is_echo": True},
    }
    post(running_bot, staff)
    time.sleep(1)
    post(running_bot, event(sender, "cài bluezone ở đâu"))
    assert "CH Play" in texts(replies(running_bot, sender, at_least=answered + 1)[answered:])
