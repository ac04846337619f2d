"""The staff report on a conversation store filled by the real stack (REST,
web chat and Messenger, with the action server): its figures match the
stored events, counted here independently with SQL."""

import asyncio
import base64
import re
import sqlite3
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.analytics.conversations import read_turns
from bot.analytics.report import render
from bot.analytics.summary import summarise
from bot.settings import load_settings
from tests.bot.channels.test_bad_input import say
from tests.bot.channels.test_facebook import event, post, replies
from tests.stack import RunningBot

PHONE = "0912345678"


def web_chat(bot, session, texts):
    import socketio

    async def chat():
        client = socketio.AsyncClient()
        answers = asyncio.Queue()
        client.on("bot_uttered", lambda data: answers.put_nowait(data))
        await client.connect(bot.url, socketio_path="/socket.io", transports=["polling"])
        await client.emit("session_request", {"session_id": session})
        for text in texts:
            await client.emit("user_uttered", {"message": text, "session_id": session})
            await asyncio.wait_for(answers.get(), 60)
            await asyncio.sleep(2)  # the rest of the answer
        await client.disconnect()

    asyncio.run(chat())


@pytest.fixture(scope="module")
def run(running_bot):
    """Four citizens on three channels; returns what the report should show."""
    started = time.time()
    tag = uuid.uuid4().hex[:8]
    rest_a, rest_b, messenger, web = f"rpt-a-{tag}", f"rpt-b-{tag}", f"rpt-c-{tag}", uuid.uuid4().hex
    assert say(running_bot, rest_a, "xin chào")[0] == 200
    status, answer = say(running_bot, rest_a, "cài bluezone ở đâu")
    assert status == 200
    # The citizen clicks 👍 under the answer, asks again, then types a bare
    # "không" under that answer: a 👎.
    [yes] = [
        b["payload"]
        for m in answer
        for b in m.get("buttons") or []
        if b["title"] == load_settings().feedback_titles["yes"]
    ]
    for text in [yes, "có tốn pin không", "không"]:
        assert say(running_bot, rest_a, text)[0] == 200
    # Out of scope, then not understood twice in a row: the hotline.
    for text in ["thời tiết sóc trăng hôm nay thế nào", "😀😀", PHONE]:
        assert say(running_bot, rest_b, text)[0] == 200
    assert post(running_bot, event(messenger, "tôi muốn gặp nhân viên"))[0] == 200
    assert replies(running_bot, messenger, at_least=2)
    web_chat(running_bot, web, ["bluezone là gì"])
    turns = [
        t
        for t in read_turns(f"sqlite:///{running_bot.tracker_db}", since=started)
        if t.sender_id in {rest_a, rest_b, messenger, web}
    ]
    return running_bot, turns, {"rest_a": rest_a, "rest_b": rest_b, "messenger": messenger, "web": web}


def stored(bot, senders, sql):
    marks = ",".join("?" * len(senders))
    with sqlite3.connect(bot.tracker_db) as db:
        return db.execute(sql.replace("SENDERS", marks), list(senders)).fetchall()


def test_the_figures_match_the_stored_events(run):
    bot, turns, who = run
    settings = load_settings()
    summary = summarise(turns, settings.report, ZoneInfo(settings.office_hours.timezone))
    senders = list(who.values())

    [(messages,)] = stored(
        bot, senders, "SELECT COUNT(*) FROM events WHERE type_name = 'user' AND sender_id IN (SENDERS)"
    )
    assert summary.messages == messages == 10
    assert summary.conversations == 4
    channels = dict(
        stored(
            bot,
            senders,
            "SELECT json_extract(data, '$.input_channel'), COUNT(*) FROM events "
            "WHERE type_name = 'user' AND sender_id IN (SENDERS) GROUP BY 1",
        )
    )
    assert channels == {"rest": 8, "facebook": 1, "socketio": 1}
    assert dict(summary.channels) == {"REST": 8, "Messenger": 1, "Web": 1}
    intents = dict(
        stored(
            bot,
            senders,
            "SELECT intent_name, COUNT(*) FROM events WHERE type_name = 'user' AND sender_id IN (SENDERS) GROUP BY 1",
        )
    )
    # The yes button and the typed "không" are votes on an answer: not topics.
    intents["affirm"] -= 1
    intents["deny"] -= 1
    assert dict(summary.intents) == {k: n for k, n in intents.items() if n}
    assert intents["nlu_fallback"] == 2 and intents["request_human"] == 1 and intents["ask_install"] == 1
    [(escalations,)] = stored(
        bot, senders, "SELECT COUNT(*) FROM events WHERE action_name = 'action_escalate' AND sender_id IN (SENDERS)"
    )
    assert summary.escalations == escalations == 2
    feedback = stored(
        bot,
        senders,
        "SELECT json_extract(data, '$.value') FROM events WHERE type_name = 'slot' "
        "AND json_extract(data, '$.name') = 'feedback' AND sender_id IN (SENDERS) ORDER BY id",
    )
    assert feedback == [("yes",), ("no",)]
    assert (summary.helpful, summary.not_helpful) == (1, 1)
    assert summary.feedback_by_topic == {"ask_battery_data": (0, 1), "ask_install": (1, 0)}
    # The button's payload reached Rasa whole (its braces are not a {placeholder}).
    assert "interpolator" not in (bot.logs / "rasa.log").read_text(encoding="utf-8", errors="replace")
    [today] = summary.days
    assert (today.messages, today.conversations, today.fallbacks, today.escalations) == (10, 4, 2, 2)
    assert today.out_of_scope == intents.get("out_of_scope", 0)
    missed = {text for group in summary.missed_groups for text, _ in group.texts}
    assert {"😀😀", "<phone>"} <= missed and "thời tiết sóc trăng hôm nay thế nào" in missed


def test_the_html_report_shows_them_with_personal_data_masked(run):
    _, turns, _ = run
    settings = load_settings()
    zone = ZoneInfo(settings.office_hours.timezone)
    page = render(summarise(turns, settings.report, zone), settings, "hôm nay", datetime.now(zone))
    assert "<b>4</b>cuộc trò chuyện" in page and "<b>10</b>tin nhắn" in page
    assert "<b>2</b>lần chuyển đường dây nóng" in page
    assert "&lt;phone&gt;" in page and PHONE not in page
    # Self-contained: inline SVG charts, nothing loaded from another host.
    assert page.count("<svg") == 2 and not re.search(r"""(src|href)=["']?https?:|@import""", page)
    assert settings.report.topic("ask_install") in page  # staff see topic names, not intents


def admin_get(bot, authorization=None, query=""):
    request = urllib.request.Request(f"{bot.url}/admin/report{query}")
    if authorization:
        request.add_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, dict(reply.headers), reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def basic(password, user="canbo"):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_the_admin_page_needs_the_token(run):
    bot = run[0]
    status, headers, _ = admin_get(bot)
    assert status == 401 and headers["WWW-Authenticate"].startswith("Basic")
    assert admin_get(bot, basic("wrong-password"))[0] == 401
    assert admin_get(bot, query=f"?token={RunningBot.ADMIN_TOKEN}")[0] == 401
    status, headers, page = admin_get(bot, basic(RunningBot.ADMIN_TOKEN))
    assert status == 200 and "Báo cáo trợ lý Bluezone" in page
    assert headers["Cache-Control"] == "no-store" and "default-src 'none'" in headers["Content-Security-Policy"]
    assert PHONE not in page and "&lt;phone&gt;" in page
    assert admin_get(bot, f"Bearer {RunningBot.ADMIN_TOKEN}", "?since=2021-02-01")[0] == 200
    assert admin_get(bot, f"Bearer {RunningBot.ADMIN_TOKEN}", "?since=yesterday")[0] == 400


def test_password_guessing_is_slowed_down(run):
    """Last in this module: it uses up the address's attempts for a minute."""
    bot = run[0]
    statuses = [admin_get(bot, basic(f"guess-{i}"))[0] for i in range(25)]
    assert statuses[0] == 401 and statuses[-1] == 429
    status, headers, _ = admin_get(bot, basic(RunningBot.ADMIN_TOKEN))
    assert status == 429 and headers["Retry-After"] == "60"
