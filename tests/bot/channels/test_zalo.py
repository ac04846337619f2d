"""Zalo as Zalo drives it: signed and unsigned events, replays,
redeliveries, stickers, hostile bodies, the token renewal and the
hand-over to OA staff, against the real stack with a local fake OA API."""

import asyncio
import hashlib
import json
import time
import urllib.error
import urllib.request
import uuid

import pytest

from bot.analytics.conversations import read_turns
from bot.channels.zalo import citizen_message, signature
from bot.channels.zalo_output import MAX_BUTTONS, MAX_TEXT, ZaloOutput
from tests.stack import RunningBot, settled

OA_ID = "oa-1"
STICKER = '/out_of_scope{"attachment": "sticker"}'


def now_ms() -> str:
    return str(int(time.time() * 1000))


def text_event(user, text, msg_id=None, timestamp=None):
    return {
        "app_id": "zalo-app-id",
        "event_name": "user_send_text",
        "timestamp": timestamp or now_ms(),
        "sender": {"id": user},
        "recipient": {"id": OA_ID},
        "user_id_by_app": f"app-{user}",
        "message": {"text": text, "msg_id": msg_id or f"msg-{uuid.uuid4().hex}"},
    }


def sign(body: bytes, timestamp: str, key: str = RunningBot.ZALO_OA_SECRET_KEY) -> str:
    return signature("zalo-app-id", body, timestamp, key)


def post(bot, event=None, body=None, header=None):
    body = body if body is not None else json.dumps(event, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if header is not False:
        headers["X-ZEvent-Signature"] = sign(body, str(event["timestamp"])) if header is None else header
    request = urllib.request.Request(f"{bot.url}/webhooks/zalo/webhook", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def replies(bot, user, at_least=1, timeout=30.0, settle=1.5):
    """The texts sent to `user`, once they have settled."""
    return settled(lambda: bot.zalo.texts_to(user), at_least, timeout, settle)


def new_user():
    return f"zalo-user-{uuid.uuid4().hex[:12]}"


# --- pieces ---------------------------------------------------------------


def test_signature_is_sha256_of_app_id_body_timestamp_and_oa_key():
    body, timestamp = b'{"event_name":"user_send_text"}', "1700000000000"
    expected = hashlib.sha256(b"zalo-app-id" + body + b"1700000000000" + b"key").hexdigest()
    assert signature("zalo-app-id", body, timestamp, "key") == f"mac={expected}"
    assert signature("zalo-app-id", body + b" ", timestamp, "key") != f"mac={expected}"


@pytest.mark.parametrize(
    "event, expected",
    [
        ({"event_name": "user_send_text", "message": {"text": "cài ở đâu"}}, "cài ở đâu"),
        ({"event_name": "user_send_text", "message": {"text": "   "}}, None),
        ({"event_name": "user_send_sticker", "message": {"attachments": [{"type": "sticker"}]}}, STICKER),
        ({"event_name": "user_send_location", "message": {}}, '/out_of_scope{"attachment": "location"}'),
        ({"event_name": "user_seen_message", "message": {"msg_ids": ["a"]}}, None),
        ({"event_name": "follow", "follower": {"id": "u"}}, None),
        ({"event_name": "user_send_text", "message": {"text": ["not", "text"]}}, None),
        ({"event_name": 5}, None),
    ],
)
def test_what_a_citizen_sent(event, expected):
    assert citizen_message(event) == expected


# --- against the running bot ---------------------------------------------


def test_a_signed_question_is_answered_through_the_oa_api(running_bot):
    user = new_user()
    assert post(running_bot, text_event(user, "Bluezone có tốn pin không?")) == 200
    texts = replies(running_bot, user)
    assert texts and "pin" in " ".join(texts).lower()
    assert all(len(text) <= running_bot.zalo.MAX_TEXT for text in texts)


@pytest.mark.parametrize("header", [False, "mac=" + "0" * 64, "sha256=abc", ""])
def test_a_missing_or_wrong_signature_is_refused(running_bot, header):
    user = new_user()
    assert post(running_bot, text_event(user, "chào"), header=header) == 403
    time.sleep(1)
    assert running_bot.zalo.texts_to(user) == []


def test_a_signature_with_another_key_is_refused(running_bot):
    event = text_event(new_user(), "chào")
    body = json.dumps(event).encode()
    assert post(running_bot, body=body, header=sign(body, event["timestamp"], "other-key")) == 403


def test_an_old_event_is_refused_as_a_replay(running_bot):
    user = new_user()
    two_days_ago = str(int((time.time() - 2 * 86400) * 1000))
    assert post(running_bot, text_event(user, "chào", timestamp=two_days_ago)) == 403
    time.sleep(1)
    assert running_bot.zalo.texts_to(user) == []


def test_a_redelivered_event_is_answered_once(running_bot):
    user = new_user()
    event = text_event(user, "Cài Bluezone ở đâu?")
    assert [post(running_bot, event) for _ in range(3)] == [200, 200, 200]
    once = replies(running_bot, user)
    assert once
    time.sleep(2)
    assert running_bot.zalo.texts_to(user) == once


def test_a_sticker_gets_a_polite_answer_and_receipts_get_none(running_bot):
    user = new_user()
    sticker = dict(
        text_event(user, ""),
        event_name="user_send_sticker",
        message={"msg_id": f"msg-{uuid.uuid4().hex}", "attachments": [{"type": "sticker"}]},
    )
    seen = dict(text_event(user, ""), event_name="user_seen_message", message={"msg_ids": ["x"]})
    assert post(running_bot, seen) == 200
    assert post(running_bot, sticker) == 200
    texts = replies(running_bot, user)
    assert len(texts) == 1 and "chỉ đọc được tin nhắn chữ" in texts[0]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"[]",
        b"{",
        b'"text"',
        '{"event_name": "user_send_text"}'.encode(),
        b'{"event_name": "user_send_text", "timestamp": {"a": 1}}',
        b"\xff\xfe",
        b"{}" * 5000,
        b"[" * 20000 + b"]" * 20000,
    ],
)
def test_hostile_bodies_never_cause_a_server_error(running_bot, body):
    status = post(running_bot, body=body, header="mac=" + "0" * 64)
    assert 400 <= status < 500


def test_a_signed_event_of_odd_shape_is_ignored_without_error(running_bot):
    event = {
        "event_name": "user_send_text",
        "timestamp": now_ms(),
        "sender": "not-an-object",
        "message": {"text": 42, "msg_id": ["x"]},
    }
    assert post(running_bot, event) == 200


def test_choices_are_zalo_buttons_and_a_click_picks_one(running_bot):
    user = new_user()
    assert post(running_bot, text_event(user, "Bluezone có tốn pin không?")) == 200
    texts = replies(running_bot, user)
    assert all(len(text) <= running_bot.zalo.MAX_TEXT for text in texts)
    feedback = [b for buttons in running_bot.zalo.buttons_to(user) for b in buttons if "👎" in b["title"]]
    assert len(feedback) == 1 and feedback[0]["type"] == "oa.query.show"
    # A click on oa.query.show reaches the OA as the citizen's text: the payload.
    assert post(running_bot, text_event(user, feedback[0]["payload"])) == 200
    after = replies(running_bot, user, at_least=len(texts) + 1)[len(texts) :]
    assert "chưa giúp được" in " ".join(after)


def test_where_zalo_refuses_buttons_the_choices_come_numbered(running_bot):
    running_bot.zalo.refuse_buttons = True
    try:
        user = new_user()
        assert post(running_bot, text_event(user, "Bluezone có tốn pin không?")) == 200
        texts = replies(running_bot, user)
        numbered = [line for line in "\n".join(texts).splitlines() if line[:3] in ("1. ", "2. ")]
        assert len(numbered) == 2 and "👎" in numbered[1]  # the answer's 👍 / 👎
        assert post(running_bot, text_event(user, "2")) == 200
        after = replies(running_bot, user, at_least=len(texts) + 1)[len(texts) :]
        assert "chưa giúp được" in " ".join(after)
    finally:
        running_bot.zalo.refuse_buttons = False


class RecordingApi:
    """Zalo's send, recorded; refuses messages with buttons when told to."""

    def __init__(self, refuse_buttons=False):
        self.sent, self.refuse_buttons = [], refuse_buttons

    async def send(self, user_id, message):
        if self.refuse_buttons and "attachment" in message:
            return None
        self.sent.append(message)
        return f"m{len(self.sent)}"


LONG_TEXT = " ".join(f"từ{n}" for n in range(1200))
TOPICS = [{"title": f"Chủ đề {n}", "payload": f"/topic_{n}"} for n in range(1, 8)]
LINK = {"title": "Trang Bluezone", "url": "https://bluezone.gov.vn"}


def test_a_long_answer_is_cut_and_every_button_fits_zalos_limits():
    api = RecordingApi()
    asyncio.run(ZaloOutput(api).send_text_with_buttons("u", LONG_TEXT, [LINK, *TOPICS]))
    texts = [m["text"] for m in api.sent]
    assert len(texts) > 2 and all(len(t) <= MAX_TEXT for t in texts)
    assert " ".join(texts).split()[:1200] == LONG_TEXT.split()  # nothing lost
    buttons = [b for m in api.sent for b in (m.get("attachment") or {}).get("payload", {}).get("buttons", [])]
    assert all(len((m.get("attachment") or {}).get("payload", {}).get("buttons", [])) <= MAX_BUTTONS for m in api.sent)
    assert [b["title"] for b in buttons] == ["Trang Bluezone", *(t["title"] for t in TOPICS)]  # all, in order
    assert buttons[0] == {
        "title": "Trang Bluezone",
        "type": "oa.open.url",
        "payload": {"url": "https://bluezone.gov.vn"},
    }
    assert buttons[1] == {"title": "Chủ đề 1", "type": "oa.query.show", "payload": "Chủ đề 1"}


def test_refused_buttons_are_written_out_and_numbered_across_the_turn():
    api = RecordingApi(refuse_buttons=True)
    output = ZaloOutput(api)
    asyncio.run(output.send_text_with_buttons("u", "Chọn chủ đề:", [LINK, *TOPICS[:2]]))
    asyncio.run(output.send_text_with_buttons("u", "Có hữu ích không?", [{"title": "👍 Có", "payload": "/affirm"}]))
    joined = "\n".join(m["text"] for m in api.sent)
    assert "🔗 Trang Bluezone: https://bluezone.gov.vn" in joined
    assert "1. Chủ đề 1" in joined and "2. Chủ đề 2" in joined and "3. 👍 Có" in joined  # numbers run on


def test_an_expired_token_is_renewed_and_the_message_still_sent(running_bot):
    zalo = running_bot.zalo
    assert post(running_bot, text_event(new_user(), "xin chào")) == 200  # the chain has started
    time.sleep(2)
    renewals = len(zalo.renewals)
    zalo.expire_access_token()
    user = new_user()
    assert post(running_bot, text_event(user, "Bluezone có miễn phí không?")) == 200
    assert replies(running_bot, user)
    assert len(zalo.renewals) == renewals + 1
    assert zalo.sent[-1]["token"] == zalo.access_token


def test_the_stored_refresh_token_is_private_and_never_logged(running_bot):
    assert post(running_bot, text_event(new_user(), "chào bạn")) == 200
    time.sleep(2)
    token_file = running_bot.logs / "zalo-token.json"
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"
    assert json.loads(token_file.read_text())["refresh_token"] == running_bot.zalo.refresh_token
    logs = (running_bot.logs / "rasa.log").read_text(errors="replace")
    assert running_bot.zalo.refresh_token not in logs and running_bot.zalo.access_token not in logs


def test_staff_take_over_in_the_oa_chat_and_give_it_back(running_bot):
    user = new_user()
    assert post(running_bot, text_event(user, "cho tôi gặp nhân viên")) == 200
    handed = replies(running_bot, user)
    assert "chuyển cuộc trò chuyện này cho cán bộ" in " ".join(handed)
    assert post(running_bot, text_event(user, "Bluezone có tốn pin không?")) == 200
    time.sleep(3)
    assert running_bot.zalo.texts_to(user) == handed  # staff answer now, not the bot
    staff = {
        "app_id": "zalo-app-id",
        "event_name": "oa_send_text",
        "timestamp": now_ms(),
        "sender": {"id": OA_ID},
        "recipient": {"id": user},
        "message": {"text": "#bot", "msg_id": "s1"},
    }
    assert post(running_bot, staff) == 200
    time.sleep(2)
    assert post(running_bot, text_event(user, "Bluezone có tốn pin không?")) == 200
    assert len(replies(running_bot, user, at_least=len(handed) + 1)) > len(handed)


def test_the_staff_report_counts_zalo_conversations(running_bot):
    user = new_user()
    assert post(running_bot, text_event(user, "Bluezone là gì?")) == 200
    assert replies(running_bot, user)
    turns = [t for t in read_turns(f"sqlite:///{running_bot.tracker_db}") if t.sender_id == user]
    assert turns and {t.channel for t in turns} == {"Zalo"}
