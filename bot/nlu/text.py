"""Character-level Vietnamese text helpers shared by the NLU components.

Kept free of Rasa and of any data file so that every component (and the
staff tools) normalise a single syllable exactly the same way.
"""

import unicodedata

from underthesea.pipeline.text_normalize.token_normalize import token_normalize

from bot.text import fold  # noqa: F401  (the NLU components import it from here)


def normalize_syllable(syllable: str) -> str:
    """NFC, lowercase and modern tone placement ("Hoà" -> "hòa").

    underthesea's own token normaliser decides the tone placement, so our
    tokens agree with what its word segmenter was trained on.
    """
    composed = unicodedata.normalize("NFC", syllable).lower()
    return token_normalize(composed)
