"""Where the lexicon's phrases occur in a message's syllables, as typed:
a syllable typed with diacritics matches only them, one typed without
them matches any accented form ("ma" may be "mã", "mà" is never "mã").
Shared by the disease topic (bot/nlu/disease_topic.py) and the reading
of follow-ups (bot/conversation/context.py)."""

from typing import List, Sequence

from bot.nlu.lexicon import Syllables
from bot.nlu.text import fold


def _same(typed: str, word: str) -> bool:
    """A syllable typed with diacritics must match them; one typed without
    them matches the word's folded form."""
    return typed == word or (fold(typed) == typed and fold(word) == typed)


def _spans(syllables: Sequence[str], phrases: Sequence[Syllables]) -> List[range]:
    found = []
    for phrase in phrases:
        size = len(phrase)
        for start in range(len(syllables) - size + 1):
            if all(_same(syllables[start + i], phrase[i]) for i in range(size)):
                found.append(range(start, start + size))
    return found


def mentions(syllables: Sequence[str], phrases: Sequence[Syllables], unless: Sequence[Syllables] = ()) -> bool:
    """Whether a phrase occurs, other than inside one of `unless` ("máy" in "máy bay")."""
    covered = {i for span in _spans(syllables, unless) for i in span}
    return any(not set(span) <= covered for span in _spans(syllables, phrases))
