"""Text shaped for each platform: long answers cut where a reader would cut
them, hotlines as tap-to-call links where Markdown is rendered."""

import pytest

from bot.channels.formatting import split_text, with_call_links, with_markdown_lists


def test_long_text_is_split_at_word_boundaries_without_losing_words():
    text = " ".join(f"từ{n}" for n in range(1500))  # about 8,000 characters
    pieces = split_text(text, 2000)
    assert len(pieces) > 1 and all(len(p) <= 2000 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_a_paragraph_break_is_preferred():
    text = "a" * 1500 + "\n\n" + "b" * 1000
    assert split_text(text, 2000) == ["a" * 1500, "b" * 1000]


def test_hotlines_become_tap_to_call_links_once():
    text = "Gọi 0299.3626800 (giờ hành chính) hoặc 1900 9095. Đã có [0299.3626800](tel:02993626800)."
    linked = with_call_links(text, ["0299.3626800", "1900 9095", ""])
    assert linked.startswith("Gọi [0299.3626800](tel:02993626800) (giờ hành chính) hoặc [1900 9095](tel:19009095).")
    assert linked.endswith("Đã có [0299.3626800](tel:02993626800).")  # an existing link is left alone


def test_numbered_steps_are_set_apart_as_a_markdown_list():
    text = "Cài như sau:\n1. Mở CH Play.\n2. Gõ Bluezone.\n3. Bấm Cài đặt.\nLưu ý: dùng được trên iPhone."
    assert with_markdown_lists(text) == (
        "Cài như sau:\n\n1. Mở CH Play.\n2. Gõ Bluezone.\n3. Bấm Cài đặt.\n\nLưu ý: dùng được trên iPhone."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Không có bước nào.",
        "1. Một.\n2. Hai.",  # a list alone
        "Gọi 0299.3626800 từ 7 giờ.",  # a number inside a sentence is no step
        "Năm 2021. Bluezone thành PC-Covid.",
    ],
)
def test_text_without_steps_after_a_line_is_left_as_it_is(text):
    assert with_markdown_lists(text) == text
