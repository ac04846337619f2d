"""Loads the chat lexicon (teencode, English words, compounds, entity synonyms) from YAML.

The lexicon is data the department edits (data/knowledge/lexicon.yml); this
module turns it into lookup tables keyed by normalised syllables so that the
normaliser, the segmenter and the entity ruler all agree on spelling.
"""

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Tuple

import yaml

from bot.nlu.text import fold, normalize_syllable
from bot.paths import project_path

DEFAULT_LEXICON_PATH = "data/knowledge/lexicon.yml"

Syllables = Tuple[str, ...]


def split_phrase(phrase: str) -> Syllables:
    """Normalised syllables of a phrase written in the lexicon file."""
    return tuple(normalize_syllable(part) for part in str(phrase).split())


@dataclass(frozen=True)
class Lexicon:
    teencode: Dict[Syllables, Syllables] = field(default_factory=dict)
    compounds: Tuple[str, ...] = ()
    # label -> canonical value -> synonyms (each a tuple of normalised syllables)
    entities: Dict[str, Dict[str, Tuple[Syllables, ...]]] = field(default_factory=dict)
    # "yes" / "no" -> short replies that mean it ("ừ", "chưa được"...)
    replies: Dict[str, Tuple[Syllables, ...]] = field(default_factory=dict)
    # Politeness words around a short reply ("dạ có ạ"), ignored there.
    particles: Tuple[Syllables, ...] = ()
    # Particles that close a sentence ("nha", "nhé"), kept apart from the
    # word before them by the segmenter.
    final_particles: Tuple[str, ...] = ()
    # kind -> how a message opens when it follows up on the last answer
    # ("ý tôi là", "thế còn"...)
    follow_ups: Dict[str, Tuple[Syllables, ...]] = field(default_factory=dict)
    # Words anywhere in a message that point back at the last answer
    # ("mã đó", "nó"), matched as typed with diacritics.
    referring: Tuple[Syllables, ...] = ()
    # Entity synonyms that, typed without diacritics, are everyday words
    # ("may co" is mostly "máy có", not "máy cổ"): matched only as written.
    accented_only: Tuple[Syllables, ...] = ()
    # Words that place a question in the app or the phone ("ứng dụng",
    # "điện thoại"), and words of the disease ("nhiễm", "vắc xin"):
    # bot/nlu/disease_topic.py, and short follow-ups that name none of
    # them (bot/conversation/context.py). `not_app_words` hold an app word
    # without being about the app ("máy bay").
    app_words: Tuple[Syllables, ...] = ()
    not_app_words: Tuple[Syllables, ...] = ()
    disease_words: Tuple[Syllables, ...] = ()
    # Asking to hear more ("nói rõ hơn"): under a yes/no question, neither
    # yes nor no (bot/conversation/buttons.py).
    asking_for_more: Tuple[Syllables, ...] = ()
    not_asking_for_more: Tuple[Syllables, ...] = ()
    # app -> how citizens name it ("app mới" is PC-Covid): a question asked
    # of the other app (bot/conversation/context.py).
    app_names: Dict[str, Tuple[Syllables, ...]] = field(default_factory=dict)
    # app -> the app that replaced it, often asked about by the old one's name.
    app_successors: Dict[str, str] = field(default_factory=dict)

    @property
    def longest_teencode_key(self) -> int:
        return max((len(key) for key in self.teencode), default=0)

    def fixed_words(self) -> List[str]:
        """Multi-syllable words the segmenter must keep whole, with and
        without diacritics (entity synonyms included, so that the entity
        ruler sees them as single tokens)."""
        phrases = {split_phrase(c) for c in self.compounds}
        for values in self.entities.values():
            for synonyms in values.values():
                phrases.update(synonyms)
        words = set()
        for syllables in phrases:
            if len(syllables) > 1:
                words.add(" ".join(syllables))
                if syllables not in self.accented_only:
                    words.add(fold(" ".join(syllables)))
        # Longest first: underthesea tries the alternatives of its regex in order.
        return sorted(words, key=lambda w: (-len(w), w))


def _parse(raw: dict) -> Lexicon:
    def replacements(section: str) -> Dict[Syllables, Syllables]:
        return {split_phrase(key): split_phrase(value) for key, value in (raw.get(section) or {}).items()}

    # English words are read the same way as teencode; teencode wins where both have a word.
    teencode = {**replacements("english"), **replacements("teencode")}
    entities = {
        label: {
            str(canonical): tuple(split_phrase(s) for s in synonyms) for canonical, synonyms in (values or {}).items()
        }
        for label, values in (raw.get("entities") or {}).items()
    }

    def phrases(section: dict) -> Dict[str, Tuple[Syllables, ...]]:
        return {str(k): tuple(split_phrase(p) for p in v or ()) for k, v in (section or {}).items()}

    return Lexicon(
        teencode=teencode,
        compounds=tuple(str(c) for c in raw.get("compounds") or ()),
        entities=entities,
        replies=phrases(raw.get("replies")),
        particles=tuple(split_phrase(p) for p in raw.get("particles") or ()),
        final_particles=tuple(" ".join(split_phrase(p)) for p in raw.get("final_particles") or ()),
        follow_ups=phrases(raw.get("follow_ups")),
        referring=tuple(split_phrase(p) for p in raw.get("referring") or ()),
        accented_only=tuple(split_phrase(p) for p in raw.get("accented_only") or ()),
        app_words=tuple(split_phrase(p) for p in raw.get("app_words") or ()),
        not_app_words=tuple(split_phrase(p) for p in raw.get("not_app_words") or ()),
        disease_words=tuple(split_phrase(p) for p in raw.get("disease_words") or ()),
        asking_for_more=tuple(split_phrase(p) for p in raw.get("asking_for_more") or ()),
        not_asking_for_more=tuple(split_phrase(p) for p in raw.get("not_asking_for_more") or ()),
        app_names=phrases(raw.get("app_names")),
        app_successors={str(k): str(v) for k, v in (raw.get("app_successors") or {}).items()},
    )


@lru_cache(maxsize=8)
def parse_lexicon(text: str) -> Lexicon:
    return _parse(yaml.safe_load(text) or {})


def read_lexicon_text(path: str = DEFAULT_LEXICON_PATH) -> str:
    return project_path(path).read_text(encoding="utf-8")


def load_lexicon(path: str = DEFAULT_LEXICON_PATH) -> Lexicon:
    """The lexicon file as it is now (training and the unit tests; a loaded
    model uses the copy it carries: bot/nlu/lexicon_storage.py)."""
    return parse_lexicon(read_lexicon_text(path))


def lexicon_fingerprint(path: str = DEFAULT_LEXICON_PATH) -> str:
    """Content hash, so Rasa retrains the pipeline when the lexicon changes."""
    return hashlib.sha256(project_path(path).read_bytes()).hexdigest()
