"""Long answers are cut where a reader would cut them."""

from bot.channels.formatting import split_text


def test_long_text_is_split_at_word_boundaries_without_losing_words():
    text = " ".join(f"từ{n}" for n in range(1500))  # about 8,000 characters
    pieces = split_text(text, 2000)
    assert len(pieces) > 1 and all(len(p) <= 2000 for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_a_paragraph_break_is_preferred():
    text = "a" * 1500 + "\n\n" + "b" * 1000
    assert split_text(text, 2000) == ["a" * 1500, "b" * 1000]
