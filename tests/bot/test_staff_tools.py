"""The staff answer-testing commands, run as staff run them."""

import os
import re
import subprocess
import sys

import pytest

from bot.paths import PROJECT_ROOT
from bot.staff_cases import Case, read_conversations
from bot.staff_tools import matches
from bot.staff_trial import ranking


def run_bot(*args):
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        cwd=PROJECT_ROOT,
    )


def test_a_question_file_asks_each_question_afresh(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text("# câu hỏi thật\ncài bluezone ở đâu\task_install\n\nko nhận dc OTP\n", encoding="utf-8")
    assert read_conversations(path) == [[Case(2, "cài bluezone ở đâu", "ask_install")], [Case(4, "ko nhận dc OTP")]]


def test_a_conversation_file_keeps_turns_together(tmp_path):
    path = tmp_path / "hoi-thoai.txt"
    path.write_text(
        '# hỏi cài rồi hỏi gỡ\n> cài bluezone ở đâu\task_install\n> thế còn gỡ thì sao\n\n> gọi lúc mấy giờ\t"giờ"\n',
        encoding="utf-8",
    )
    assert read_conversations(path) == [
        [Case(2, "cài bluezone ở đâu", "ask_install"), Case(3, "thế còn gỡ thì sao")],
        [Case(5, "gọi lúc mấy giờ", phrase="giờ")],
    ]


def turn(intent, family=None, text=""):
    question = {"topic": {"intent": intent, "topic": intent, "confidence": 0.9}, "family": family}
    return {"questions": [question], "answers": [{"text": text}], "steps": []}


def test_fallback_counts_as_out_of_scope():
    assert matches(Case(1, "", "out_of_scope"), turn("nlu_fallback"))
    assert not matches(Case(1, "", "ask_install"), turn("nlu_fallback"))


def test_an_expected_answer_must_be_the_exact_answer():
    assert matches(Case(1, "", "ask_install"), turn("ask_install", "ask_install/overview"))
    assert matches(Case(1, "", "ask_install/uninstall"), turn("ask_install", "ask_install/uninstall"))
    assert not matches(Case(1, "", "ask_install/uninstall"), turn("ask_install", "ask_install/overview"))


def test_an_expected_phrase_must_be_in_the_answer():
    assert matches(Case(1, "", phrase="giờ hành chính"), turn("ask_help", text="Gọi trong Giờ hành chính."))
    assert not matches(Case(1, "", phrase="0299"), turn("ask_help", text="Gọi trong giờ hành chính."))


def test_ask_shows_understanding_and_the_real_answer(trained_model):
    result = run_bot("ask", "ko cai dc bluezone tren dt")
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "Bot đọc là:      không cai được bluezone tren điện thoại" in out
    # Vietnamese topic names first, the code name in brackets.
    assert re.search(r"^Chủ đề: +[^\[]+ \[\w+\] \d+%$", out, re.M)
    assert "Câu trả lời:" in out and "Android" in out.split("Câu trả lời:")[1]
    assert "Warning" not in result.stderr and "warn(" not in result.stderr


def test_ask_shows_the_exact_answer_its_buttons_and_where_it_came_from(trained_model):
    out = run_bot("ask", "cài bluezone ở đâu").stdout
    assert "Chủ đề:          Cài đặt [ask_install]" in out and "[ask_install/" in out
    assert re.search(r"^Trả lời bởi: .*\(RulePolicy\)", out, re.M)
    assert "https://www.bluezone.gov.vn/taiapp" in out.split("Câu trả lời:")[1]
    assert "[👍 Hữu ích]" in out


def test_a_fallback_is_ranked_once_and_in_order():
    parse = {
        "intent": {"name": "nlu_fallback", "confidence": 0.6},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.6},
            {"name": "deny", "confidence": 0.3},
            {"name": "affirm", "confidence": 0.7},
        ],
    }
    assert ranking(parse) == [("affirm", 0.7), ("nlu_fallback", 0.6), ("deny", 0.3)]


def test_ask_uses_the_running_bot(running_bot):
    env = dict(os.environ, ADMIN_TOKEN=running_bot.ADMIN_TOKEN, RASA_PORT=str(running_bot.ports.rasa))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "cài bluezone ở đâu"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=PROJECT_ROOT,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Cài đặt [ask_install]" in result.stdout and "đang tải mô hình" not in result.stderr


@pytest.fixture
def questions(tmp_path):
    def write(text):
        path = tmp_path / "questions.txt"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_check_passes_when_every_expected_intent_is_found(trained_model, questions):
    result = run_bot(
        "check",
        questions("cài bluezone ở đâu\task_install\nthời tiết hôm nay thế nào\tout_of_scope\napp có tốn pin ko\n"),
    )
    assert result.returncode == 0, result.stdout
    assert "3 câu hỏi; 2 có ý định mong đợi: 2 đúng, 0 sai." in result.stdout


def test_check_fails_and_names_the_miss(trained_model, questions):
    result = run_bot("check", questions("cài bluezone ở đâu\task_privacy\n"))
    assert result.returncode == 1
    assert "SAI dòng 1: cài bluezone ở đâu" in result.stdout


def test_check_grades_exact_answers(trained_model, questions):
    result = run_bot(
        "check",
        questions(
            "gỡ bluezone khỏi điện thoại thế nào\task_install/uninstall\n"
            "gỡ bluezone khỏi điện thoại thế nào\task_install/download_link\n"
        ),
    )
    assert result.returncode == 1 and "1 đúng, 1 sai." in result.stdout


def test_check_rejects_an_intent_that_does_not_exist(trained_model, questions):
    result = run_bot("check", questions("cài bluezone ở đâu\tcai_dat\n"))
    assert result.returncode == 2 and "cai_dat" in result.stdout


def test_check_replays_a_conversation_and_its_follow_ups(trained_model, tmp_path):
    path = tmp_path / "hoi-thoai.txt"
    path.write_text(
        "> cài bluezone ở đâu\task_install\n> thế còn gỡ thì sao\task_install/uninstall\n"
        '\n> cho tôi số điện thoại hỗ trợ\t"0299.3626800"\n',
        encoding="utf-8",
    )
    result = run_bot("check", str(path))
    assert "3 câu hỏi; 3 có ý định mong đợi" in result.stdout, result.stdout
    assert result.returncode == 0, result.stdout
