"""A typed button title means what the button means.

Citizens often type the title of a button instead of pressing it ("vẫn
còn lỗi", "có"), or a short reply that means the same ("ko", "chưa
được"), or, where a channel can only show choices as a numbered list,
the number. Read by the classifier alone, such a message is a guess;
matched against the buttons the bot has just shown, it is certain. Only a
message that is nothing but the reply counts: "không biết cài sao" is a
question. Under a plain yes/no question ("đã chạy được chưa?") a reply
told in a sentence counts too (`told_reply`); a 👍/👎 vote never does.
"""

import re
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Tuple

from rasa.shared.core.events import BotUttered, UserUttered

from bot.conversation.segments import asks, tells_a_problem
from bot.nlu.lexicon import Lexicon, Syllables
from bot.nlu.normalizer import normalize
from bot.nlu.phrases import mentions
from bot.nlu.text import fold

# A reply longer than this is a sentence, not a button press.
MAX_REPLY_SYLLABLES = 6
_PAYLOAD_INTENT = re.compile(r"^/([\w/+-]+)")
# A choice typed as its number in the list ("2", "số 2", "2."), nothing else.
_NUMBER = re.compile(r"^\s*(?:số\s*)?(\d{1,2})\s*[.)]?\s*$", re.IGNORECASE)
MEANINGS = {"yes": "affirm", "no": "deny"}

Button = Dict[str, Any]


def buttons_on_screen(events: Iterable[Any]) -> List[Button]:
    """The payload buttons of the bot's messages since the citizen last spoke."""
    shown: List[Button] = []
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            shown[:0] = [b for b in (event.data or {}).get("buttons") or [] if b.get("payload")]
    return shown


@lru_cache(maxsize=64)
def _folded(phrases: Tuple[Syllables, ...]) -> FrozenSet[Syllables]:
    """The lexicon's phrases as compared with a typed reply, worked out once per phrase list."""
    return frozenset(tuple(fold(w) for w in p) for p in phrases)


def _core(text: str, lexicon: Lexicon) -> Syllables:
    """Folded syllables with the politeness words at either end removed."""
    words = [fold(s.text) for s in normalize(text, lexicon)]
    particles = _folded(lexicon.particles)
    while words and (words[0],) in particles:
        words.pop(0)
    return tuple(words[: _before_closing_particles(words, lexicon)])


def _before_closing_particles(words: List[str], lexicon: Lexicon) -> int:
    """How many of the words (folded or not) come before the politeness words closing them."""
    particles = _folded(lexicon.particles)
    end = len(words)
    while end and (fold(words[end - 1]),) in particles:
        end -= 1
    return end


def _meaning(reply: Syllables, lexicon: Lexicon) -> Optional[str]:
    """A reply made only of one meaning's phrases, with politeness words
    between them, means it: "ok, hiểu rồi" is "ok" then "hiểu rồi"."""
    particles = _folded(lexicon.particles)
    for meaning, phrases in lexicon.replies.items():
        if _made_of(reply, _folded(phrases) | particles):
            return meaning
    return None


def _made_of(words: Syllables, phrases: FrozenSet[Syllables]) -> bool:
    """Whether `words` is a sequence of `phrases` (the ends are never particles: see _core)."""
    ends = {0}
    for start in range(len(words)):
        if start in ends:
            ends |= {start + len(p) for p in phrases if p and words[start : start + len(p)] == p}
    return len(words) in ends


def payload_intent(payload: str) -> Optional[str]:
    match = _PAYLOAD_INTENT.match(payload or "")
    return match.group(1) if match else None


def pressed(text: str, buttons: List[Button], lexicon: Lexicon) -> Optional[Button]:
    """The button `text` stands for, if it is only a title or a yes/no reply."""
    if not buttons or text.startswith("/"):
        return None
    number = _NUMBER.match(text)
    if number:
        index = int(number.group(1)) - 1
        return buttons[index] if 0 <= index < len(buttons) else None
    reply = _core(text, lexicon)
    if not reply or len(reply) > MAX_REPLY_SYLLABLES:
        return None
    for button in buttons:
        if _core(str(button.get("title", "")), lexicon) == reply:
            return button
    meaning = _meaning(reply, lexicon)
    return _button_meaning(buttons, meaning) if meaning in MEANINGS else None


def told_reply(text: str, buttons: List[Button], lexicon: Lexicon) -> Optional[Button]:
    """The yes or no button, for a reply told in a sentence under a plain
    yes/no question ("đã chạy được chưa?"). Never a vote (a payload
    carrying entities): a vote counts only when bare. Never a message
    that asks something: a question is never swallowed.

    Yes: a clause ends with a yes ("rồi, cập nhật xong mở lên được rồi",
    "bật định vị lên là hết báo rồi") and the other words tell no problem
    and nothing against it ("ok, mà vẫn lỗi", "ok, để em thử", "tưởng vô
    được rồi, ai ngờ..."). No: the problem is told to be as before ("...mà
    nó vẫn tự tắt y như cũ"). Any other "no" with more words is left to
    the classifier, which tells a new problem ("chưa được, máy tui đời cũ
    lắm") from the same one."""
    plain = _plain(buttons)
    if text.startswith("/") or not plain or asks(text, lexicon):
        return None
    clauses = [c for c in _CLAUSE_END.split(text) if c.strip()]
    for index, clause in enumerate(clauses):
        head = _before_a_closing_yes(clause, lexicon)
        if head is not None:
            rest = " ".join([*clauses[:index], head, *clauses[index + 1 :]])
            if not _says(rest, _AGAINST, lexicon) and not tells_a_problem(rest, lexicon):
                return _button_meaning(plain, "yes")
            break
    as_before = _says(text, _AS_BEFORE, lexicon) or _says(text, _AS_BEFORE_AT_THE_END, lexicon, at_the_end=True)
    if as_before and not _says(text, _NO_LONGER, lexicon):
        return _button_meaning(plain, "no")
    return None


def asks_for_more(text: str, buttons: List[Button], lexicon: Lexicon) -> bool:
    """Under a yes/no question, a message asking to hear more ("nói rõ
    hơn đi ad", `asking_for_more` in the lexicon) is neither answer: the
    classifier reads it as "go on", the same intent as "yes", and "đã chạy
    được chưa?" must not take it for "yes, it works now"."""
    if _button_meaning(_plain(buttons), "yes") is None:
        return False
    syllables = [s.text.lower() for s in normalize(text, lexicon)]
    return mentions(syllables, lexicon.asking_for_more) and not mentions(syllables, lexicon.not_asking_for_more)


def _plain(buttons: List[Button]) -> List[Button]:
    """The yes/no buttons of a plain question, not the votes (payloads with entities)."""
    return [b for b in buttons if "{" not in b["payload"]]


def _button_meaning(buttons: List[Button], meaning: str) -> Optional[Button]:
    matches = [b for b in buttons if payload_intent(b["payload"]) == MEANINGS[meaning]]
    return matches[-1] if matches else None


def _before_a_closing_yes(clause: str, lexicon: Lexicon) -> Optional[str]:
    """The clause's words before the yes that closes it ("" when the clause
    is only the yes); None when no yes closes it. A closing yes of one
    syllable ("...cài lại rồi") is the end of a statement, not a reply."""
    words = normalize(clause, lexicon)
    particles = _folded(lexicon.particles)
    words = words[: _before_closing_particles([w.text for w in words], lexicon)]
    core = _core(clause, lexicon)
    if core and _meaning(core, lexicon) == "yes":
        return ""
    for length in range(min(len(words) - 1, MAX_REPLY_SYLLABLES), 1, -1):
        tail = tuple(fold(w.text) for w in words[-length:])
        if (tail[0],) not in particles and _meaning(tail, lexicon) == "yes":
            # "giờ hết vô được rồi", "hết xài được rồi": no longer, not again.
            no_longer = _NO_LONGER_BEFORE in [fold(w.text) for w in words[max(0, len(words) - length - 2) : -length]]
            return None if no_longer else clause[: words[-length].start]
    return None


def _says(text: str, phrases: Iterable[str], lexicon: Lexicon, at_the_end: bool = False) -> bool:
    """Whether one of `phrases` (written with diacritics) occurs in the text
    (`at_the_end`: ends it, but for particles): in a message typed with
    diacritics as written ("má" is not "mà", "do" is not "đơ"), in one
    typed without them in their folded form."""
    typed = [w.text.lower() for w in normalize(text, lexicon)]
    if at_the_end:
        typed = typed[: _before_closing_particles(typed, lexicon)]
    accented = any(fold(word) != word for word in typed)
    forms = [(phrase if accented else fold(phrase)).split() for phrase in phrases]
    if at_the_end:
        return any(words and typed[-len(words) :] == words for words in forms)
    return any(typed[i : i + len(words)] == words for words in forms for i in range(len(typed) - len(words) + 1))


_CLAUSE_END = re.compile(r"[,.!;]")
# What turns a yes around or says it is not one yet: a "but" ("ok, mà vẫn
# lỗi"), a "thought" ("tưởng được rồi, ai ngờ..."), "no longer" ("giờ hết
# vô được rồi"), a try still to come ("ok, để em thử"), a request ("được
# rồi, chỉ tui cách tắt thông báo"), a problem the lexicon's list misses,
# a time before now ("lúc trước mở bình thường").
_AGAINST = (
    "mà",
    "nhưng",
    "tuy",
    "vẫn",
    "không",
    "chưa",
    "tưởng",
    "ai ngờ",
    "thôi",
    "thử",
    "chờ",
    "đợi",
    "để em",
    "để tui",
    "để tôi",
    "để mình",
    "để mai",
    "chỉ tui",
    "chỉ tôi",
    "chỉ em",
    "chỉ mình",
    "giúp",
    "giùm",
    "văng",
    "đơ",
    "treo",
    "lỗi",
    "tự tắt",
    "tự thoát",
    "nó đòi",
    "lại đòi",
    "lại bị",
    "lúc trước",
    "hồi trước",
    "trước giờ",
    "trước đây",
)
# A problem told to be as it was ("vẫn tự tắt y như cũ"), unless it is no longer.
_AS_BEFORE = (
    "vẫn như cũ",
    "y như cũ",
    "bị như cũ",
    "vẫn như trước",
    "y như trước",
    "y chang",
    "y vậy",
    "y như vậy",
    "vẫn vậy",
    "vẫn thế",
    "lỗi vẫn còn",
)
# ...or a "still" that names nothing after it ("làm hết rồi mà vẫn bị"; a
# bare "vẫn còn" is not one: "lịch sử tiếp xúc vẫn còn").
_AS_BEFORE_AT_THE_END = ("vẫn bị", "vẫn còn bị")
_NO_LONGER = ("không còn", "hết bị")
_NO_LONGER_BEFORE = "het"
