from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analytics.conversations import Turn
from bot.analytics.grouping import group_similar
from bot.analytics.report import render
from bot.analytics.summary import summarise
from bot.settings import load_settings
from tests.bot.channels.test_bad_input import BAD_MESSAGES


def test_spellings_of_one_question_form_one_group_largest_first():
    texts = [
        "ko nhan duoc ma otp",
        "không nhận được mã OTP",
        "không nhận được mã otp",
        "khong nhan dc ma otp",
        "giá vàng hôm nay",
        "gia vang hom nay bao nhieu",
        "không nhận được mã OTP",
    ]
    groups = group_similar(texts, similarity=0.5)
    assert len(groups) == 2
    otp, gold = groups
    assert otp.count == 5 and otp.representative == "không nhận được mã OTP"
    assert {t for t, _ in gold.texts} == {"giá vàng hôm nay", "gia vang hom nay bao nhieu"}


def test_unrelated_questions_stay_apart():
    groups = group_similar(["mua vé máy bay", "bóng đá tối nay", "công thức nấu phở"], similarity=0.5)
    assert [g.count for g in groups] == [1, 1, 1]


def test_one_or_no_question():
    assert group_similar([], 0.5) == []
    [group] = group_similar(["xin chào"], 0.5)
    assert group.texts == [("xin chào", 1)]


# Any text a citizen can send must be reportable: the same hostile inputs
# the channels are fuzzed with, and texts with nothing to compare.
HOSTILE = [*BAD_MESSAGES.values(), "", "😀😀😀", "\u200b", "ا", "bluezone", "không nhận được mã"]


def test_texts_with_nothing_to_compare_are_groups_of_their_own():
    groups = group_similar(HOSTILE + ["", "😀😀😀"], similarity=0.5)
    assert sum(g.count for g in groups) == len(HOSTILE) + 2
    assert next(g for g in groups if g.representative == "😀😀😀").count == 2


@pytest.mark.parametrize("texts", [["", ""], ["😀", "🙏🙏"], ["", "   ", "\x00"]])
def test_only_texts_with_nothing_to_compare(texts):
    assert sum(g.count for g in group_similar(texts, similarity=0.5)) == len(texts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=12))
def test_any_texts_are_grouped_and_none_lost(texts):
    assert sum(g.count for g in group_similar(texts, similarity=0.5)) == len(texts)


def test_the_report_renders_with_hostile_messages_in_the_store():
    settings_ = load_settings()
    zone = ZoneInfo(settings_.office_hours.timezone)
    turns = [Turn(f"s{n}", 1_700_000_000.0 + n, "Web", text, "nlu_fallback", 0.1) for n, text in enumerate(HOSTILE)]
    summary = summarise(turns, settings_.report, zone)
    typed = [text for text in HOSTILE if not text.startswith("/")]  # a payload is a button, not a question
    assert sum(g.count for g in summary.missed_groups) == len(typed)
    assert "<html" in render(summary, settings_, "hôm nay", datetime.now(zone)).lower()
