"""Staff teach the bot and ship the change from the workbench, in Chromium
against the real stack: label a missed question, retrain, see it learnt,
deploy, a citizen gets the new answer, and roll back."""

import uuid

from playwright.sync_api import expect

from tests.bot.channels.test_bad_input import say as citizen_says
from tests.bot.channels.test_workbench import staff_browser

# Training a candidate and comparing it takes minutes on a slow machine.
SHIPPING = 15 * 60 * 1000
SWAP = 5 * 60 * 1000  # loading a model


def answer_text(bot, sender, text):
    status, messages = citizen_says(bot, sender, text)
    assert status == 200
    return " ".join(m.get("text") or "" for m in messages)


def keep_a_conversation(page, messages):
    """Staff try a conversation whose answers are right and keep it as a test."""
    for number, message in enumerate(messages, 1):
        page.get_by_label("Tin nhắn của người dân").fill(message)
        page.get_by_role("button", name="Gửi").click()
        expect(page.locator(".turn")).to_have_count(number, timeout=30_000)
    page.get_by_role("button", name="Lưu làm hội thoại kiểm tra").click()
    expect(page.locator("#keep-status")).to_contain_text(
        f"Đã lưu vào data/checks/ban-lam-viec.txt ({len(messages)} lượt)"
    )


def label_in_browser(page, question, label):
    page.get_by_role("button", name="Xem danh sách").click()
    group = page.locator("li.missed").filter(has_text=question)
    expect(group).to_be_visible(timeout=30_000)
    group.locator("div").filter(has_text=question).get_by_role("checkbox").check()
    group.get_by_label("Nhóm câu hỏi đúng").select_option(label)
    group.get_by_role("button", name="Lưu").click()
    expect(group.get_by_role("status")).to_contain_text("Đã lưu", timeout=30_000)


def add_family_in_browser(page, question, family):
    """Staff tick a missed question and write a new family for it."""
    page.get_by_role("button", name="Xem danh sách").click()
    group = page.locator("li.missed").filter(has_text=question)
    expect(group).to_be_visible(timeout=30_000)
    group.get_by_label("Nhóm câu hỏi đúng").select_option(label="➕ Nhóm câu hỏi mới (viết câu trả lời mới)…")
    group.get_by_label("Chủ đề").select_option(family["topic"])
    for label, value in [
        ("Tên nhóm", family["name"]),
        ("Nhóm này hỏi gì", family["question"]),
        ("Câu trả lời", family["answer"]),
        ("Dữ kiện làm căn cứ", family["fact"]),
        ("Địa chỉ trang công khai", family["source"]),
        ("Ngày của nguồn", family["published"]),
    ]:
        group.get_by_label(label).fill(value)
    group.get_by_role("button", name="Lưu").click()
    expect(group.get_by_role("status")).to_contain_text(
        f"Đã thêm nhóm {family['topic']}/{family['name']}", timeout=30_000
    )


def test_staff_teach_retrain_deploy_and_roll_back(running_bot):
    tag = uuid.uuid4().hex[:6]
    question = f"giá lúa zq{tag} hôm nay"
    before = answer_text(running_bot, f"citizen-{tag}", question)
    # Nothing in common with `question`, so the two are not one group of missed
    # questions; a device the training data never names, so the bot is unsure.
    unanswered = f"bảng tương tác thông minh của lớp học số {int(tag, 16) % 9973} có chạy được không"
    answer_text(running_bot, f"citizen5-{tag}", unanswered)  # another citizen: not in the first one's context
    family = {
        "topic": "ask_device_support",
        "name": f"classroom_board_{tag}",
        "question": "Bảng tương tác thông minh của lớp học có chạy được Bluezone không?",
        "answer": f"Mã {tag}: bảng tương tác không phải điện thoại, nên không cài Bluezone; cần hỗ trợ gọi {{hotline}}.",
        "fact": "Bluezone chạy trên điện thoại và máy tính bảng có Bluetooth năng lượng thấp.",
        "source": "https://bluezone.gov.vn/",
        "published": "2021-02-20",
    }
    with staff_browser(running_bot, "Anh Minh") as (_, page):
        label_in_browser(page, question, "ask_install/download_link")
        add_family_in_browser(page, unanswered, family)
        keep_a_conversation(page, ["cài bluezone ở đâu", "thế còn gỡ thì sao"])
        page.get_by_role("button", name="Huấn luyện lại").click()
        expect(page.locator("#ship-status")).to_contain_text("sẵn sàng", timeout=SHIPPING)
        expect(page.locator("#comparison")).to_contain_text("Bộ câu hỏi đánh giá")
        # The conversation just kept is tried on both models, turn by turn.
        expect(page.locator("#checks")).to_contain_text("đúng 2/2 lượt với bot đang chạy")
        expect(page.locator("#labelled")).to_contain_text(f"✓ đã học: {question}")
        page.get_by_role("button", name="Cập nhật bot").click()
        expect(page.locator("#ship-status")).to_contain_text("Bot đã dùng mô hình mới", timeout=SWAP)
        after = answer_text(running_bot, f"citizen2-{tag}", question)
        assert after != before and "bluezone.gov.vn" in after.lower()
        # The new family's answer, its hotline filled in, for the question as asked.
        new_answer = answer_text(running_bot, f"citizen4-{tag}", unanswered)
        assert f"Mã {tag}: bảng tương tác" in new_answer and "0299.3626800" in new_answer
        page.get_by_role("button", name="Quay lại bản trước").click()
        expect(page.locator("#ship-status")).to_contain_text("Bot đã quay lại", timeout=SWAP)
        assert answer_text(running_bot, f"citizen3-{tag}", question) == before
