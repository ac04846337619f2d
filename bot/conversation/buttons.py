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

from bot.conversation.segments import is_question, tells_a_problem
from bot.nlu.lexicon import Lexicon, Syllables
from bot.nlu.normalizer import normalize
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
    while words and (words[-1],) in particles:
        words.pop()
    return tuple(words)


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
    wanted = MEANINGS.get(meaning or "")
    matches: List[Tuple[int, Button]] = [
        (index, b) for index, b in enumerate(buttons) if payload_intent(b["payload"]) == wanted
    ]
    return matches[-1][1] if wanted and matches else None


def told_reply(text: str, buttons: List[Button], lexicon: Lexicon) -> Optional[Button]:
    """The yes or no button, for a reply told in a sentence under a plain
    yes/no question ("đã chạy được chưa?"). Never a vote (a payload
    carrying entities): a vote counts only when bare.

    Yes: a clause ends with a yes ("rồi, cập nhật xong mở lên được rồi",
    "bật định vị lên là hết báo rồi") and the other words neither ask, nor
    tell a problem, nor turn against it ("ok, mà vẫn lỗi"). No: the
    problem is told to be as before ("...mà nó vẫn tự tắt y như cũ") and
    nothing is asked. Any other "no" with more words is left to the
    classifier, which tells a new problem ("chưa được, máy tui đời cũ
    lắm") from the same one."""
    plain = [b for b in buttons if "{" not in b["payload"]]
    if text.startswith("/") or not plain:
        return None
    clauses = [c for c in _CLAUSE_END.split(text) if c.strip()]
    for index, clause in enumerate(clauses):
        head = _before_a_closing_yes(clause, lexicon)
        if head is not None:
            if _tells_nothing_else(" ".join([*clauses[:index], head, *clauses[index + 1 :]]), lexicon):
                return _button_meaning(plain, "yes")
            break
    folded = f" {' '.join(fold(w.text) for w in normalize(text, lexicon))} "
    if any(f" {same} " in folded for same in _AS_BEFORE) and not is_question(text, lexicon):
        return _button_meaning(plain, "no")
    return None


def _button_meaning(buttons: List[Button], meaning: str) -> Optional[Button]:
    matches = [b for b in buttons if payload_intent(b["payload"]) == MEANINGS[meaning]]
    return matches[-1] if matches else None


def _before_a_closing_yes(clause: str, lexicon: Lexicon) -> Optional[str]:
    """The clause's words before the yes that closes it ("" when the clause
    is only the yes); None when no yes closes it. A closing yes of one
    syllable ("...cài lại rồi") is the end of a statement, not a reply."""
    words = normalize(clause, lexicon)
    particles = _folded(lexicon.particles)
    while words and (fold(words[-1].text),) in particles:
        words = words[:-1]
    core = _core(clause, lexicon)
    if core and _meaning(core, lexicon) == "yes":
        return ""
    for length in range(min(len(words) - 1, MAX_REPLY_SYLLABLES), 1, -1):
        tail = tuple(fold(w.text) for w in words[-length:])
        if (tail[0],) not in particles and _meaning(tail, lexicon) == "yes":
            return clause[: words[-length].start]
    return None


_CLAUSE_END = re.compile(r"[,.!;]")
# A problem told to be as it was ("vẫn tự tắt y như cũ"), folded.
_AS_BEFORE = ("nhu cu", "y chang", "nhu truoc", "van vay", "van the", "van nhu vay", "van nhu the")
# What turns a reply around ("ok, mà vẫn lỗi", "được rồi nhưng hao pin"), folded.
_AGAINST = {"ma", "nhung", "tuy", "van", "khong", "chua"}


def _tells_nothing_else(rest: str, lexicon: Lexicon) -> bool:
    """Words beside a reply that only tell what was done: no question, no
    problem, nothing against the reply."""
    words = [fold(w.text) for w in normalize(rest, lexicon)]
    if _AGAINST & set(words):
        return False
    return not words or not (is_question(rest, lexicon) or tells_a_problem(rest, lexicon))
