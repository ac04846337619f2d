"""What the citizen meant, given the conversation: the one entry point
bot/rasa_runtime.py calls instead of parsing the message alone.

In order: a typed button title is the button (and asking to hear more
under a yes/no question is neither answer: `with_go_on`); a story told before one
question leans, within its topic, towards the answer its asking
sentence points to; a message holding several questions becomes one
parse per question ("questions", answered in the order asked, its
intent named "a+b" as Rasa names multi-intents); "chào" after an answer
takes leave; a follow-up is read against the last answer
(bot.conversation.context).
Everything else is the classifier's own reading of the message alone.
"""

import re
import unicodedata
from typing import Any, Awaitable, Callable, Collection, Dict, List, Mapping, Optional, Sequence, Tuple

from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK_INTENT

from bot.conversation.buttons import asks_for_more, buttons_on_screen, pressed, told_reply
from bot.conversation.context import (
    MAX_DEVICE_SYLLABLES,
    MAX_FOLLOW_UP_SYLLABLES,
    MAX_OTHER_APP_SYLLABLES,
    NOT_UNDERSTOOD_LEANS,
    NOT_UNDERSTOOD_LEAST,
    POINTING_BACK_MARGIN,
    REFERS,
    Answered,
    about_the_last_answer,
    answer_key,
    apps_named,
    clarified,
    follow_up_kind,
    for_the_app_named,
    for_the_other_phone,
    for_the_phone_told,
    for_this_phone,
    last_answered,
    leaning_to_last_topic,
    names_a_topic,
    names_the_disease,
    next_best_alone,
    only_names_a_phone,
    phones_named,
    toward_next_answer,
    within_last_topic,
)
from bot.conversation.segments import (
    SHORT_PIECE,
    asked_in_words,
    asking_sentence,
    asks,
    asks_at_the_end,
    asks_in_words,
    in_light_of,
    in_light_of_question,
    new_sentences,
    opened,
    opens_another_question,
    question_pieces,
    split_decision,
    tells_a_problem,
)
from bot.knowledge import Family
from bot.nlu import retrieval
from bot.nlu.lexicon import Lexicon
from bot.nlu.text import fold

Parse = Dict[str, Any]
Parser = Callable[[str], Awaitable[Parse]]

# Parses of a message with several questions, one per question, in order.
QUESTIONS = "questions"
OUT_OF_SCOPE = "out_of_scope"
# "thì" (folded) of "còn X thì sao": a piece that goes on from the one before.
CONTRAST = "thi"
GREET, GOODBYE, AFFIRM = "greet", "goodbye", "affirm"
# The entity data/rules/help.yml reads: "go on" under a yes/no question, not "yes".
GO_ON = "go_on"
# The entity action_check_problem_again reads: the citizen restates ("ý tôi là...").
CLARIFIES = "clarifies"
# Vietnamese greets and takes leave with the same word; "xin chào" only
# greets. "Bye" ("ok hiểu rồi, bye ad") is read as the "ok" before it.
_LEAVE_TAKING = {"chao", "bye", "pp"}
_ONLY_HELLO = "xin chao"
# "Hay"/"hoặc" opening a piece offer another answer to the question before, folded.
_ALTERNATIVE = {"hay", "hoac"}
# "Nếu" (if) opening a piece, or after "còn"/"mà", folded; "lỡ", "nhỡ" (in
# case) as typed: without accents they are "lo" (worry) and "nhớ" (remember).
_CONDITION = "neu"
_IN_CASE = {"lỡ", "nhỡ"}
# A piece read alone at least this surely (a question taught word for
# word reads 1.0) asks a question of its own.
CERTAIN_ALONE = 0.9
# An answer of the last topic ranked alone at least this share of the
# best answer ties with it.
TIED_WITH_LAST_TOPIC = 0.85


def folded_words(text: str) -> List[str]:
    return re.findall(r"\w+", fold(text.lower()))


def answerable(parse: Parse) -> List[str]:
    """Topics the bot answers from its knowledge (the retrieval intents)."""
    return list(((parse.get("response_selector") or {}).get("all_retrieval_intents")) or [])


def combined(whole: Parse, parts: Sequence[Parse]) -> Parse:
    names: List[str] = []
    for part in parts:
        name = part["intent"]["name"]
        if name not in names:
            names.append(name)
    confidence = min(float(p["intent"].get("confidence") or 0) for p in parts)
    return {**whole, "intent": {"name": "+".join(names), "confidence": confidence}, QUESTIONS: list(parts)}


def topic(parse: Parse) -> Optional[str]:
    return (parse.get("intent") or {}).get("name")


async def joined_where_continued(
    pieces: Sequence[str],
    parts: Sequence[Parse],
    parse: Parser,
    whole: Parse,
    topics: Sequence[str],
    lexicon: Lexicon,
    min_confidence: float,
    going_on: Collection[int] = (),
    sentences: Collection[int] = (),
) -> Tuple[List[str], List[Parse], List[int]]:
    """A short piece, or one read as no topic answered ("có bị bán cho bên
    quảng cáo không?" after why the phone number), that only goes on with
    the one before it ("...có tiêm được không, đăng ký ở đâu?"): read together, they stay in the
    earlier piece's topic, so the two are one question, joined and read
    together; the other pieces may still ask questions of their own.
    `parts` are the pieces' parses, in the same order; the pieces at
    `going_on` ("còn F2 thì sao") were already read with the one before.
    A piece that brings up another question ("..., với có tốn 4G không")
    stays apart (`opens_another_question`), and so does a short question
    that asks another thing of the same topic (`another_of_the_topic`) or
    a question of its own (`asks_its_own`), and so does a sentence of its
    own that asks at the end and is read surely alone in another topic
    (the pieces at `sentences`: "Bluezone có đọc danh bạ không. Có tốn 4G
    không?").
    Returns the pieces, their parses and `going_on` after joining."""
    pieces, parts, going = list(pieces), list(parts), list(going_on)
    index = 1
    while index < len(pieces):
        short = len(pieces[index].split()) <= SHORT_PIECE or topic(parts[index]) not in topics
        own_sentence = index in sentences and _asks_surely_alone(pieces[index], parts[index], lexicon, min_confidence)
        if short and index not in going and not own_sentence:
            together = await parse(f"{pieces[index - 1]}, {pieces[index]}")
            pair = (pieces[index - 1], pieces[index])
            other = another_of_the_topic(pair, parts[index], parts[index - 1], together, lexicon)
            if other:
                parts[index] = other
                going.append(index)
            elif (
                not opens_another_question(pieces[index], lexicon)
                and topic(together) == topic(parts[index - 1]) != topic(parts[index])
                and not asks_its_own(pieces[index], parts[index], lexicon, min_confidence, topics)
            ):
                pieces[index - 1 : index + 1] = [f"{pieces[index - 1]}, {pieces[index]}"]
                parts[index - 1 : index + 1] = in_light_of(whole, [together], topics)
                going = [g - 1 if g > index else g for g in going]
                continue
        index += 1
    return pieces, parts, going


def _asks_surely_alone(piece: str, alone: Parse, lexicon: Lexicon, min_confidence: float) -> bool:
    return asks_at_the_end(piece, lexicon) and retrieval.intent_confidence(alone) >= min_confidence


def asks_its_own(piece: str, alone: Parse, lexicon: Lexicon, min_confidence: float, topics: Sequence[str]) -> bool:
    """A short piece read alone all but certainly ("Gửi lịch sử tiếp xúc
    kiểu nào? Hotline số mấy?"), or naming the disease and sure of its
    topic ("Bluezone báo là F1 rồi, giờ phải làm gì, cách ly mấy ngày?"):
    read with the question before it, that question's words outweigh it,
    yet it asks a question of its own (the hotline; the rules of
    isolation, not what the warning means)."""
    sure = retrieval.intent_confidence(alone)
    own = sure >= CERTAIN_ALONE or (names_the_disease(piece, lexicon) and sure >= min_confidence)
    return own and topic(alone) in topics


def another_of_the_topic(
    pair: Tuple[str, str], alone: Parse, before: Parse, together: Parse, lexicon: Lexicon
) -> Optional[Parse]:
    """ "Tiêm vắc xin đăng ký ở đâu? Có mất phí không?": the short question
    names nothing, so alone it is read as Bluezone's cost; read with the
    question before, it stays in that topic and ranks another of its
    answers (the vaccine's cost) near the top, an answer the piece alone
    also puts above the one before. That answer, asked on its own; None
    when the piece only goes on with the question before ("..., đăng ký ở
    đâu?"), offers its alternative ("..., hay để đó mãi mãi?") or asks
    what to do about a problem told ("..., tờ khai gửi không đi, phải làm
    sao?"). `pair`: the piece before and the piece."""
    earlier_piece, piece = pair
    intent, earlier = topic(before), retrieval.answer_of(before)
    if topic(alone) == intent or topic(together) != intent:
        return None  # read alone in that topic, the piece keeps its own answer
    if not (asks_at_the_end(piece, lexicon) and _names_nothing(piece, alone, lexicon)):
        return None
    if not asks_at_the_end(earlier_piece, lexicon) or set(folded_words(piece)[:1]) & _ALTERNATIVE:
        return None
    read = leaning_to_last_topic(together, Answered(earlier_piece, str(intent), earlier), share=NOT_UNDERSTOOD_LEANS)
    alone_ranks = dict(retrieval.ranking(alone.get("response_selector") or {}))
    if read is None or alone_ranks.get(answer_key(read), 0.0) <= alone_ranks.get(earlier, 0.0):
        return None
    return {**read, "text": alone.get("text", piece)}


async def read_on_from(
    pieces: Sequence[str],
    parts: List[Parse],
    parse: Parser,
    lexicon: Lexicon,
    topics: Sequence[str],
    families: Mapping[str, Family],
    min_confidence: float,
) -> Tuple[List[Parse], List[int]]:
    """A piece that goes on from the one before it ("Tắt màn hình có còn
    ghi không? Còn iPhone thì sao?") is read as a follow-up to that piece,
    as it would be to the bot's answer in a conversation. Within one
    message only "còn X thì ..." and "còn <another phone>" count: "còn
    cách nào xài được không" after a question is "still", not "what
    about". "Nếu ... thì ..." goes on from the piece before only when,
    read alone, it is unsure and gives another answer ("F0 cách ly bao
    nhiêu ngày, nếu ra ngoài trước thời hạn thì có bị phạt không?"): read
    alone as the same answer, it asks that question on ("..., nếu có thì
    phạt bao nhiêu?"); sure alone, it asks its own ("Bluezone có tốn pin
    không? Nếu tôi là F1 thì cách ly mấy ngày?"). Returns the pieces'
    parses and the indices of those read so."""
    read, going_on = list(parts), []
    for index in range(1, len(pieces)):
        kind, length = follow_up_kind(pieces[index], lexicon)
        before = read[index - 1]
        if kind != "same_topic" or length > MAX_FOLLOW_UP_SYLLABLES or topic(before) not in topics:
            continue
        if CONTRAST not in folded_words(pieces[index]) and not phones_named(read[index]):
            continue
        condition = _opens_a_condition(pieces[index])
        if condition and (
            answer_key(read[index]) == answer_key(before) or retrieval.intent_confidence(read[index]) >= min_confidence
        ):
            continue
        last = Answered(pieces[index - 1], str(topic(before)), retrieval.answer_of(before))
        in_context = await parse(f"{pieces[index - 1]}, {pieces[index]}")
        if condition and topic(read[index]) not in topics and answer_key(in_context) == last.key:
            # "Mũi 2 cách mũi 1 bao lâu, lỡ trễ hẹn thì sao?": not understood
            # alone, and with the question before, that same question.
            read[index] = {**in_context, "text": pieces[index]}
            continue
        read[index] = for_the_other_phone(read[index], last, families) or within_last_topic(
            read[index], in_context, last, marked=True
        )
        going_on.append(index)
    return read, going_on


def _opens_a_condition(piece: str) -> bool:
    opening = re.findall(r"\w+", unicodedata.normalize("NFC", piece.lower()))[:2]
    return _CONDITION in folded_words(piece)[:2] or bool(_IN_CASE & set(opening))


def _names_nothing(text: str, alone: Parse, lexicon: Lexicon) -> bool:
    """Names neither the app, the disease nor a phone: asks about whatever was last answered."""
    return not (names_a_topic(text, lexicon) or phones_named(alone))


def as_farewell(alone: Parse, text: str) -> Optional[Parse]:
    """After the bot has answered, "chào nhé" or "bye" takes leave; the
    classifier, which reads the message alone, mostly hears a greeting, or,
    after "hiểu rồi" ("vậy tôi hiểu rồi, chào bạn nha"), a yes."""
    if topic(alone) not in {GREET, AFFIRM}:
        return None
    words = folded_words(text)
    if not _LEAVE_TAKING & set(words) or " ".join(words).startswith(_ONLY_HELLO):
        return None
    confidence = (alone.get("intent") or {}).get("confidence")
    ranking = [r for r in alone.get("intent_ranking") or [] if r.get("name") != GOODBYE]
    return {
        **alone,
        "intent": {"name": GOODBYE, "confidence": confidence},
        "intent_ranking": [{"name": GOODBYE, "confidence": confidence}] + ranking,
    }


def with_go_on(parse: Parse) -> Parse:
    """The parse marked as asking to go on (`GO_ON`), for the rule that
    tells it from a yes under the troubleshooting question."""
    return _marked_as(parse, GO_ON)


def with_clarifies(parse: Parse) -> Parse:
    """The parse marked as restating the question more exactly
    (`CLARIFIES`): after the general fixes, the problem so told is a new
    one to fix."""
    return _marked_as(parse, CLARIFIES)


def _marked_as(parse: Parse, name: str) -> Parse:
    text = str(parse.get("text") or "")
    entity = {"entity": name, "value": "yes", "start": 0, "end": len(text), "extractor": "understanding"}
    return {**parse, "entities": [*(parse.get("entities") or []), entity]}


def with_overview(parse: Parse, topics: Sequence[str]) -> Parse:
    """A topic button's payload ("/ask_privacy") is read by Rasa's payload
    handler alone, with no answer chosen: its topic's overview."""
    intent = topic(parse)
    if intent not in topics or (parse.get("response_selector") or {}).get(intent):
        return parse
    unanswered = {**parse, "response_selector": {"all_retrieval_intents": list(topics)}}
    return retrieval.with_answer(unanswered, intent, f"{intent}/{retrieval.OVERVIEW}", 1.0)


async def understand(
    text: str,
    parse: Parser,
    events: Optional[Sequence[Any]],
    lexicon: Lexicon,
    split_min_confidence: float,
    topics: Sequence[str] = (),
    families: Optional[Mapping[str, Family]] = None,
) -> Parse:
    """`parse` reads a text alone; `events` is the conversation so far
    (None for a message without one, as on /model/parse); `topics` are the
    retrieval intents (the topics with answer families); `families` are
    data/knowledge/questions.yml's (bot.knowledge.load_families)."""
    families = families or {}
    shown = buttons_on_screen(events) if events else []
    if shown:
        button = pressed(text, shown, lexicon) or told_reply(text, shown, lexicon)
        if button:
            return with_overview({**await parse(button["payload"]), "text": text}, topics)
    alone = await parse(text)
    if topic(alone) == AFFIRM and asks_for_more(text, shown, lexicon):
        return with_go_on(alone)
    if text.startswith("/"):
        return with_overview(alone, topics)
    pieces = question_pieces(text, lexicon)
    asked = asking_sentence(text, lexicon) if len(pieces) == 1 else None
    if asked:
        alone = in_light_of_question(alone, await parse(asked), answerable(alone))
    if len(pieces) > 1:
        topics_answered = answerable(alone)
        parts = in_light_of(alone, [await parse(piece) for piece in pieces], topics_answered)
        parts, going_on = await read_on_from(
            pieces, parts, parse, lexicon, topics_answered, families, split_min_confidence
        )
        pieces, parts, going_on = await joined_where_continued(
            pieces,
            parts,
            parse,
            alone,
            topics_answered,
            lexicon,
            split_min_confidence,
            going_on,
            new_sentences(pieces, text),
        )
        asking = asked_in_words(pieces, text, lexicon)
        questions = split_decision(
            alone, parts, topics_answered, split_min_confidence, going_on, asking, opened(pieces, text, lexicon)
        )
        if questions:
            return combined(alone, questions)
    alone = for_the_app_named(alone, text, lexicon, families) or alone
    if not events:
        return alone
    last = last_answered(events)
    if last is None:
        return alone
    farewell = as_farewell(alone, text)
    if farewell:
        return farewell
    kind, length = follow_up_kind(text, lexicon)
    if kind is None and only_names_a_phone(text, alone):
        kind = "device"

    async def with_last_question() -> Parse:
        return await parse(f"{last.text}, {text}")

    if kind == "clarify":
        # Restated only when the classifier itself reads another answer;
        # "ý tôi là nó vẫn báo lỗi" read as the answer just given is not.
        read = clarified(alone, last)
        return with_clarifies(read) if answer_key(alone) != last.key else read
    if kind in {"same_topic", "device"} and length <= MAX_FOLLOW_UP_SYLLABLES:
        other_app = kind == "same_topic" and length <= MAX_OTHER_APP_SYLLABLES
        moved = (
            for_the_other_phone(alone, last, families)
            or (for_the_app_named(alone, text, lexicon, families, last) if other_app else None)
            or (toward_next_answer(alone, last, families) if kind == "same_topic" else None)
        )
        if moved:
            return moved
    if kind == "device" and length <= MAX_DEVICE_SYLLABLES:
        in_context = await with_last_question()
        only_tells = not (asks_in_words(text, lexicon) or tells_a_problem(text, lexicon))
        for_phone = for_this_phone((in_context, alone), phones_named(alone), last, families) if only_tells else None
        if for_phone:
            return {**for_phone, "text": text, "entities": alone.get("entities") or []}
        return for_the_phone_told(alone, in_context, last)
    # A short question read alone as not understood or out of scope may
    # be about the last answer ("có mất tiền không" after what Bluezone is).
    not_understood = topic(alone) in {FALLBACK_INTENT, OUT_OF_SCOPE}
    if (kind in {"same_topic", REFERS} or not_understood) and length <= MAX_FOLLOW_UP_SYLLABLES:
        # "vậy thì sao nữa" read as a reply (go on, yes, thanks) keeps that reading.
        asking = topic(alone) in {*answerable(alone), FALLBACK_INTENT, OUT_OF_SCOPE}
        margin = POINTING_BACK_MARGIN if kind == REFERS and not not_understood else 1.0
        in_context = await with_last_question()
        read = within_last_topic(
            alone, in_context, last, marked=kind in {"same_topic", REFERS} and asking, margin=margin
        )
        if read is alone and not_understood and _names_nothing(text, alone, lexicon) and asks_at_the_end(text, lexicon):
            # "mất tiền không" after the vaccine: read with the last question
            # it only gets that answer again, but alone it ranks the cost.
            leaning = leaning_to_last_topic(alone, last, share=NOT_UNDERSTOOD_LEANS, least=NOT_UNDERSTOOD_LEAST)
            return leaning or alone
        return read
    # A short question that names nothing ("có mất tiền không" after the
    # vaccine) may ask about the last answer; replies keep their reading.
    short_question = kind is None and length <= MAX_FOLLOW_UP_SYLLABLES and asks(text, lexicon)
    if short_question and topic(alone) in {*answerable(alone), FALLBACK_INTENT, OUT_OF_SCOPE}:
        if _names_nothing(text, alone, lexicon):
            in_context = await with_last_question()
            read = about_the_last_answer(alone, in_context, last, POINTING_BACK_MARGIN)
            return read if read is not alone else in_the_last_topic_if_tied(alone, last)
    if kind == "same_topic" and answer_key(alone) == last.key:
        # A longer "thế còn..." is read alone, but still asks something new.
        return next_best_alone(alone) or alone
    if length <= MAX_FOLLOW_UP_SYLLABLES and not (names_the_disease(text, lexicon) or apps_named(text, lexicon)):
        return in_the_last_topic_if_tied(alone, last)
    return alone


def in_the_last_topic_if_tied(alone: Parse, last: Answered) -> Parse:
    """A short message read alone almost as much in the last answer's
    topic as in another ("mà bây giờ còn phải khai nữa không" after the
    health declaration: PC-Covid's or the declaration's; "máy oppo
    android" after an app error: the crash on Android, or which Android
    versions work): the conversation breaks the tie. One that names an
    app or the disease says itself what it is about."""
    if topic(alone) == last.intent or topic(alone) not in answerable(alone):
        return alone
    return leaning_to_last_topic(alone, last, share=TIED_WITH_LAST_TOPIC) or alone
