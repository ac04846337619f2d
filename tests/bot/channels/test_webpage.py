"""The website chat as citizens use it: the department's page in headless
Chromium (Debian's), the rasa-webchat widget talking socket.io to the bot."""

import sqlite3
import urllib.request

import pytest
from playwright.sync_api import expect, sync_playwright

from bot.channels.webpage import render_page
from bot.paths import project_path

# The widget shows each bot message after a typing pause that grows with its
# length (up to 3 s): an answer of several messages takes longer than
# Playwright's default 5 s to appear in full.
expect.set_options(timeout=20_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = project_path("results/e2e")
HOTLINE = "0299.3626800"
INSTALL_LINK = "https://www.bluezone.gov.vn/taiapp"


def test_page_values_are_filled_and_escaped():
    assert render_page("<b>{hotline}</b> {unknown}", {"hotline": "<0299>"}) == "<b>&lt;0299&gt;</b> {unknown}"


def test_page_and_widget_come_from_the_bot_itself(running_bot):
    page = urllib.request.urlopen(f"{running_bot.url}/chat/", timeout=10).read().decode()
    assert "Sở Thông tin và Truyền thông" in page and HOTLINE in page
    widget = urllib.request.urlopen(f"{running_bot.url}/chat/static/webchat.js", timeout=10)
    assert widget.headers["Content-Type"].startswith("application/javascript")
    assert b"WebChat" in widget.read(2000)


@pytest.fixture
def browser_page(running_bot):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.set_default_timeout(30_000)
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        page.goto(f"{running_bot.url}/chat/")
        yield page
        browser.close()


def open_chat(page):
    page.locator(".rw-launcher").click()
    expect(page.locator(".rw-response").first).to_be_visible()  # the greeting


def ask(page, text):
    answers = page.locator(".rw-response").count()
    page.locator(".rw-new-message").fill(text)
    page.keyboard.press("Enter")
    expect(page.locator(".rw-response").nth(answers)).to_be_visible()


def session_id(page) -> str:
    return page.evaluate("JSON.parse(localStorage.getItem('chat_session')).session_id")


def test_a_citizen_asks_clicks_a_topic_and_keeps_the_chat_after_a_reload(running_bot, browser_page):
    page = browser_page
    open_chat(page)
    ask(page, "cài bluezone ở đâu")
    # The answer's page is a link button under it, beside 👍 / 👎.
    expect(page.locator(f".rw-messages-container a[href='{INSTALL_LINK}']").last).to_be_visible()
    expect(page.locator(".rw-reply", has_text="👍").last).to_be_visible()

    ask(page, "xin chào")
    answers = page.locator(".rw-response").count()
    page.locator(".rw-reply", has_text="Dữ liệu cá nhân").last.click()
    expect(page.locator(".rw-response").nth(answers)).to_contain_text("Dữ liệu")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "webchat.png"), full_page=True)

    privacy_answer, conversation = page.locator(".rw-response").nth(answers).inner_text(), session_id(page)
    page.reload()  # the widget comes back open, with the conversation
    history = page.locator(".rw-messages-container")
    for said in ("cài bluezone ở đâu", "xin chào", privacy_answer.strip().splitlines()[0]):
        expect(history).to_contain_text(said)
    assert session_id(page) == conversation

    ask(page, "có tốn pin không")  # the same conversation goes on, on the server too
    with sqlite3.connect(running_bot.tracker_db) as db:
        said = [
            row[0]
            for row in db.execute(
                "SELECT json_extract(data, '$.text') FROM events WHERE sender_id = ? AND type_name = 'user'",
                (conversation,),
            )
        ]
    assert {"cài bluezone ở đâu", "xin chào", "có tốn pin không"} <= set(said)
    # Everything came from the bot's own server: no CDN, no fonts from Google.
    assert [
        url
        for url in page.requested
        if not url.startswith(running_bot.url.replace("http", "ws", 1)) and not url.startswith(running_bot.url)
    ] == []


def test_html_typed_by_a_citizen_is_shown_as_text(browser_page):
    page = browser_page
    open_chat(page)
    page.evaluate("window.__injected = false")
    ask(page, '<img src=x onerror="window.__injected = true"><b>đậm</b>')
    expect(page.locator(".rw-client").last).to_contain_text("<b>đậm</b>")
    assert page.locator(".rw-client b").count() == 0 and page.locator(".rw-client img").count() == 0
    assert page.evaluate("window.__injected") is False


def test_the_department_page_and_a_tap_to_call_hotline(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})  # a desktop
    expect(page.locator(".site-header")).to_contain_text("SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
    expect(page.get_by_role("navigation").get_by_role("link", name="Liên hệ")).to_be_visible()
    call = page.locator("#lien-he a[href='tel:02993626800']")
    expect(call).to_have_text(HOTLINE)
    # The chat button does not cover the contact details (the widget draws it
    # after the page has loaded: wait for it, or it has no box yet).
    launcher = page.locator(".rw-launcher")
    expect(launcher).to_be_visible()
    button, details = launcher.bounding_box(), call.bounding_box()
    assert button["x"] > details["x"] + details["width"] or button["y"] > details["y"] + details["height"]
    open_chat(page)
    ask(page, "cho tôi số điện thoại hỗ trợ")
    expect(page.locator(".rw-response a[href='tel:02993626800']").last).to_have_text(HOTLINE)


# The WCAG AA minimum for body text; the widget's text is 18 px.
MIN_CONTRAST = 4.5
CONTRAST_JS = """selector => {
  const node = document.querySelector(selector);
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = node, background = "rgba(0, 0, 0, 0)";
  while (back && (background === "rgba(0, 0, 0, 0)" || background === "transparent")) {
    background = getComputedStyle(back).backgroundColor;
    back = back.parentElement;
  }
  const [a, b] = [lum(rgb(getComputedStyle(node).color)), lum(rgb(background))].sort((x, y) => y - x);
  return {contrast: (a + 0.05) / (b + 0.05), size: parseFloat(getComputedStyle(node).fontSize)};
}"""


def test_an_older_citizen_with_a_keyboard_or_a_screen_reader(browser_page):
    page = browser_page
    # Keyboard only: Tab reaches the chat button, Enter opens it, the question box has the focus.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('rw-launcher')"):
            break
    else:
        pytest.fail("Tab never reaches the chat button")
    expect(page.get_by_role("button", name="Mở khung hỏi đáp Bluezone")).to_be_focused()
    page.keyboard.press("Enter")
    question = page.get_by_role("textbox", name="Nhập câu hỏi")
    expect(question).to_be_focused()
    expect(page.get_by_role("button", name="Đóng khung hỏi đáp")).to_be_visible()
    page.keyboard.type("cài bluezone thế nào")
    page.keyboard.press("Enter")
    # Answers arrive in a live region a screen reader reads out; numbered steps are a real list.
    conversation = page.get_by_role("log", name="Cuộc trò chuyện")
    steps = conversation.locator(".rw-response ol").last.locator("li")
    expect(steps.first).to_be_visible()
    assert steps.count() >= 3
    expect(page.get_by_role("button", name="Gửi câu hỏi")).to_be_attached()
    # Large text with enough contrast: answers, the citizen's messages, the buttons, the title.
    for selector in (".rw-response .rw-markdown p", ".rw-client .rw-message-text", ".rw-reply", ".rw-title"):
        measured = page.evaluate(CONTRAST_JS, selector)
        assert measured["contrast"] >= MIN_CONTRAST, (selector, measured)
        assert measured["size"] >= 16, (selector, measured)
