"""Reading a follow-up in the light of the bot's last answer.

"ý tôi là..." restates a question the bot answered: the citizen needs a
more specific answer, never the same one again. "thế còn iPhone thì sao"
after an answer about running in the background asks the same thing
about iPhones; read alone, it would be a question about which phones
work. The parse of the message alone stays the default; these rules only
move it within what the classifier itself ranked.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from rasa.shared.core.events import UserUttered

from bot.knowledge import Family
from bot.nlu import retrieval
from bot.nlu.lexicon import Lexicon
from bot.nlu.normalizer import normalize
from bot.nlu.phrases import mentions
from bot.nlu.text import fold, normalize_syllable

# A "thế còn..." follow-up longer than this many syllables is a question of
# its own, read without the last one.
MAX_FOLLOW_UP_SYLLABLES = 12
# "máy tôi là Oppo" longer than this many syllables says more than which
# phone: it is read alone.
MAX_DEVICE_SYLLABLES = 10
# "còn Bluezone thì sao" after an answer about PC-Covid asks the same of
# Bluezone; longer, it asks something of its own ("còn Bluezone có theo dõi
# vị trí không").
MAX_OTHER_APP_SYLLABLES = 6
# A follow-up read alone is taken in the last topic when the classifier
# ranked that topic's best new answer at least this share of its best.
LEANS_TO_TOPIC = 0.5

# How sure a follow-up read alone must be of another topic to keep it
# when read with the last question it only repeats the last answer.
SURELY_ELSEWHERE = 0.5
# A short question that names nothing, read alone, is unsure whose it is
# ("mất tiền không": Bluezone's price first, the vaccine's after), and
# read as not understood it ranks its answers lower still: this share is
# enough there, if that answer itself has at least NOT_UNDERSTOOD_LEAST
# (a question about something else entirely, "giá vàng hôm nay bao
# nhiêu", ranks every answer near nothing). Read with the last question,
# that question's words outweigh it, and the last topic's other answers
# come near equal: its own lean says which it asks.
NOT_UNDERSTOOD_LEANS = 0.25
NOT_UNDERSTOOD_LEAST = 0.1

Parse = Dict[str, Any]


@dataclass(frozen=True)
class Answered:
    """The citizen's last question the bot answered from its knowledge."""

    text: str
    intent: str
    key: str  # "ask_how_it_works/background"


def answer_key(parse: Parse) -> Optional[str]:
    """The retrieval key chosen for this parse, e.g. ask_install/uninstall."""
    intent = (parse.get("intent") or {}).get("name")
    return retrieval.chosen(parse.get("response_selector") or {}, intent) if intent else None


def last_answered(events: Iterable[Any]) -> Optional[Answered]:
    """The latest question of the conversation that got a knowledge answer."""
    for event in reversed(list(events)):
        if not isinstance(event, UserUttered) or (event.text or "").startswith("/"):
            continue
        key = answer_key(event.parse_data or {})
        if key:
            return Answered(event.text or "", key.split("/")[0], key)
    return None


# Polite words before a follow-up ("Dạ máy tôi là iPhone", "vâng, thế còn
# Android"), folded: the follow-up starts after them.
_POLITE_OPENERS = {"da", "vang", "a", "u", "o", "ok"}


# A message that points back at the last answer ("mã đó xài được bao lâu").
REFERS = "refers"
# Such a message often asks something of its own about what it points at
# ("ai được xem cái đó" after what the contact history is: who may see it),
# so read with the last question it must be this many times surer than
# read alone to take the last topic.
POINTING_BACK_MARGIN = 2.0


def follow_up_kind(text: str, lexicon: Lexicon) -> Tuple[Optional[str], int]:
    """("clarify" | "same_topic" | "device" | "refers" | None, number of
    syllables in the message)."""
    typed = [s.text for s in normalize(text, lexicon)]
    words = [fold(word) for word in typed]
    start = 0
    while start < len(words) - 1 and words[start].strip(",.!") in _POLITE_OPENERS:
        start += 1
    as_typed = normalize_syllable(text)  # not the tokens: teencode expands with diacritics
    accented = fold(as_typed) != as_typed
    for kind, openings in lexicon.follow_ups.items():
        for opening in openings:
            if _opens_with(typed[start:], opening, accented):
                return kind, len(words)
    if any(_holds(typed, referring) for referring in lexicon.referring):
        return REFERS, len(words)
    return None, len(words)


def _opens_with(typed: Sequence[str], opening: Sequence[str], accented: bool) -> bool:
    """In a message typed with diacritics, the words as written ("nêu rõ
    các bước", state, does not open with "nếu", if; "thế con tôi", my
    child, not with "thế còn"); in one typed without, folded ("neu vay")."""
    head = tuple(normalize_syllable(word) for word in typed[: len(opening)])
    written, folded = _forms(tuple(opening))
    return head == written if accented else tuple(fold(word) for word in head) == folded


@lru_cache(maxsize=None)
def _forms(opening: Tuple[str, ...]) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """An opening of the lexicon as written and folded, worked out once."""
    written = tuple(normalize_syllable(word) for word in opening)
    return written, tuple(fold(word) for word in written)


def names_a_topic(text: str, lexicon: Lexicon) -> bool:
    """Names the app, a phone or the disease in words (`app_words`,
    `disease_words`: "cài có mất tiền không"), unlike "có mất tiền không",
    which asks about whatever was last answered. Phone brands are
    entities: see `phones_named`."""
    syllables = _syllables(text, lexicon)
    return mentions(syllables, lexicon.app_words, lexicon.not_app_words) or mentions(syllables, lexicon.disease_words)


def names_the_disease(text: str, lexicon: Lexicon) -> bool:
    """Names the disease ("cách ly", "F1", `disease_words`): about COVID, whatever came before."""
    return mentions(_syllables(text, lexicon), lexicon.disease_words)


def _syllables(text: str, lexicon: Lexicon) -> List[str]:
    return [s.text.lower() for s in normalize(text, lexicon)]


def _holds(words: Sequence[str], phrase: Sequence[str]) -> bool:
    return any(list(words[i : i + len(phrase)]) == list(phrase) for i in range(len(words) - len(phrase) + 1))


def clarified(parse: Parse, last: Answered) -> Parse:
    """ "ý tôi là ...": the best-ranked answer of the same topic that is not
    the one already given."""
    intent = (parse.get("intent") or {}).get("name")
    if answer_key(parse) != last.key or not intent:
        return parse
    selector = parse.get("response_selector") or {}
    key, confidence = retrieval.best_within(selector, intent, exclude=(last.key,))
    if key == last.key:
        return parse
    return retrieval.with_answer(parse, intent, key, confidence)


def _topic_confidence(parse: Parse, intent: str, default: float) -> float:
    for row in parse.get("intent_ranking") or []:
        if row.get("name") == intent:
            return float(row.get("confidence") or 0.0)
    return default


def _near_top(confidence: float, best: float, share: float = LEANS_TO_TOPIC) -> bool:
    """Ranked at all, and at least `share` of the best."""
    return confidence > 0 and confidence >= share * best


def leaning_to_last_topic(
    alone: Parse, last: Answered, share: float = LEANS_TO_TOPIC, least: float = 0.0
) -> Optional[Parse]:
    """The answer of the last topic that the message alone leans to ("còn
    thời gian thì sao" after the distance: the duration), when the
    classifier ranked it at least `share` of its best answer and at least
    `least`, and it is not the answer just given; None otherwise."""
    selector = alone.get("response_selector") or {}
    ranked = retrieval.ranking(selector)
    key, confidence = retrieval.best_within(selector, last.intent, exclude=(last.key,))
    if not ranked or not _near_top(confidence, ranked[0][1], share) or confidence < least:
        return None
    return retrieval.with_answer(
        alone, last.intent, key, confidence, intent_confidence=_topic_confidence(alone, last.intent, confidence)
    )


def toward_next_answer(alone: Parse, last: Answered, families: Mapping[str, Family]) -> Optional[Parse]:
    """ "còn nếu cần hỗ trợ thì liên hệ ai" after what an agency must do:
    read alone it is the help topic's overview, yet the answer that follows
    the last one (its family's `follow_up`) lies in that topic and says it
    for this case. Taken when the classifier ranked that answer at least
    LEANS_TO_TOPIC of the overview it chose; None otherwise."""
    family = families.get(last.key)
    follow = family.follow_up if family else None
    intent = str((alone.get("intent") or {}).get("name"))
    overview = f"{intent}/{retrieval.OVERVIEW}"
    if not follow or follow == last.key or answer_key(alone) != overview or follow.split("/")[0] != intent:
        return None
    confidences = dict(retrieval.ranking(alone.get("response_selector") or {}))
    best, confidence = confidences.get(overview, 0.0), confidences.get(follow, 0.0)
    if not _near_top(confidence, best):
        return None
    return retrieval.with_answer(alone, intent, follow, confidence)


def next_best_alone(alone: Parse) -> Optional[Parse]:
    """The answer the message alone ranks second, of any topic, when it is
    ranked at least LEANS_TO_TOPIC of the first: "thế còn lúc cài đặt thì
    sao, có cần wifi không" after whether Bluezone needs the internet ranks
    that answer first (its words) and the download's network second."""
    ranked = retrieval.ranking(alone.get("response_selector") or {})
    if len(ranked) < 2 or not _near_top(ranked[1][1], ranked[0][1]):
        return None
    key, confidence = ranked[1]
    intent = key.split("/")[0]
    return retrieval.with_answer(
        alone, intent, key, confidence, intent_confidence=_topic_confidence(alone, intent, confidence)
    )


def _surer_in_last_topic(alone: Parse, in_context: Parse, last: Answered, margin: float = 1.0) -> bool:
    """Read with the last question, the message gets an answer of the last
    topic, and is at least `margin` times as sure of it as of the message
    alone."""
    intent = (in_context.get("intent") or {}).get("name")
    return (
        intent == last.intent
        and bool(answer_key(in_context))
        and retrieval.intent_confidence(in_context) >= margin * retrieval.intent_confidence(alone)
    )


def about_the_last_answer(alone: Parse, in_context: Parse, last: Answered, margin: float) -> Parse:
    """A short question that names nothing ("có mất tiền không" after the
    vaccine answer), read with the last question: when that reading stays
    in the last topic and is `margin` times as sure as the message alone:
    the answer just given when read alone it gets that answer too (it asks
    of that answer), else the answer of that topic the message alone leans
    to (the cost), else its best answer other than the one just given,
    read with the last question (whose words outweigh the short one's
    there); otherwise the message alone."""
    if not _surer_in_last_topic(alone, in_context, last, margin):
        return alone
    if _asks_of_the_last_answer(alone, in_context, last):
        return {**in_context, "text": alone.get("text", "")}
    leaning = leaning_to_last_topic(alone, last, share=NOT_UNDERSTOOD_LEANS, least=NOT_UNDERSTOOD_LEAST)
    return leaning or {**clarified(in_context, last), "text": alone.get("text", "")}


def _asks_of_the_last_answer(alone: Parse, in_context: Parse, last: Answered) -> bool:
    """Read alone (however unsure of its topic) and with the last question,
    the message gets the answer just given: it asks of that answer ("vậy
    đi khám ở đâu" after what to do after COVID), not of another one."""
    return answer_key(alone) == last.key == answer_key(in_context)


def within_last_topic(alone: Parse, in_context: Parse, last: Answered, marked: bool, margin: float = 1.0) -> Parse:
    """A short follow-up: read with the last question when that reading
    stays in the last answer's topic, asks something new there and is
    `margin` times as sure as the message alone. When that reading only
    repeats the last answer and the message is `marked` as going on with
    the topic ("thế còn...", not a bare "ok hiểu rồi"): the answer of the
    last topic it leans to alone, or, where the message alone gives the
    last answer again, the answer it ranks next, or the next best of that
    topic read with the last question.
    Otherwise the message alone decides."""
    repeats = answer_key(alone) == last.key
    if (alone.get("intent") or {}).get("name") == last.intent and not (marked and repeats):
        return alone
    surer_in_topic = _surer_in_last_topic(alone, in_context, last, margin)
    if surer_in_topic and answer_key(in_context) != last.key:
        return {**in_context, "text": alone.get("text", "")}
    if not marked:
        return alone
    leaning = leaning_to_last_topic(alone, last) or (next_best_alone(alone) if repeats else None)
    if leaning:
        return leaning
    if surer_in_topic and not _surely_elsewhere(alone, last):
        return {**clarified(in_context, last), "text": alone.get("text", "")}
    return alone


def _surely_elsewhere(alone: Parse, last: Answered) -> bool:
    """Asks a question of its own, read alone surely in another topic the
    bot answers ("còn nếu giờ tôi ho, sốt thì báo ở đâu?" after the health
    declaration's fines): read with the last question, that question's
    words outweigh it. "Còn X thì sao" asks the last question again, of X
    ("còn bà ngoại tôi không biết chữ thì làm sao")."""
    intent = str((alone.get("intent") or {}).get("name"))
    topics = (alone.get("response_selector") or {}).get("all_retrieval_intents") or []
    what_about = _WHAT_ABOUT.search(fold(str(alone.get("text") or "").lower()))
    sure = retrieval.intent_confidence(alone) >= SURELY_ELSEWHERE
    return not what_about and sure and intent in topics and intent != last.intent


# "... thì sao", "... thì làm sao", "... thì thế nào", maybe with a few
# words of courtesy after it ("thì sao vậy ad ơi"), folded.
_WHAT_ABOUT = re.compile(r"\bthi (?:lam )?(?:sao|the nao)\b\W*(?:\w+\W*){0,3}$")


# Phones named in a message (bot/nlu/device_entities.py), and the values
# of those that run iOS; every other phone named runs Android.
PHONE_ENTITIES = ("device_os", "phone_brand")
IOS_PHONES = {"ios", "iphone", "ipad"}


def phones_named(parse: Parse) -> Set[str]:
    """ "ios" and/or "android": the kinds of phone the message names."""
    return {
        "ios" if str(entity.get("value", "")).lower() in IOS_PHONES else "android"
        for entity in parse.get("entities") or []
        if entity.get("entity") in PHONE_ENTITIES
    }


# Words beside a phone's name in a message that only names it ("máy oppo
# a37", "con samsung j2 của tui", "đt xiaomi redmi note 8"), folded; a
# model's number ("a37", "5.1") counts too.
_BESIDE_A_PHONE = {
    *"may dien thoai dt dthoai con cai cua toi tui em minh bac chau co la dung xai doi ban phien hieu a nha ad".split(),
    *"galaxy redmi note prime plus pro max mini lite".split(),
}
_MODEL_NUMBER = re.compile(r"\d")


def only_names_a_phone(text: str, alone: Parse) -> bool:
    """Tells which phone and nothing else ("máy oppo a37", "android 5.1"),
    as "máy tôi là ..." does."""
    if not phones_named(alone):
        return False
    named = set()
    for entity in alone.get("entities") or []:
        if entity.get("start") is not None and entity.get("end") is not None:
            named.update(range(int(entity["start"]), int(entity["end"])))
    rest = "".join(" " if index in named else char for index, char in enumerate(text))
    words = [fold(w.lower().strip(",.!?")) for w in rest.split()]
    return all(w in _BESIDE_A_PHONE or _MODEL_NUMBER.search(w) for w in words if w)


def for_the_other_phone(alone: Parse, last: Answered, families: Mapping[str, Family]) -> Optional[Parse]:
    """ "thế còn Android thì sao" after the answer for iPhones: the same
    question for the other kind of phone (`other_phone` in questions.yml),
    which the classifier, reading "Android" alone, cannot know. None when
    the last answer has no such pair or the message names no other phone."""
    family = families.get(last.key)
    pair = families.get(family.other_phone or "") if family else None
    if pair is None or phones_named(alone) != {pair.phone}:
        return None
    confidence = _topic_confidence(alone, pair.topic, retrieval.intent_confidence(alone))
    return retrieval.with_answer(alone, pair.topic, pair.key, confidence, intent_confidence=confidence)


def apps_named(text: str, lexicon: Lexicon) -> Set[str]:
    """The apps the message names (`app_names` in the lexicon)."""
    syllables = _syllables(text, lexicon)
    return {app for app, names in lexicon.app_names.items() if mentions(syllables, names)}


def for_the_app_named(
    parse: Parse, text: str, lexicon: Lexicon, families: Mapping[str, Family], last: Optional[Answered] = None
) -> Optional[Parse]:
    """The same question asked of the app the message names, when the
    answer chosen is about the other one (`app` and `other_app` in
    questions.yml): "thế cái app mới đó web chính thức là gì" is read as
    Bluezone's website, the words being Bluezone's. With `last`, the answer
    asked about is the last one ("còn Bluezone thì sao" after PC-Covid's
    website). None when the message names no single app, or that answer
    is already about it or has no counterpart, or, without `last`, is
    about the app that replaced the one named (`app_successors`)."""
    family = families.get(last.key if last else answer_key(parse) or "")
    pair = families.get(family.other_app or "") if family else None
    if pair is None:
        return None
    named = apps_named(text, lexicon)
    if len(named) != 1 or family.app in named or pair.app not in named:
        return None
    if last is None and lexicon.app_successors.get(pair.app) == family.app:
        return None
    confidence = _topic_confidence(parse, pair.topic, retrieval.intent_confidence(parse))
    return retrieval.with_answer(parse, pair.topic, pair.key, confidence, intent_confidence=confidence)


def for_this_phone(
    readings: Sequence[Parse], told: Set[str], last: Answered, families: Mapping[str, Family]
) -> Optional[Parse]:
    """ "máy bác là Samsung á" after how to install: the last topic's answer
    for that kind of phone (`phone` in questions.yml), from the first of
    `readings` (the message with the last question, then alone; a long
    story before drowns the phone in the first) that ranks it at least
    LEANS_TO_TOPIC of its best answer. Only for a message that tells the
    phone and asks nothing: the caller decides that. None after an answer
    for one kind of phone already, or when no reading ranks such an answer
    near its top."""
    general = families.get(last.key)
    if len(told) != 1 or general is None or general.phone:
        return None
    for reading in readings:
        ranked = retrieval.ranking(reading.get("response_selector") or {})
        for key, confidence in ranked:
            if not _near_top(confidence, ranked[0][1]):
                break
            family = families.get(key)
            if key.startswith(last.intent + "/") and family and family.phone in told:
                topic_confidence = _topic_confidence(reading, last.intent, confidence)
                return retrieval.with_answer(reading, last.intent, key, confidence, intent_confidence=topic_confidence)
    return None


def for_the_phone_told(alone: Parse, in_context: Parse, last: Answered) -> Parse:
    """ "máy tôi là Oppo" after an answer names the phone the last question
    was about: read with that question, it keeps the last topic and may
    well get the same answer again (it already fitted that phone). Read
    alone, such a message is a guess; a real question of its own ("tôi
    dùng iPhone 6 có cài được không") is surer alone and stays alone."""
    if (alone.get("intent") or {}).get("name") != last.intent and _surer_in_last_topic(alone, in_context, last):
        return {**in_context, "text": alone.get("text", "")}
    return alone
