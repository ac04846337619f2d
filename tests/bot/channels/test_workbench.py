"""The staff workbench on the real stack: try a conversation and see what
the bot made of each turn; staff only; trials stay out of the citizens'
conversation store."""

import base64
import contextlib
import json
import sqlite3
import urllib.error
import urllib.request
import uuid

import pytest
import yaml
from playwright.sync_api import expect, sync_playwright

from bot import audit
from bot.channels.staff_access import CSRF_HEADER
from tests.bot.channels.test_webpage import CHROMIUM, CHROMIUM_ARGS
from tests.stack import RunningBot


@contextlib.contextmanager
def staff_browser(bot, name="canbo"):
    """Chromium (Debian's) logged in to the staff pages as `name`."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(http_credentials={"username": name, "password": RunningBot.ADMIN_TOKEN})
            page = context.new_page()
            page.goto(f"{bot.url}/admin/")
            yield browser, page
        finally:
            browser.close()


def say(bot, message, conversation=None, authorization=None, extra_headers=None, body=None):
    data = body if body is not None else json.dumps({"conversation": conversation, "message": message}).encode()
    request = urllib.request.Request(f"{bot.url}/admin/api/say", data=data, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", authorization or f"Bearer {RunningBot.ADMIN_TOKEN}")
    for name, value in (extra_headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_a_trial_turn_shows_the_answer_and_what_the_bot_understood(running_bot):
    conversation = uuid.uuid4().hex
    status, turn = say(running_bot, "cài bluezone ở đâu", conversation)
    assert status == 200
    assert "CH Play" in " ".join(m.get("text") or "" for m in turn["answers"])
    [question] = turn["questions"]
    assert question["topic"]["intent"] == "ask_install" and question["topic"]["topic"] == "Cài đặt"
    assert 0 < question["topic"]["confidence"] <= 1
    assert all(r["confidence"] <= question["topic"]["confidence"] for r in question["runners_up"])
    assert any(step["policy"] for step in turn["steps"])
    # The same conversation goes on: two questions in one are both read.
    status, turn = say(running_bot, "Bluezone có tốn pin không? Có cần bật định vị không?", conversation)
    assert status == 200 and len(turn["questions"]) == 2


def test_trials_stay_out_of_the_citizens_conversation_store(running_bot):
    conversation = uuid.uuid4().hex
    assert say(running_bot, "xin chào", conversation)[0] == 200
    with sqlite3.connect(running_bot.tracker_db) as db:
        rows = db.execute("SELECT COUNT(*) FROM events WHERE sender_id LIKE ?", (f"%{conversation}%",)).fetchone()
    assert rows == (0,)


BAD_BODIES = {
    "empty": b"",
    "not json": b"not json",
    "a list": b"[]",
    "a path for a conversation": b'{"conversation": "../x", "message": "hi"}',
    "an empty message": b'{"conversation": "a", "message": ""}',
    "a message too long": json.dumps({"conversation": "a", "message": "x" * 2001}).encode(),
    "nested deeper than Python parses": b"[" * 50_000,
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_a_bad_request_gets_4xx_and_the_server_keeps_running(running_bot, name):
    assert say(running_bot, None, body=BAD_BODIES[name])[0] in (400, 413)
    assert running_bot.alive()


def basic(password):
    return "Basic " + base64.b64encode(f"canbo:{password}".encode()).decode()


def test_staff_only_and_no_change_from_another_site(running_bot):
    assert say(running_bot, "xin chào", "a", authorization="Bearer wrong-token-123")[0] == 401
    # Nobody but staff (or a peer server with the token) makes a server reload its model.
    reload = urllib.request.Request(f"{running_bot.url}/admin/api/reload", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(reload, timeout=10)
    assert refused.value.code == 401
    # The browser's own credentials without the page's CSRF token: refused.
    assert say(running_bot, "xin chào", "a", authorization=basic(RunningBot.ADMIN_TOKEN))[0] == 403
    page = urllib.request.Request(f"{running_bot.url}/admin/")
    page.add_header("Authorization", basic(RunningBot.ADMIN_TOKEN))
    with urllib.request.urlopen(page, timeout=10) as reply:
        headers, html = reply.headers, reply.read().decode()
    assert headers["Cache-Control"] == "no-store" and "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    [csrf] = [line.split('content="')[1].split('"')[0] for line in html.splitlines() if "csrf-token" in line]
    status, _ = say(
        running_bot, "xin chào", "a", authorization=basic(RunningBot.ADMIN_TOKEN), extra_headers={CSRF_HEADER: csrf}
    )
    assert status == 200


def test_staff_try_a_conversation_in_the_browser(running_bot):
    with staff_browser(running_bot) as (browser, page):
        assert browser.new_context().request.get(f"{running_bot.url}/admin/").status == 401
        outside = []
        page.on("request", lambda r: None if r.url.startswith(running_bot.url) else outside.append(r.url))
        page.reload()
        page.get_by_label("Tin nhắn của người dân").fill("xin chào")
        page.get_by_role("button", name="Gửi").click()
        first = page.locator(".turn").first
        expect(first).to_contain_text("Người dân: xin chào", timeout=30_000)
        expect(first.locator(".details")).to_contain_text("[greet]")
        # A topic button under the greeting, pressed as a citizen would.
        first.get_by_role("button", name="Cài đặt Bluezone").click()
        second = page.locator(".turn").nth(1)
        expect(second).to_contain_text("CH Play", timeout=30_000)
        expect(second.locator(".details")).to_contain_text("Cài đặt")
        assert outside == []


def test_staff_label_a_missed_question_in_the_browser(running_bot):
    from tests.bot.channels.test_bad_input import say as citizen_says

    tag = uuid.uuid4().hex[:6]
    question = f"máy gặt lúa {tag} giá bao nhiêu"
    assert citizen_says(running_bot, f"citizen-{tag}", question)[0] == 200
    with staff_browser(running_bot, "Chị Lan") as (_, page):
        page.get_by_role("button", name="Xem danh sách").click()
        group = page.locator("li.missed").filter(has_text=question)
        expect(group).to_be_visible(timeout=30_000)
        group.locator("details").click()
        expect(group.locator("li.this")).to_contain_text(question)
        group.get_by_label("Nhóm câu hỏi đúng").select_option("out_of_scope")
        group.get_by_role("button", name="Lưu").click()
        expect(group.get_by_role("status")).to_contain_text("Đã lưu", timeout=30_000)
    saved = (running_bot.nlu_dir / "out_of_scope.yml").read_text(encoding="utf-8")
    assert f"    - {question}\n" in saved
    entry = [e for e in audit.entries() if e.get("text") == question]
    assert entry and entry[-1]["who"] == "Chị Lan" and entry[-1]["label"] == "out_of_scope"
    # Taught now: it leaves the list, and a second save is refused.
    status, body = say_label(running_bot, question, "out_of_scope")
    assert status == 400 and "đã học" in body["error"]
    request = urllib.request.Request(
        f"{running_bot.url}/admin/api/missed", headers={"Authorization": f"Bearer {RunningBot.ADMIN_TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        groups = json.loads(reply.read())["groups"]
    assert all(question not in [text for text, _ in group["texts"]] for group in groups)


def test_staff_edit_an_answer_with_its_placeholders_in_the_browser(running_bot):
    key = "utter_ask_install/download_link"
    new = "Tải Bluezone tại {link_download}. Cần giúp, gọi {hotline}."
    with staff_browser(running_bot, "Chị Hoa") as (_, page):
        page.get_by_role("button", name="Tải các câu trả lời").click()
        page.get_by_label("Câu hỏi", exact=True).select_option(key)
        page.get_by_label("Câu trả lời", exact=True).fill(new)
        expect(page.locator("#answer-preview")).to_contain_text("0299.3626800")  # the hotline, filled
        page.get_by_role("button", name="Lưu câu trả lời").click()
        expect(page.locator("#answer-status")).to_contain_text("Đã lưu", timeout=30_000)
        page.get_by_label("Câu trả lời", exact=True).fill("Gọi {so_cua_toi}.")
        page.get_by_role("button", name="Lưu câu trả lời").click()
        expect(page.locator("#answer-status")).to_contain_text("{so_cua_toi}", timeout=30_000)
    saved = yaml.safe_load((running_bot.data_dir / "responses" / "ask_install.yml").read_text(encoding="utf-8"))
    assert saved["responses"][key][0]["text"] == new
    [entry] = [e for e in audit.entries() if e.get("action") == "answer" and e.get("after") == new][-1:]
    assert entry["who"] == "Chị Hoa" and "{link_download}" in entry["before"]


def test_staff_change_the_hotline_and_citizens_get_it_at_once(running_bot):
    from tests.bot.channels.test_bad_input import say as citizen_says

    def hotline_said():
        status, messages = citizen_says(running_bot, f"hotline-{uuid.uuid4().hex}", "cho tôi số điện thoại hỗ trợ")
        assert status == 200
        return " ".join(m.get("text") or "" for m in messages)

    original = running_bot.settings.read_text(encoding="utf-8")
    try:
        with staff_browser(running_bot, "Anh Tuấn") as (_, page):
            page.get_by_role("button", name="Tải cài đặt").click()
            page.get_by_label("Đường dây nóng của Sở").fill("0299.3626899")
            page.get_by_role("button", name="Lưu cài đặt").click()
            expect(page.locator("#settings-status")).to_contain_text("contact.hotline = 0299.3626899")
            assert "0299.3626899" in hotline_said()  # no training, no restart
            page.get_by_label("home").fill("http://bluezone.gov.vn")
            page.get_by_role("button", name="Lưu cài đặt").click()
            expect(page.locator("#settings-status")).to_contain_text("https://")
        assert 'home: "https://www.bluezone.gov.vn"' in running_bot.settings.read_text(encoding="utf-8")
        assert [e for e in audit.entries() if e.get("action") == "settings"][-1]["who"] == "Anh Tuấn"
    finally:
        running_bot.settings.write_text(original, encoding="utf-8")
    assert "0299.3626800" in hotline_said()


def say_label(bot, text, label):
    request = urllib.request.Request(
        f"{bot.url}/admin/api/label",
        data=json.dumps({"text": text, "label": label}).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {RunningBot.ADMIN_TOKEN}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
