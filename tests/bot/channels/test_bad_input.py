"""Bad input on the public channels: each gets a polite answer or a clean
4xx, the server keeps running, and the conversation so far is kept."""

import asyncio
import json
import sqlite3
import urllib.error
import urllib.request
import uuid

import pytest

HOTLINE = "0299.3626800"
POLITE = ("Xin lỗi", HOTLINE)  # the fallback and out-of-scope answers say both

BAD_MESSAGES = {
    "empty": "",
    "spaces": "   \n\t ",
    "emoji only": "😀😀👍🙏",
    "punctuation only": "???!!!...",
    "20,000 characters": "bluezone " * 2222 + "xx",
    "a payload the bot never sent": "/delete_all_data",
    "control characters": "\x00\x07\x1b[31m",
}


def rest(bot, body: bytes, content_type="application/json"):
    request = urllib.request.Request(
        f"{bot.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def say(bot, sender, text):
    return rest(bot, json.dumps({"sender": sender, "message": text}).encode())


def user_texts(bot, sender):
    with sqlite3.connect(bot.tracker_db) as db:
        return [
            row[0]
            for row in db.execute(
                "SELECT json_extract(data, '$.text') FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                (sender,),
            )
        ]


@pytest.mark.parametrize("name", BAD_MESSAGES)
def test_rest_bad_message_gets_a_polite_answer_and_nothing_is_lost(running_bot, name):
    sender = f"bad-{uuid.uuid4().hex}"
    assert say(running_bot, sender, "cài bluezone ở đâu")[0] == 200
    status, replies = say(running_bot, sender, BAD_MESSAGES[name])
    assert status == 200
    text = " ".join(r.get("text") or "" for r in replies)
    assert all(part in text for part in POLITE), text
    assert say(running_bot, sender, "có tốn pin không")[0] == 200
    said = user_texts(running_bot, sender)
    assert said[0] == "cài bluezone ở đâu" and said[-1] == "có tốn pin không"
    assert running_bot.alive()


def test_a_real_payload_with_made_up_entities_is_answered_and_the_entities_ignored(running_bot):
    status, replies = say(running_bot, f"bad-{uuid.uuid4().hex}", '/ask_install{"admin": true, "device_os": "x"}')
    assert status == 200 and "CH Play" in " ".join(r.get("text") or "" for r in replies)


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"\xff\xfe not utf-8 \x80", "application/json"),
        (b'{"sender": "x", "message": ', "application/json"),
        (b"message=hello", "application/x-www-form-urlencoded"),
        (b"[]", "application/json"),
        (json.dumps({"message": "xin chào"}).encode(), "application/json"),  # whose conversation?
        (json.dumps({"sender": "x" * 300, "message": "xin chào"}).encode(), "application/json"),
        (json.dumps({"sender": "x", "message": {"text": "xin chào"}}).encode(), "application/json"),
    ],
)
def test_rest_malformed_request_gets_a_4xx_and_the_server_keeps_running(running_bot, body, content_type):
    status, _ = rest(running_bot, body, content_type)
    assert 400 <= status < 500
    assert say(running_bot, f"ok-{uuid.uuid4().hex}", "xin chào")[0] == 200


def test_socketio_bad_messages_get_polite_answers(running_bot):
    import socketio

    async def chat():
        client = socketio.AsyncClient()
        answers = asyncio.Queue()
        client.on("bot_uttered", lambda data: answers.put_nowait(data))
        await client.connect(running_bot.url, socketio_path="/socket.io", transports=["polling"])
        session = uuid.uuid4().hex
        await client.emit("session_request", {"session_id": session})
        got = {}
        for name in ("empty", "emoji only", "20,000 characters", "a payload the bot never sent"):
            await client.emit("user_uttered", {"message": BAD_MESSAGES[name], "session_id": session})
            said = [await asyncio.wait_for(answers.get(), 60)]
            try:  # the rest of this answer
                while True:
                    said.append(await asyncio.wait_for(answers.get(), 2))
            except asyncio.TimeoutError:
                pass
            got[name] = " ".join(m.get("text") or "" for m in said)
        await client.emit("user_uttered", {"message": None, "session_id": session})  # not even a string
        await client.disconnect()
        return got

    for name, text in asyncio.run(chat()).items():
        # Not understood: the fallback answer; twice in a row: the hotline.
        assert HOTLINE in text, (name, text)
    assert say(running_bot, f"ok-{uuid.uuid4().hex}", "xin chào")[0] == 200
