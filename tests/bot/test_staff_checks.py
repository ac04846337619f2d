"""A conversation tried on the workbench is kept as a `bot check` file
that reads back as the same turns, and nothing else gets in."""

import io
import threading

import pytest

from bot import staff_checks
from bot.paths import project_path
from bot.staff_tools import check
from bot.teaching import TeachingError

TURNS = [["cài bluezone ở đâu", "ask_install/download_link"], ["thế còn gỡ\tthì sao", "ask_install/uninstall"]]


def test_a_kept_conversation_reads_back_turn_by_turn(tmp_path):
    path = staff_checks.save("cài rồi gỡ", TURNS, "Chị\nLan", tmp_path, tmp_path / "lock")
    [(name, conversation)] = staff_checks.conversations(tmp_path)
    assert name == f"{path.name}:2"
    assert [(c.question, c.expected) for c in conversation] == [
        ("cài bluezone ở đâu", "ask_install/download_link"),
        ("thế còn gỡ thì sao", "ask_install/uninstall"),  # a tab typed in the message cannot split the line
    ]
    assert path.read_text(encoding="utf-8").startswith("# cài rồi gỡ (lưu bởi Chị Lan, ")


def test_two_staff_keeping_at_once_keep_both_as_separate_conversations(tmp_path):
    threads = [
        threading.Thread(target=staff_checks.save, args=(f"hội thoại {i}", TURNS, "canbo", tmp_path, tmp_path / "lock"))
        for i in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = staff_checks.conversations(tmp_path)
    assert len(kept) == 6 and all(len(conversation) == 2 for _, conversation in kept)


def test_a_turn_without_expectation_is_kept_and_phone_numbers_are_masked(tmp_path):
    staff_checks.save("x", [["số tôi 0912345678 nhận mã chưa", ""]], "canbo", tmp_path, tmp_path / "lock")
    [(_, [case])] = staff_checks.conversations(tmp_path)
    assert "0912345678" not in case.question and case.expected is None


@pytest.mark.parametrize(
    "turns, says",
    [
        ([], "từ 1 đến"),
        ([["hỏi", "ask_install"]] * (staff_checks.MAX_TURNS + 1), "từ 1 đến"),
        ([["   ", "ask_install"]], "cần một tin nhắn"),
        ([["# không phải lượt", "ask_install"]], "cần một tin nhắn"),
        ([["cài ở đâu", "ask_install/khong_co"]], "ask_install/khong_co"),
    ],
)
def test_what_cannot_be_a_check_is_refused_and_nothing_is_written(tmp_path, turns, says):
    with pytest.raises(TeachingError, match=says):
        staff_checks.save("x", turns, "canbo", tmp_path, tmp_path / "lock")
    assert staff_checks.conversations(tmp_path) == []


@pytest.mark.parametrize("path", sorted(project_path("data/checks").glob("*.txt")), ids=lambda p: p.name)
def test_staffs_kept_conversations_pass_with_the_trained_model(trained_model, path):
    out = io.StringIO()
    assert check(path, out) == 0, out.getvalue()
