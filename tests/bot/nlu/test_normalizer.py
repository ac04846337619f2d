import unicodedata

import pytest

from bot.nlu.lexicon import load_lexicon
from bot.nlu.normalizer import normalize, normalized_text, raw_syllables


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_nfd_input_reads_like_nfc(lexicon):
    text = "Tôi muốn cài đặt Bluezone"
    nfd = unicodedata.normalize("NFD", text)
    assert normalized_text(nfd, lexicon) == normalized_text(text, lexicon)
    assert normalized_text(nfd, lexicon) == "tôi muốn cài đặt bluezone"


def test_spans_point_into_the_typed_text_even_for_nfd(lexicon):
    nfd = unicodedata.normalize("NFD", "điện thoại  của   tôi")
    for syllable in raw_syllables(nfd):
        typed = unicodedata.normalize("NFC", nfd[syllable.start : syllable.end]).lower()
        assert typed == syllable.text


def test_old_tone_placement_is_modernised(lexicon):
    assert normalized_text("Hoà bình, khoẻ không, thuỷ", lexicon) == "hòa bình khỏe không thủy"


def test_teencode_is_expanded(lexicon):
    assert normalized_text("ko dc j ntn", lexicon) == "không được gì như thế nào"
    assert normalized_text("sdt cua tui", lexicon) == "số điện thoại cua tôi"


def test_multiword_teencode_keys(lexicon):
    assert normalized_text("cai blue zone tren ch play", lexicon) == "cai bluezone tren chplay"


def test_english_words_read_as_the_vietnamese_ones_taught(lexicon):
    # "didn't" splits at the apostrophe, and its "t" is not the teencode "t" (tôi).
    assert normalized_text("I didn't receive the code", lexicon) == "i không nhận the mã"
    assert normalized_text("Is it mandatory?", lexicon) == "is it bắt buộc"


def test_ambiguous_forms_are_left_alone(lexicon):
    # "hong" may be "hỏng" (broken): it must not become "không".
    assert normalized_text("app bi hong roi", lexicon) == "ứng dụng bi hong roi"


def test_expansion_keeps_the_abbreviation_span(lexicon):
    text = "hỏi ntn ạ"
    expanded = normalize(text, lexicon)
    assert [s.text for s in expanded] == ["hỏi", "như", "thế", "nào", "ạ"]
    assert {text[s.start : s.end] for s in expanded[1:4]} == {"ntn"}


def test_punctuation_and_spaces_are_not_syllables(lexicon):
    assert normalized_text("  bluezone???  là   gì!!! ", lexicon) == "bluezone là gì"


def test_numbers_and_names_stay_whole(lexicon):
    assert normalized_text("ios 10.3, gọi 0299.3626800, pc-covid", lexicon) == ("ios 10.3 gọi 0299.3626800 pc-covid")


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "?!...", "\u200b"])
def test_empty_and_emoji_only_give_no_syllables(lexicon, text):
    assert normalize(text, lexicon) == []


def test_very_long_message(lexicon):
    text = "cài bluezone ntn 😀 " * 2000
    syllables = normalize(text, lexicon)
    assert len(syllables) == 2000 * 5
    assert all(0 <= s.start < s.end <= len(text) for s in syllables)
