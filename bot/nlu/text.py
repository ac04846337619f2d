"""Character-level Vietnamese text helpers shared by the NLU components.

Kept free of Rasa and of any data file so that every component (and the
staff tools) normalise a single syllable exactly the same way.
"""
import unicodedata

from underthesea.pipeline.text_normalize.token_normalize import token_normalize


def fold(text: str) -> str:
    """Strip Vietnamese diacritics ("điện thoại" -> "dien thoai").

    A quarter of citizens type without accents; folded forms let both
    spellings share features and lexicon entries.
    """
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped.replace("đ", "d").replace("Đ", "D"))


def normalize_syllable(syllable: str) -> str:
    """NFC, lowercase and modern tone placement ("Hoà" -> "hòa").

    underthesea's own token normaliser decides the tone placement, so our
    tokens agree with what its word segmenter was trained on.
    """
    composed = unicodedata.normalize("NFC", syllable).lower()
    return token_normalize(composed)
