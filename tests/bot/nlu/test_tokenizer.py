import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.normalizer import _SYLLABLE
from bot.nlu.text import normalize_syllable
from bot.nlu.tokenizer import VietnameseTokenizer
from tests.bot.nlu.building import for_training


@pytest.fixture(scope="module")
def tokenizer():
    return for_training(VietnameseTokenizer)


def tokenize(tokenizer, text):
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    return message.get(TOKENS_NAMES[TEXT])


def test_multi_syllable_words_are_single_tokens(tokenizer):
    texts = [t.text for t in tokenize(tokenizer, "Làm sao cài đặt Bluezone trên điện thoại?")]
    assert "cài_đặt" in texts
    assert "điện_thoại" in texts


def test_domain_compounds_from_the_lexicon(tokenizer):
    texts = [t.text for t in tokenize(tokenizer, "số điện thoại của tôi có bị lộ không")]
    assert texts[0] == "số_điện_thoại"
    unaccented = [t.text for t in tokenize(tokenizer, "so dien thoai cua toi")]
    assert unaccented[0] == "so_dien_thoai"


SAMPLES = [
    "Làm sao cài đặt Bluezone trên điện thoại?",
    "Hoà  bình   và khoẻ   mạnh!!",
    unicodedata.normalize("NFD", "Điện thoại của tôi không nhận được mã OTP"),
    "iPhone 6s chạy iOS 10.3 có dùng được không ạ",
    "pc-covid là gì vậy, gọi 0299.3626800 được không",
    "app bị lỗi 😭😭 mở hoài hông lên",
]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("chào nha", ["chào", "nha"]),
        ("khai báo y tế hả", ["khai_báo_y_tế", "hả"]),
        ("ở nhà", ["ở", "nhà"]),
        ("o nha", ["o", "nha"]),
    ],
)
def test_a_closing_particle_is_its_own_word(tokenizer, text, expected):
    assert [t.text for t in tokenize(tokenizer, text)] == expected


@pytest.mark.parametrize("text", SAMPLES)
def test_offsets_match_the_typed_text(tokenizer, text):
    tokens = tokenize(tokenizer, text)
    assert tokens
    for token in tokens:
        typed = text[token.start : token.end]
        assert typed == typed.strip() and typed
        pieces = [normalize_syllable(m.group()) for m in _SYLLABLE.finditer(typed)]
        if "_".join(pieces) != token.text:
            # Only teencode may change the words (e.g. "hông" -> "không").
            assert token.text in {"không", "ứng_dụng", "ứng", "dụng"}, (token.text, typed)
    starts = [t.start for t in tokens]
    assert starts == sorted(starts)


def test_teencode_token_spans_the_abbreviation(tokenizer):
    text = "hỏi ntn vậy"
    tokens = tokenize(tokenizer, text)
    expanded = [t for t in tokens if t.text.split("_")[0] in ("như", "thế", "nào")]
    assert expanded and {text[t.start : t.end] for t in expanded} == {"ntn"}


@pytest.mark.parametrize("text", ["😀😀", "???", " "])
def test_no_words_gives_one_whole_text_token(tokenizer, text):
    tokens = tokenize(tokenizer, text)
    assert [(t.text, t.start, t.end) for t in tokens] == [(text, 0, len(text))]


def test_segmenter_failure_falls_back_to_syllables(tokenizer, monkeypatch):
    import bot.nlu.segmenter as segmenter

    def broken(*args, **kwargs):
        raise RuntimeError("model missing")

    monkeypatch.setattr(segmenter, "word_tokenize", broken)
    text = "cài đặt bluezone"
    tokens = tokenize(tokenizer, text)
    assert [t.text for t in tokens] == ["cài", "đặt", "bluezone"]
    assert [text[t.start : t.end] for t in tokens] == ["cài", "đặt", "bluezone"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_gives_tokens_inside_the_message(tokenizer, text):
    for token in tokenize(tokenizer, text):
        assert 0 <= token.start <= token.end <= len(text)


def test_only_the_first_max_chars_characters_are_read():
    tokenizer = for_training(VietnameseTokenizer, max_chars=20)
    tokens = tokenize(tokenizer, "cài bluezone ở đâu " * 500)
    assert tokens[-1].end <= 20 and [t.text for t in tokens][:4] == ["cài", "bluezone", "ở", "đâu"]
