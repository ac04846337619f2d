"""bot.nlu.phrases: lexicon phrases found as typed."""

from bot.nlu.lexicon import split_phrase
from bot.nlu.phrases import mentions


def test_an_unaccented_syllable_matches_either_spelling_an_accented_one_only_its_own():
    assert mentions(["ma", "qr"], [split_phrase("mã")])
    assert not mentions(["mà", "thôi"], [split_phrase("mã")])
    assert mentions(["tiêm", "vắc", "xin"], [split_phrase("vắc xin")])
    assert not mentions(["vắc"], [split_phrase("vắc xin")])
    assert not mentions(["đi", "máy", "bay"], [split_phrase("máy")], [split_phrase("máy bay")])
    assert mentions(["máy", "bay", "máy", "tôi"], [split_phrase("máy")], [split_phrase("máy bay")])
