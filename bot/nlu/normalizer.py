"""Turns a raw chat message into normalised syllables that remember where
they came from in the original text.

Why by hand: underthesea's normalisers return plain strings (and re-space
punctuation), so the offsets Rasa needs for tokens and entities would be
lost. We split the original text ourselves and normalise each piece, so
every syllable keeps the exact character span it was typed at, whatever
the input looks like (NFD, old tone placement, repeated spaces, teencode).
"""

from typing import List, NamedTuple

import regex

from bot.nlu.lexicon import Lexicon
from bot.nlu.text import normalize_syllable

# A syllable: letters/digits with their combining marks (NFD input), numbers
# with inner separators ("10.3", "0299.3626800") and hyphenated names
# ("pc-covid"). Punctuation and emoji are not syllables.
_SYLLABLE = regex.compile(r"\d+(?:[.,]\d+)+|[\w\p{M}]+(?:-[\w\p{M}]+)*")


class Syllable(NamedTuple):
    text: str  # normalised form
    start: int  # span in the original message
    end: int


def raw_syllables(text: str) -> List[Syllable]:
    """Syllables with diacritics and spelling normalised, teencode untouched."""
    return [Syllable(normalize_syllable(m.group()), m.start(), m.end()) for m in _SYLLABLE.finditer(text)]


def expand_teencode(syllables: List[Syllable], lexicon: Lexicon) -> List[Syllable]:
    """Replace teencode (longest match first); each replacement syllable
    keeps the span of the typed abbreviation."""
    longest = lexicon.longest_teencode_key
    out: List[Syllable] = []
    i = 0
    while i < len(syllables):
        for size in range(min(longest, len(syllables) - i), 0, -1):
            key = tuple(s.text for s in syllables[i : i + size])
            replacement = lexicon.teencode.get(key)
            if replacement is not None:
                start, end = syllables[i].start, syllables[i + size - 1].end
                out.extend(Syllable(word, start, end) for word in replacement)
                i += size
                break
        else:
            out.append(syllables[i])
            i += 1
    return out


def normalize(text: str, lexicon: Lexicon) -> List[Syllable]:
    return expand_teencode(raw_syllables(text), lexicon)


def normalized_text(text: str, lexicon: Lexicon) -> str:
    """The message as the pipeline reads it (for staff tools and logs)."""
    return " ".join(s.text for s in normalize(text, lexicon))
