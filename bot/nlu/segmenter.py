"""Groups normalised syllables into Vietnamese words with underthesea.

underthesea returns words as strings; we map each word back onto the
syllables it covers, so a word's span in the original message is the span
from its first to its last syllable. If underthesea ever returns something
we cannot map, the message falls back to one word per syllable: a
segmentation failure must never become an error for the citizen.
"""

import logging
from typing import Collection, List, NamedTuple, Sequence

from underthesea import word_tokenize

from bot.nlu.normalizer import Syllable
from bot.nlu.text import fold

logger = logging.getLogger(__name__)


class Word(NamedTuple):
    syllables: Sequence[Syllable]

    @property
    def text(self) -> str:
        # "_" joins syllables (underthesea's own text format): Rasa's
        # CountVectorsFeaturizer would split a word on spaces.
        return "_".join(s.text for s in self.syllables)

    @property
    def start(self) -> int:
        return min(s.start for s in self.syllables)

    @property
    def end(self) -> int:
        return max(s.end for s in self.syllables)


def one_word_per_syllable(syllables: Sequence[Syllable]) -> List[Word]:
    return [Word((s,)) for s in syllables]


def _syllable_groups(syllables: Sequence[Syllable], pieces: Sequence[str]) -> List[List[int]]:
    """For each underthesea word, the indices of the syllables it covers."""
    joined = " ".join(s.text for s in syllables)
    owner = []  # character of `joined` -> syllable index (-1 for separators)
    for index, syllable in enumerate(syllables):
        if index:
            owner.append(-1)
        owner.extend([index] * len(syllable.text))

    groups, cursor = [], 0
    for piece in pieces:
        indices: List[int] = []
        for part in piece.split():
            found = joined.find(part, cursor)
            if found < 0:
                raise ValueError(f"segment {part!r} not in {joined!r}")
            cursor = found + len(part)
            indices.extend(i for i in owner[found:cursor] if i >= 0)
        if indices:
            groups.append(sorted(set(indices)))
    return groups


def _merge_overlapping(groups: List[List[int]], count: int) -> List[List[int]]:
    """Words that share a syllable (underthesea split "pc-covid" into three)
    become one; syllables no word covered become words of their own."""
    merged: List[List[int]] = []
    for group in groups:
        if merged and group[0] <= merged[-1][-1]:
            merged[-1] = sorted(set(merged[-1]) | set(group))
        else:
            merged.append(group)
    covered = {i for group in merged for i in group}
    merged.extend([i] for i in range(count) if i not in covered)
    return sorted(merged)


def _particle_split_off(word: Word, final_particles: Collection[str]) -> List[Word]:
    """underthesea sometimes glues a closing particle to the word before
    it ("chào_nha"), a word no example taught; in a word typed with
    diacritics a particle typed as listed is split off ("nha", never
    "nhà"; unaccented "o_nha" is "ở nhà")."""
    *rest, last = word.syllables
    if rest and last.text in final_particles and any(fold(s.text) != s.text for s in rest):
        return [Word(tuple(rest)), Word((last,))]
    return [word]


def segment(syllables: Sequence[Syllable], fixed_words: List[str], final_particles: Collection[str] = ()) -> List[Word]:
    if not syllables:
        return []
    text = " ".join(s.text for s in syllables)
    try:
        pieces = word_tokenize(text, use_token_normalize=False, fixed_words=fixed_words)
        groups = _merge_overlapping(_syllable_groups(syllables, pieces), len(syllables))
    except Exception:  # noqa: BLE001 - any segmenter failure degrades, never fails
        logger.debug("Word segmentation failed; one word per syllable.", exc_info=True)
        return one_word_per_syllable(syllables)
    words = [Word(tuple(syllables[i] for i in group)) for group in groups]
    return [part for word in words for part in _particle_split_off(word, final_particles)]
