"""Two questions in one message ("cài ở đâu, có tốn pin không?").

Written by hand because no library splits Vietnamese chat into questions:
a message is cut at question marks, line breaks, semicolons and commas,
and before "mà", "và", "với lại"... where the words before already end
like a question, or before "và" in a formal request ("xin cho biết A và
B" asks for A and for B) or between two halves of one "có ... không"
("có tốn pin và có lấy vị trí không" asks both) or of one "vì sao"; a
piece that does not read as a question (no question word at its end or
start, no problem told) is joined to the piece after it, so "tôi ở nhà
một mình, sao lại có tiếp xúc?" stays one question. List markers ("1.",
"Thứ hai,") and the names a citizen calls or adds ("ad ơi", "...không
con") do not count as words of the question. Whether the pieces really
are two questions is decided by the classifier afterwards
(`split_decision`).
"""

import re
from typing import Any, Collection, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK_INTENT

from bot.nlu import retrieval
from bot.nlu.lexicon import Lexicon
from bot.nlu.normalizer import normalize
from bot.nlu.retrieval import OVERVIEW
from bot.nlu.text import fold, normalize_syllable

# A piece shorter than this many syllables is not a question of its own.
MIN_SYLLABLES = 3
_CUT = re.compile(r"(?<=[?.!])\s+|(?<=\?)|[\n;]+|,")
# Question words near the end of a piece (after teencode expansion and
# without the softeners after them: "vậy", "ạ", "ad"...). Typed without
# accents, only the unambiguous ones count ("may" could be "máy", "dau"
# could be "đau").
_END_WORDS = {"không", "chưa", "nhỉ", "hả", "à", "sao", "gì", "nào", "đâu", "ai", "mấy"}
_END_PAIRS = {"bao nhiêu", "bao lâu", "thế nào", "ra sao", "được không", "phải không"}
_END_WORDS_UNACCENTED = {"khong", "chua", "sao", "gi", "nao", "ai"}
# Negations are question words only as the very last word: "tôi chưa cài
# Bluezone" is a statement, "cài chưa" a question.
_LAST_ONLY = {"không", "chưa", "khong", "chua"}
# "Mấy" asks ("Android bản mấy", "cách ly mấy ngày nữa"), unless the
# words after it go on telling: then it is "several" ("mở lại mấy lần vẫn
# vậy", "sốt mấy ngày nay").
_SEVERAL = "mấy"
_TELLING_AFTER_SEVERAL = {"vẫn", "cũng", "mà", "rồi", "nay", "liền"}
_END_PAIRS_UNACCENTED = {"bao nhieu", "bao lau", "the nao", "ra sao", "may gio", "may ngay", "may lan"}
_SOFTENERS = {
    "vậy",
    "ạ",
    "à",
    "á",
    "dạ",
    "admin",
    "ad",
    "nhen",
    "nghen",
    "nha",
    "nhé",
    "thế",
    "đấy",
    "ta",
    "chị",
    "em",
    "anh",
    "bạn",
    "hen",
    "ha",
    "ơi",
    "nè",
    "luôn",
    "đi",
    "với",
    "con",
    "cháu",
    "bác",
    "chú",
}
# The same typed without accents (but "nhà" is not "nha").
_SOFTENERS_UNACCENTED = {fold(word) for word in _SOFTENERS}
# Two-word forms of address after a question ("... không mọi người"), folded.
_SOFTENER_PAIRS = {"moi nguoi", "ca nha"}
# Calling someone before asking ("ad ơi, cho em hỏi..."): at most this many
# words up to "ơi" are skipped when looking at how a piece opens.
_CALLING_WORDS = 3
# How a letter's salutation opens ("Kính gửi Quý Sở,", "Thưa anh chị,"),
# its first two words folded; it ends at a comma within _SALUTATION_WORDS words.
_SALUTATIONS = {
    ("kinh", "gui"),
    ("kinh", "thua"),
    ("thua", "so"),
    ("thua", "quy"),
    ("thua", "anh"),
    ("thua", "chi"),
    ("thua", "bac"),
}
_SALUTATION_WORDS = 8
# A list marker alone ("1.", "2/", "a)"), left as a piece of its own by the cut.
_LIST_MARKER = re.compile(r"^\s*(?:\d{1,2}|[a-dA-D])\s*[.):/-]?\s*$")
# A numbered item of a list ("2) ...", "2. ...").
_NUMBERED = re.compile(r"^\s*\d{1,2}\s*[.)]\s+")
# A list marker at the start of a piece ("Thứ hai, ...", "2/ ...").
_ORDINAL = r"thứ (?:nhất|hai|ba)"
_LIST_OPENING = re.compile(rf"^\s*(?:{_ORDINAL}|câu (?:1|2|3)|\d{{1,2}}\s*[.)/-])[\s,:]*", re.IGNORECASE)
# An ordinal alone (or after a colon) before the comma that opens its item
# ("...cho biết: thứ nhất, doanh nghiệp ...; thứ hai, ..."); "Hôm thứ hai,"
# is a Monday, and so is "Thứ hai, ..." in a message without "thứ nhất".
_ORDINAL_BEFORE_ITEM = re.compile(rf"(?:^|:)\s*{_ORDINAL}\s*$", re.IGNORECASE)
_FIRST = "thứ nhất"
# A numbered item after the colon that introduces the list ("Cho em hỏi: 1) ...").
_NUMBERED_AFTER_COLON = re.compile(r":\s*\d{1,2}\s*[.)]\s+")
# Words that join a second question to the first ("mà", "với lại"...).
_CONNECTORS = ("voi lai", "them nua", "ngoai ra", "dong thoi", "ma", "va", "con", "roi", "voi", "the", "vay", "nhung")
# A question or a request at the start of a piece (folded).
_OPENINGS = (
    "cho hoi",
    "xin hoi",
    "cho xin",
    "xin cho",
    "cho toi",
    "lam sao",
    "tai sao",
    "vi sao",
    "sao",
    "co phai",
    "bao gio",
    "khi nao",
    "o dau",
    "lam the nao",
    "the nao",
    "nhu the nao",
    "chi giup",
    "chi gium",
    "chi dum",
    "huong dan giup",
    "huong dan gium",
    "huong dan dum",
    "giup toi",
    "giup tui",
    "giup em",
    "de nghi cho biet",
    "xin duoc hoi",
    "muon hoi",
)


# Question phrases that make a piece a question wherever they stand
# ("đứng cách bao nhiêu mét thì mới tính").
_INNER_PAIRS = {
    "bao nhiêu",
    "bao lâu",
    "bao xa",
    "thế nào",
    "làm sao",
    "tại sao",
    "vì sao",
    "ở đâu",
    "chỗ nào",
    "khi nào",
    # "có tốn 3G không hay phải có wifi": one choice or the other.
    "không hay",
    # "android mấy thì mới dùng được" ("nào thì" is also "every":
    # "ngày nào thì app cũng báo lỗi").
    "mấy thì",
}
# Typed without accents, "may thi" is as often "máy thì" (the phone, then).
_INNER_PAIRS_UNACCENTED = {fold(pair) for pair in _INNER_PAIRS} - {"may thi"}
# "mấy giờ thì gọi được": the hour asked before what is done then. Without
# "thì" it is as often "several hours" ("chờ mấy giờ liền", "chờ mấy giờ mới
# được tiêm"), and typed without accents "máy giờ" (the phone, now).
_HOUR_ASKED = {"mấy giờ thì"}
# Inside a piece, a second question may start at one of these words once
# the words before it end like a question ("có bị phạt không và căn cứ vào
# đâu"): folded, so typed without accents they count too.
_INNER_CONNECTORS = ("voi lai", "vs lai", "vay con", "ngoai ra", "them nua", "ma", "va", "con")
# "Vậy còn X ...": then what about X, after a question ("...bao xa thì
# tính là tiếp xúc vậy còn tắt bluetooth có ghi được không"); "vậy còn
# phải khai không" is "still".
_WHAT_ABOUT = "vay con"
# One-syllable connectors as typed with accents: "mã" (a code) folds to
# "ma" too, but "gửi lại mã vẫn không thấy" goes on with one question.
_ACCENTED_CONNECTORS = {"ma": "mà", "va": "và", "con": "còn"}
# "Còn" is also "still" ("sao máy không còn quét được ai", "đi đâu còn
# phải khai báo", "ông bà không còn đi lại được"): it starts a second
# question only after "sao", "thế nào" or "bằng cách nào" ("cập nhật số
# sao, còn..."), or after "không" or "chưa" (or a Southern "hông")
# closing a "có ..." or "... được" typed as such ("có tốn pin không còn
# Bluetooth có cần bật suốt không"), and never before a verb
# that "still" goes with. Typed as "con" in a message with diacritics it
# is a child or a form of address ("...được không con").
_STILL = "con"
_HOW_BEFORE_STILL = {"sao", "thế nào", "the nao", "cách nào", "cach nao"}
_STILL_BEFORE = {
    fold(word)
    for word in (
        "phải được bị dùng xài đi kết thấy hiện cần bắt cài ghi chạy hoạt mở lưu nhận báo quét tính áp hiệu giữ"
        " sống ở đang nữa không chưa là có tồn làm khai đeo cách tiêm"
    ).split()
}


def _typed_as_connector(word: str, connector: str) -> bool:
    accented = _ACCENTED_CONNECTORS.get(connector)
    return accented is None or _typed_in(normalize_syllable(word.strip(",.?!")), {accented}, {connector})


# A problem told as a statement asks for help as a question does ("nhập
# mã hoài không được", "nó vẫn báo lỗi"): folded, so unaccented counts too.
_PROBLEMS = (
    "khong duoc",
    "van bao",
    "cu bao",
    "bao loi",
    "bi loi",
    "bi do",
    "do luon",
    "bi treo",
    "van khong",
    "da dung",
    "tu thoat",
    "bi vang",
    "khong thay",
    "khong nhan",
    "khong vao",
    "khong vo",
    "khong mo",
    "no bao",
)


def _tells_a_problem(words: List[str]) -> bool:
    folded = f" {' '.join(fold(w) for w in words)} "
    return any(f" {problem} " in folded for problem in _PROBLEMS)


# How the second half of "có A và B không?" or "vì sao A và B" opens when
# it asks a question of its own (folded): "và có lấy vị trí không", "và
# phải đăng ký không", "và đòi quyền danh bạ".
_SECOND_FRAME_OPENINGS = {
    "co",
    "bi",
    "can",
    "phai",
    "duoc",
    "lay",
    "thu",
    "ton",
    "mat",
    "dung",
    "gay",
    "lam",
    "xam",
    "anh",
    "yeu",
    "doi",
    "bat",
    "xin",
}


# Formal requests that may ask for several things at once (folded).
_REQUESTS = ("xin cho biet", "de nghi cho biet", "vui long cho biet", "xin duoc biet", "de nghi so cho biet")


def _words(text: str, lexicon: Lexicon) -> List[str]:
    return [s.text for s in normalize(text, lexicon)]


def _typed_in(text: str, accented: Set[str], unaccented: Set[str]) -> bool:
    """In the accented set, or typed without accents and in the unaccented one."""
    return text in accented or (text == fold(text) and text in unaccented)


def _without_softeners(words: List[str]) -> List[str]:
    """The words up to the softeners and forms of address after a
    question ("... không con", "... được không mọi người")."""
    while len(words) > 1:
        if _typed_in(words[-1], _SOFTENERS, _SOFTENERS_UNACCENTED):
            words = words[:-1]
        elif len(words) > 2 and fold(" ".join(words[-2:])) in _SOFTENER_PAIRS:
            words = words[:-2]
        else:
            break
    return words


def _ends_like_a_question(words: List[str], reach: int = 3) -> bool:
    """A question word or pair among the last `reach` words (1: the very
    last word asks; "...không thấy ai xung quanh" tells, "...có tốn pin
    không" asks)."""
    tail = _without_softeners(words)
    last, paired = tail[-reach:], tail[-max(reach, 2) :]
    pairs = [" ".join(paired[i : i + 2]) for i in range(len(paired) - 1)]
    return any(
        _typed_in(w, _END_WORDS, _END_WORDS_UNACCENTED)
        and (w not in _LAST_ONLY or i == len(last) - 1)
        and not (w == _SEVERAL and _TELLING_AFTER_SEVERAL & set(last[i + 1 :]))
        for i, w in enumerate(last)
    ) or any(_typed_in(p, _END_PAIRS, _END_PAIRS_UNACCENTED) for p in pairs)


def _asks_inside(words: List[str]) -> bool:
    """A question phrase inside the piece, unless "cũng" follows it: then it
    means "whatever" ("vô chỗ nào cũng bắt quét mã")."""
    return any(
        (
            _typed_in(" ".join(words[i : i + 2]), _INNER_PAIRS, _INNER_PAIRS_UNACCENTED)
            or " ".join(words[i : i + 3]).lower() in _HOUR_ASKED
        )
        and _WHATEVER not in (fold(w.lower().strip(",.?!")) for w in words[i + 2 :])
        for i in range(len(words) - 1)
    )


# "Cũng" after a question phrase makes it "whatever", folded.
_WHATEVER = "cung"


# Who asks in "cho em xin ...", and the words after "xin" that make it
# politeness, not a request ("cho em xin lỗi", "xin cảm ơn", "xin phép").
_ASKERS = {"em", "toi", "tui", "minh", "con", "chau", "bac", "co", "chu", "anh", "chi", "ong", "ba"}
_POLITE_AFTER_XIN = {"loi", "cam", "chao", "phep"}


# "Also" between the asker and asking ("tôi cũng muốn hỏi", "tôi còn
# thắc mắc"), folded.
_ALSO_BEFORE_ASKING = {"cung", "con"}
_ASKING_AFTER_ALSO = {"muon hoi", "xin hoi", "thac mac"}


def _also_asking(folded: List[str]) -> bool:
    return (
        len(folded) > 3
        and folded[0] in _ASKERS
        and folded[1] in _ALSO_BEFORE_ASKING
        and " ".join(folded[2:4]) in _ASKING_AFTER_ALSO
    )


def _opening_words(words: List[str]) -> List[str]:
    """The piece's words folded, from where it starts to ask: after a
    letter's salutation ("Kính gửi Quý Sở,") or a call ("ad ơi"), with
    "cho em hỏi" as "cho hỏi", "tôi muốn hỏi" as "muốn hỏi" and "tôi xin
    hỏi" as "xin hỏi", "cho em xin" as "cho xin"."""
    folded = [fold(w.lower()) for w in words]
    if tuple(folded[:2]) in _SALUTATIONS:
        end = next((i for i, w in enumerate(folded[:_SALUTATION_WORDS]) if w.endswith(",")), None)
        folded = folded if end is None else folded[end + 1 :]
    if "oi" in folded[: _CALLING_WORDS + 1]:
        folded = folded[folded.index("oi") + 1 :]
    if len(folded) > 2 and folded[0] in {"cho", "xin"} and folded[2] == "hoi":
        folded = [folded[0], "hoi", *folded[3:]]
    asker_before_xin = len(folded) > 3 and folded[0] == "cho" and folded[1] in _ASKERS and folded[2] == "xin"
    if asker_before_xin and folded[3] not in _POLITE_AFTER_XIN:
        folded = ["cho", "xin", *folded[3:]]
    if _also_asking(folded):
        folded = [folded[0], *folded[2:]]  # "tôi cũng muốn hỏi" as "tôi muốn hỏi"
    if folded[1:3] in (["muon", "hoi"], ["xin", "hoi"]):
        folded = folded[1:]
    return folded


def _opens_like_a_question(words: List[str]) -> bool:
    start = " ".join(_opening_words(words)[:6])
    for connector in _CONNECTORS:
        if start.startswith(connector + " "):
            start = start[len(connector) + 1 :]
            break
    return any(start == o or start.startswith(o + " ") for o in _OPENINGS)


def _asked_with_a_mark(piece: str) -> bool:
    return piece.rstrip().endswith("?")


def _reads_as_question(piece: str, words: List[str]) -> bool:
    if len(words) < MIN_SYLLABLES:
        return False
    if _asked_with_a_mark(piece):
        return True
    return _asks_in_words(words) or _tells_a_problem(words)


def _asks_in_words(words: List[str]) -> bool:
    return (
        _opens_like_a_question(words) or _ends_like_a_question(words) or _asks_inside(words) or _offers_a_choice(words)
    )


# "Bắt buộc hay tự nguyện", "gỡ ra hay phải cài thêm app", "do máy hay do
# app": "hay" before the other answer to choose, among the piece's last
# _CHOICE_TAIL words. "Hay" also means "often" ("máy Oppo hay tự tắt",
# "hay bị treo") and "good" ("app hay đó"), so only the words that open
# an alternative count after it (folded), and an answer told for both
# ("gỡ ra hay khởi động lại đều vậy") is no choice.
_CHOICE = "hay"
_CHOICE_TAIL = 5
_CHOICE_OPENINGS = {"là", "phải", "chỉ", "vẫn", "cần", "mất", "do", "tại", "miễn", "tự nguyện", "không bắt"}
_CHOICE_OPENINGS_UNACCENTED = {fold(opening) for opening in _CHOICE_OPENINGS}
_BOTH_TOLD = {"deu", "cung"}


def _offers_a_choice(words: List[str]) -> bool:
    """ "Hay" and an alternative after it, among the piece's last words."""
    tail = [normalize_syllable(w.lower().strip(",.?!")) for w in _without_softeners(words)]
    start = max(2, len(tail) - _CHOICE_TAIL - 1)
    for i in range(start, len(tail) - 1):
        if tail[i] != _CHOICE:
            continue
        alternative = (tail[i + 1], " ".join(tail[i + 1 : i + 3]))
        opens = any(_typed_in(a, _CHOICE_OPENINGS, _CHOICE_OPENINGS_UNACCENTED) for a in alternative)
        if opens and not _BOTH_TOLD & {fold(w) for w in tail[i + 1 :]}:
            return True
    return False


def is_question(piece: str, lexicon: Lexicon) -> bool:
    return _reads_as_question(piece, _words(piece, lexicon))


def tells_a_problem(piece: str, lexicon: Lexicon) -> bool:
    return _tells_a_problem(_words(piece, lexicon))


def asks(piece: str, lexicon: Lexicon) -> bool:
    """Asks something, with a question mark or question words; a problem
    told as a statement ("nó vẫn báo lỗi") does not count here."""
    words = _words(piece, lexicon)
    return "?" in piece or (len(words) >= MIN_SYLLABLES and _asks_in_words(words))


# Words that say another question follows ("tiện hỏi luôn ...", "nhân
# tiện cho hỏi ..."), in a message typed with diacritics, as typed. In one
# typed without, only those no other words fold to: "nhan tien" is also
# "nhận tiền" (to receive money), "tien the" "tiền thẻ".
_ANNOUNCING = {"nhân tiện", "tiện thể", "tiện hỏi", "cho hỏi thêm"}
_ANNOUNCING_UNACCENTED = {"tien hoi", "cho hoi them"}
# How a piece opens when it brings up another question ("..., với có tốn
# 4G không", "có mất phí không, và tải ở đâu?", "..., à mà cài có mất
# tiền không"), folded.
_NEXT_QUESTION_OPENINGS = ("voi lai", "vs lai", "voi", "vs", "con", "va", "them nua", "ngoai ra", "a ma")


def opens_another_question(piece: str, lexicon: Lexicon) -> bool:
    """A question of its own, however short, not one going on with the
    piece before: it opens with "với", "còn", "à mà"... and is asked to
    its end ("với có tốn 4G không"; "với lại sao gửi lại" goes on after
    the next comma). In a piece typed with diacritics, "con" is a child
    ("con tôi có cần cài không"), not "còn"."""
    words = piece.split()
    folded = [fold(w.lower().strip(",.?!")) for w in words]
    typed_plain = _typed_plain(words)
    if _announces(words, typed_plain):
        # It may ask anywhere in it ("tiện hỏi app nặng bao nhiêu MB").
        return is_question(piece, lexicon)
    for opening in _NEXT_QUESTION_OPENINGS:
        size = opening.count(" ") + 1
        if " ".join(folded[:size]) != opening:
            continue
        first = normalize_syllable(words[0].lower().strip(",.?!"))
        if typed_plain or (first != folded[0] and _typed_as_connector(first, folded[0])):
            return _asked_with_a_mark(piece) or _ends_like_a_question(_words(piece, lexicon), reach=1)
    return False


def _announces(words: Sequence[str], typed_plain: bool) -> bool:
    """Whether the words open with one of _ANNOUNCING, in a message typed
    without diacritics (`typed_plain`) one of _ANNOUNCING_UNACCENTED."""
    typed = [normalize_syllable(w.lower().strip(",.?!")) for w in words[:4]]
    if typed and fold(typed[0]) in _BEFORE_ANNOUNCING:
        typed = typed[1:]  # "Mà tiện hỏi luôn ..."
    phrases = _ANNOUNCING_UNACCENTED if typed_plain else _ANNOUNCING
    return any(" ".join(typed[: len(phrase.split())]) == phrase for phrase in phrases)


# A connector before announcing another question ("Mà tiện hỏi luôn ..."), folded.
_BEFORE_ANNOUNCING = {"ma", "va", "con", "a"}


def opened(pieces: Sequence[str], text: str, lexicon: Lexicon) -> List[int]:
    """The pieces (their indices) that, set apart by a mark or a line
    break, open another question ("... sửa sao? Với lại để nó chạy suốt
    vậy có tốn 4G không?"). A "và" the cut found inside a sentence
    ("...phản ứng của vắc xin không và tôi cần liên hệ nơi nào") may go on
    with the same question, and "còn" is also "still" ("..., còn cảnh báo
    được không?"): "còn X thì sao" is read on from the piece before
    (bot.conversation.understanding.read_on_from). A piece rebuilt by the
    cut is not found in the text, and not counted. An item of a list
    numbered from 1 that asks is opened too (_numbered_questions)."""
    found = []
    typed_plain = _typed_plain(text.split())
    numbered = _numbered_questions(pieces, text, lexicon)
    for index, (piece, before) in enumerate(zip(pieces, _marks_before(pieces, text))):
        if index in numbered:
            found.append(index)
            continue
        if before is None:
            continue
        first = [fold(w.lower().strip(",.?!")) for w in piece.split()[:1]]
        set_apart = before in _MARKS or _announces(piece.split(), typed_plain)
        if index and set_apart and first != [_STILL] and opens_another_question(piece, lexicon):
            found.append(index)
    return found


def _numbered_questions(pieces: Sequence[str], text: str, lexicon: Lexicon) -> Set[int]:
    """The pieces (their indices) that ask as items 2, 3... of a list the
    writer numbered from 1 ("Tôi xin hỏi 2 câu: 1. ... tiêm được không? 2.
    Nếu ... thì khi nào tiêm được?"): each item was set apart as a question
    of its own, however unsure it reads alone. A piece is found by its
    words up to the first comma: the cut may have joined a thanks after it."""
    found: Set[int] = set()
    cursor, expected = 0, 1
    for index, piece in enumerate(pieces):
        head = piece.split(",")[0].strip()
        start = text.find(head, cursor) if head else -1
        if start < 0:
            continue
        item = None
        for number in _LIST_NUMBER.finditer(text, cursor, start):
            if int(number.group(1)) == expected:
                expected += 1
                item = number
        if item and item.end() == start and expected > 2 and asks(piece, lexicon):
            found.add(index)
        cursor = start + len(head)
    return found


# A list number before an item ("2. ", "2) "), not the end of a year or a date.
_LIST_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\s*[.)]\s+")


def new_sentences(pieces: Sequence[str], text: str) -> List[int]:
    """The pieces (their indices) that begin a sentence of their own, after
    a full stop, a question mark or a line break."""
    return [index for index, before in enumerate(_marks_before(pieces, text)) if index and before in _SENTENCE_MARKS]


def _marks_before(pieces: Sequence[str], text: str) -> List[Optional[str]]:
    """The character typed before each piece, spaces left out; None for a
    piece the cut rebuilt, not found in the text as it is."""
    marks: List[Optional[str]] = []
    cursor = 0
    for piece in pieces:
        start = text.find(piece, cursor)
        if start < 0:
            marks.append(None)
            continue
        cursor = start + len(piece)
        marks.append(text[:start].rstrip(" ")[-1:])
    return marks


_MARKS = {",", ".", ";", "?", "!", "…", "\n"}
_SENTENCE_MARKS = {".", "?", "!", "…", "\n"}


def asks_at_the_end(piece: str, lexicon: Lexicon) -> bool:
    """Closes with a question mark or a question word ("mất tiền không");
    "à ra là vậy" holds one, but only to open."""
    return _asked_with_a_mark(piece) or _ends_like_a_question(_words(piece, lexicon), reach=1)


def asks_in_words(piece: str, lexicon: Lexicon) -> bool:
    """Asks in question words; a question mark alone does not count
    ("máy bác là Samsung ạ?" tells which phone)."""
    words = _words(piece, lexicon)
    return len(words) >= MIN_SYLLABLES and _asks_in_words(words)


def _closes_a_question(piece: str, lexicon: Lexicon) -> bool:
    """Whether a piece can end a question: a question itself, or a short
    ending such as "sửa sao" after a story."""
    words = _words(piece, lexicon)
    return bool(words) and (_ends_like_a_question(words) or _reads_as_question(piece, words))


def _cut_at_connectors(piece: str, lexicon: Lexicon) -> List[str]:
    """A piece cut where a connector starts a second question after words
    that end like a question; the piece itself when there is none."""
    words = piece.split()
    folded = [fold(w.lower()) for w in words]
    request, why = _opening(folded, _REQUESTS), _opening(folded, _WHY)
    typed_plain = _typed_plain(words)
    for index in range(MIN_SYLLABLES, len(words) - MIN_SYLLABLES + 1):
        if _announces(words[index:], typed_plain):
            # After any question ("... thật không hay giả mạo vậy ad tiện hỏi luôn ...").
            left, right = " ".join(words[:index]), " ".join(words[index:])
            if is_question(left, lexicon) and is_question(right, lexicon):
                return [left] + _cut_at_connectors(right, lexicon)
        for connector in _INNER_CONNECTORS:
            if " ".join(folded[index : index + connector.count(" ") + 1]) != connector:
                continue
            if not _typed_as_connector(words[index], connector):
                continue
            left, right = " ".join(words[:index]), " ".join(words[index:])
            if connector == _STILL and not _still_opens_a_question(words, index):
                continue
            if connector == _WHAT_ABOUT and not _asks_what_about(words, index + 1):
                continue
            if connector == _MORE and len(_asked_after(folded[index + 2 :])) < 2:
                continue  # "phải làm gì thêm nữa không": "more", not another question
            what_about = connector == _WHAT_ABOUT and is_question(left, lexicon)
            if (what_about or _ends_like_a_question(_words(left, lexicon))) and (
                is_question(right, lexicon) or (connector == "va" and _asks_on_its_own(folded[index + 1 :]))
            ):
                # "...đi đâu không và có đọc được danh bạ, tin nhắn không?":
                # the second question may end after the next comma.
                return [left] + _cut_at_connectors(right, lexicon)
            if connector != "va":
                continue
            halves = (
                _sharing_an_opening(words, index, request)
                or _yes_no_halves(words, folded, index)
                or (_sharing_an_opening(words, index, why) if _asks_on_its_own(folded[index + 1 :]) else None)
            )
            if halves:
                return [halves[0]] + _cut_at_connectors(halves[1], lexicon)
    return [piece]


# "Thêm nữa" (besides) opens another question, but closing one it is "more".
_MORE = "them nua"


def _asked_after(folded: List[str]) -> List[str]:
    """The words after a connector other than negations and softeners
    ("thêm nữa không ạ": none; "thêm nữa nhỉ": one)."""
    words = (w.strip(",.?!") for w in folded)
    return [w for w in words if w and w not in _NEGATIONS_TYPED and w not in _SOFTENERS_UNACCENTED]


def _asks_what_about(words: List[str], index: int) -> bool:
    """Whether "còn" at `index`, after "vậy", asks about something else;
    typed as "con" in a message with diacritics, it is a child ("tiêm ở
    đâu vậy con tôi 12 tuổi có được tiêm không")."""
    if not _typed_plain(words) and normalize_syllable(words[index].lower()) != "còn":
        return False
    after = fold(words[index + 1].lower().strip(",.?!")) if index + 1 < len(words) else ""
    return after not in _STILL_BEFORE


def _still_opens_a_question(words: List[str], index: int) -> bool:
    """Whether "còn" at `index` asks about something else (see _STILL)."""
    typed_plain = _typed_plain(words)
    if not typed_plain and normalize_syllable(words[index].lower()) != "còn":
        return False
    after = fold(words[index + 1].lower().strip(",.?!")) if index + 1 < len(words) else ""
    if after in _STILL_BEFORE:
        return False
    before = [normalize_syllable(w.lower().strip(",.?!")) for w in words[:index]]
    if fold(before[-1]) in _NEGATIONS_TYPED:
        # "có ... không còn ...", "... được không còn ...": a yes/no question closed.
        asked_yes_no = len(before) > 1 and fold(before[-2]) == "duoc" and (typed_plain or before[-2] == "được")
        return asked_yes_no or any(w == "có" or (typed_plain and w == "co") for w in before[:-1])
    return before[-1] in _HOW_BEFORE_STILL or " ".join(before[-2:]) in _HOW_BEFORE_STILL


def _typed_plain(words: Sequence[str]) -> bool:
    """Typed without diacritics: no word changes when folded."""
    return all(fold(w.lower()) == w.lower() for w in words)


def _sharing_an_opening(words: List[str], index: int, opening: int) -> Optional[Tuple[str, str]]:
    """ "Xin cho biết A và B", "vì sao A và B": two questions sharing the
    `opening` words of the first, the second asked with them too."""
    if not opening or index <= opening:
        return None
    return " ".join(words[:index]), " ".join(words[:opening] + words[index + 1 :])


def _asks_on_its_own(after_and: List[str]) -> bool:
    """Whether the words after "và" ask something of their own: at least
    MIN_SYLLABLES of them, opening with a verb ("có", "bị", "cần", ...)."""
    return len(after_and) >= MIN_SYLLABLES and after_and[0] in _SECOND_FRAME_OPENINGS


# "Also" before the second half's verb ("có nên cách ly và cũng cần xét
# nghiệm không"), folded; the second question is asked without it.
_ALSO = "cung"


# The closing negation of "có ... không", as typed (teencode not yet expanded).
_NEGATIONS_TYPED = {fold(word) for word in _LAST_ONLY} | {"ko", "k", "hong"}


def _yes_no_halves(words: List[str], folded: List[str], index: int) -> Optional[Tuple[str, str]]:
    """The two questions when "và" at `index` joins two halves of one "có
    ... không": "có" before "và", the piece ending in a negation (then
    softeners: "ạ", "vậy"), and the words after "và" asking on their own,
    so "có tốn pin và dữ liệu không" stays one question. Each half is
    asked in full ("Bluezone có tốn pin không", "Bluezone có lấy vị trí
    không"): a bare "gây hao pin không" would read as going on with the first."""
    end = len(folded) - 1
    while end > index and folded[end].rstrip("?!.") in _SOFTENERS_UNACCENTED:
        end -= 1
    second = index + 1 + (folded[index + 1 : index + 2] == [_ALSO])  # "và cũng cần ..."
    right = folded[second:]
    if "co" not in folded[:index] or folded[end].rstrip("?!.") not in _NEGATIONS_TYPED or not _asks_on_its_own(right):
        return None
    frame = max(i for i in range(index) if folded[i] == "co")
    asked = words[:frame] if right[0] == "co" else words[: frame + 1]
    first = " ".join(words[:index] + [words[end].rstrip("?!.")])
    return first, " ".join(asked + words[second:])


# A "why" asked of two things at once ("vì sao phải bật Bluetooth và cần
# quyền vị trí"; "vì sao cần Bluetooth và định vị" is one), folded.
_WHY = ("tai sao", "vi sao", "sao")


# Words a letter puts before its next request ("Đồng thời xin cho biết..."), folded.
_ALSO_IN_A_LETTER = ("dong thoi", "ngoai ra", "ben canh do")


def _opening(folded: List[str], openings: Sequence[str]) -> int:
    """How many words the piece's opening takes ("xin cho biết", "vì sao",
    "đồng thời xin cho biết"), 0 if none."""
    start = " ".join(folded[:8])
    lead = next((also.count(" ") + 1 for also in _ALSO_IN_A_LETTER if start.startswith(also + " ")), 0)
    start = " ".join(folded[lead : lead + 5])
    for opening in openings:
        if start == opening or start.startswith(opening + " "):
            return lead + opening.count(" ") + 1
    return 0


# What introduces the questions after it ("Cho tôi hỏi 2 việc: 1. ..."):
# a colon at the end of a piece, a list marker the cut left after it.
_INTRODUCTION = re.compile(r":\s*(?:(?:\d{1,2}|[a-dA-D])\s*[.)/-]?)?\s*$")


def _introduces(piece: str) -> bool:
    return bool(_INTRODUCTION.search(piece))


# Words around asking to ask, and those asked ("dạ cho em hỏi chút ạ",
# "em xin hỏi các chuyên gia"), folded.
_AROUND_ASKING = set(
    "da chut xiu ti voi a nhe nha them luon cac chuyen gia bac si ad admin anh chi ban so quy ong ba chu".split()
)


def _only_asks_to_ask(piece: str, lexicon: Lexicon) -> bool:
    """ "Ad ơi cho con hỏi," before the question: it opens the question
    after it, as a colon does."""
    words = [w.strip(",.?!") for w in _opening_words(_words(piece, lexicon))]
    core = [w for w in words if w not in _AROUND_ASKING]
    return " ".join(core) in _ASKING


def _ends_the_one_before(piece: str, lexicon: Lexicon) -> bool:
    """A question too short to ask on its own ("sửa sao?" after "mở app
    là văng ra") ends the question before it, not the next one."""
    words = _words(piece, lexicon)
    return 0 < len(words) < MIN_SYLLABLES and (_asked_with_a_mark(piece) or _ends_like_a_question(words))


# Asking outright at the start of a piece ("cho em hỏi...", "tôi muốn hỏi..."), folded.
_ASKING = ("cho hoi", "xin hoi", "muon hoi", "xin duoc hoi")
# How a question drawn from the story before it opens ("Vậy tôi có phải
# cách ly không?", "Xin hỏi tôi có phải..."), folded; "vậy còn..." asks
# about something else and "vậy mà..." goes on with the story.
_CONCLUSIONS = ("vay", "nhu vay", "vi vay", "the thi", "the nen", "do do") + _ASKING + _REQUESTS
_NOT_CONCLUSIONS = ("vay con", "vay ma")


# Asking for more at the start of a piece ("Cho hỏi thêm..."), folded.
_ASKING_MORE = ("cho hoi them", "xin hoi them")


def _asks_for_more(words: List[str]) -> bool:
    """ "Tôi cũng muốn hỏi...", "Tôi còn thắc mắc...", "Cho hỏi thêm...":
    a question of its own, not one drawn from the story before it."""
    folded = [fold(w.lower().strip(",.?!")) for w in words]
    return _also_asking(folded) or " ".join(_opening_words(words)[:3]) in _ASKING_MORE


def _concludes(piece: str, lexicon: Lexicon) -> bool:
    words = _words(piece, lexicon)
    if _asks_for_more(words):
        return False
    if any(fold(w) == "vay" and w not in {"vậy", "vay"} for w in (w.lower() for w in words[:4])):
        return False  # "vây", "vảy": not "vậy" typed with other accents
    start = " ".join(_opening_words(words)[:6])
    if any(start == c or start.startswith(c + " ") for c in _NOT_CONCLUSIONS):
        return False
    return any(start.startswith(c + " ") for c in _CONCLUSIONS)


def _story_then_question(raw: Sequence[str], lexicon: Lexicon) -> bool:
    """A story told in statements, then one question drawn from it ("Tui bán
    cá ở chợ... Tui có bật Bluetooth. Vậy sao nó không quét được ai?"):
    the story's sentences may tell a problem or hold a question word, yet
    the citizen asks one thing. A sentence before it asked with a question
    mark, or ending in a question word, is a question of its own."""
    return _concludes(raw[-1], lexicon) and not any(
        _asked_with_a_mark(p) or _ends_like_a_question(_words(p, lexicon), reach=1) for p in raw[:-1]
    )


def question_pieces(text: str, lexicon: Lexicon) -> List[str]:
    """The message cut into pieces that each read as one question; a single
    piece (the whole message) when it holds at most one."""
    pieces = _pieces_cut_at_marks(text, lexicon)
    if len(pieces) > 1:
        return [_after_introduction(pieces[0], lexicon)] + pieces[1:]
    return _cut_across_commas(text, lexicon) or [text]


# What comes before the first question's introduction, up to its colon
# and list marker ("Kính gửi Sở..., tôi là hiệu trưởng..., đề nghị Sở cho
# biết: 1) ..."): it ends in asking to be told or to ask, or in what is
# asked about ("2 việc:", "các vấn đề sau:"), folded.
_BEFORE_INTRODUCTION = re.compile(r"^(.*?):\s+")
_INTRODUCING = tuple(
    f" {words}" for words in ("cho biet", "hoi", "viec", "van de", "dieu", "sau", "thac mac", "noi dung")
)


def _after_introduction(piece: str, lexicon: Lexicon) -> str:
    """The first question without the letter and introduction before it:
    read alone, a salutation and a self-introduction outweigh a short
    question. The whole message still reads them. A colon after anything
    else ("App báo lỗi: ...", "Máy tôi Samsung A10: ...") keeps what is
    before it."""
    found = _BEFORE_INTRODUCTION.match(piece)
    if not found or not (" " + fold(found.group(1).lower()).rstrip(" .")).endswith(_INTRODUCING):
        return piece
    question = _NUMBERED.sub("", piece[found.end() :])
    return question if len(_words(question, lexicon)) >= MIN_SYLLABLES else piece


def _pieces_cut_at_marks(text: str, lexicon: Lexicon) -> List[str]:
    split = [p.strip(" .!") for p in _CUT.split(_items_on_their_own_lines(text)) if p and p.strip(" .!?")]
    ordinals = _ordinal_list(split)
    items = _list_items(split, ordinals, lexicon)
    marked: List[Tuple[str, bool]] = []  # each piece, and whether it opens a list item
    for index, piece in enumerate(split):
        piece = _LIST_OPENING.sub("", piece)
        if ordinals:
            piece = _ORDINAL_BEFORE_ITEM.sub(lambda found: ":" if ":" in found.group(0) else "", piece)
        piece = _INTRODUCTION.sub(":", piece)
        if piece and not _LIST_MARKER.match(piece):
            cuts = _cut_at_connectors(piece, lexicon)
            marked += [(cut, index in items and not k) for k, cut in enumerate(cuts)]
    raw = [piece for piece, _ in marked]
    if len(raw) < 2 or _story_then_question(raw, lexicon):
        return [text]
    pieces: List[str] = []
    pending = ""
    in_an_item = False
    for piece, opens_item in marked:
        if in_an_item and not opens_item and pending.endswith("?") and is_question(piece, lexicon):
            # A question after the last item's question mark ("... 2) cài ở
            # đâu? Ngoài ra cho hỏi ...?") is not part of it.
            pieces.append(pending)
            pending = ""
            in_an_item = False
        if opens_item:
            # An item ends where the next begins, whatever its commas and
            # marks. Before the first, a greeting, a letter before its "Xin
            # cho biết: 1)" or an introduction goes with it; a sentence of
            # a story stays apart.
            introduced = _introduces(pending) or bool(_NUMBERED_AFTER_COLON.search(piece))
            keeps_apart = not (introduced or len(_words(pending, lexicon)) <= _COURTESY_WORDS)
            if pending and (in_an_item or keeps_apart):
                pieces.append(pending)
                pending = ""
            in_an_item = True
        elif not in_an_item and pieces and not pending and _ends_the_one_before(piece, lexicon):
            pieces[-1] = f"{pieces[-1]}, {piece}"
            continue
        pending = f"{pending}{' ' if _introduces(pending) else ', '}{piece}" if pending else piece
        if in_an_item or _introduces(piece) or _only_asks_to_ask(piece, lexicon):
            continue
        if is_question(piece, lexicon) or (is_question(pending, lexicon) and _closes_a_question(piece, lexicon)):
            pieces.append(pending)
            pending = ""
    if pending:
        if in_an_item:
            pieces.append(pending)
        elif pieces:
            pieces[-1] = f"{pieces[-1]}, {pending}"
        else:
            return [text]
    return pieces if len(pieces) > 1 else [text]


def _items_on_their_own_lines(text: str) -> str:
    """The text with each item of a list numbered "1) ... 2) ..." on a line
    of its own, where no mark sets the items apart ("cho hoi 1) tai o dau,
    cai sao 2) co ton pin ko"). Only numbers counted from 1 in
    order make a list ("... 2) ..." alone may be anything)."""
    markers = list(_INLINE_NUMBER.finditer(text))
    numbers = [int(found.group(1)) for found in markers]
    if len(numbers) < 2 or numbers != list(range(1, len(numbers) + 1)):
        return text
    for found in reversed(markers):
        text = f"{text[: found.start()]}\n{text[found.start() :]}"
    return text


_INLINE_NUMBER = re.compile(r"(?:(?<=\s)|^)(\d)\)\s")


def _list_items(split: Sequence[str], ordinals: bool, lexicon: Lexicon) -> Set[int]:
    """The pieces (their indices) that open an item of a list: numbered
    ("Đề nghị Sở cho biết: 1) ...; 2) nhà trường cần hỗ trợ thì liên hệ bộ
    phận nào"), not a date ("15/9 tôi bị sốt") nor a weekday ("Thứ ba tôi
    ..."), or after an ordinal of a list of them ("thứ nhất, ...; thứ hai,
    ..."). Each item is one request."""
    numbered = {
        index
        for index, piece in enumerate(split)
        if (_NUMBERED.match(piece) or _NUMBERED_AFTER_COLON.search(piece))
        and len(_words(piece, lexicon)) > MIN_SYLLABLES
    }
    if ordinals:
        numbered |= {index + 1 for index, piece in enumerate(split[:-1]) if _ORDINAL_BEFORE_ITEM.search(piece)}
    # "1. ..., 2. ...": the cut at a full stop leaves each number alone before its item.
    bare = [index for index, piece in enumerate(split[:-1]) if _BARE_NUMBER.fullmatch(piece)]
    if len(bare) > 1:
        numbered |= {index + 1 for index in bare}
    return numbered


_BARE_NUMBER = re.compile(r"\d{1,2}")


def _ordinal_list(split: Sequence[str]) -> bool:
    """Items after "thứ nhất", "thứ hai"...: at least two, one the first."""
    markers = [piece.lower() for piece in split if _ORDINAL_BEFORE_ITEM.search(piece)]
    return len(markers) > 1 and any(_FIRST in marker for marker in markers)


def _cut_across_commas(text: str, lexicon: Lexicon) -> Optional[List[str]]:
    """A one-sentence message whose second question holds a comma ("có tốn
    4G và có làm máy nóng, chạy chậm không?"): cut at its commas first, the
    half before the comma does not end in the negation of "có ... không",
    so it is not cut at "và". Its two questions, cut at the connector
    alone; None when it holds no such two: when the words after a comma
    ask on their own ("có cài app và có bật Bluetooth, có phải đợi lâu
    không?") or those before it are done ("...có bật Bluetooth rồi, ..."),
    the "có" before "và" tells, it does not ask."""
    if "," not in text or len([s for s in _SENTENCE_END.split(text.strip()) if s]) > 1:
        return None  # without a comma, the pieces were already cut at the connectors
    clauses = [[fold(w.lower()) for w in clause.split()] for clause in text.split(",") if clause.split()]
    if any(clause[0] in _SECOND_FRAME_OPENINGS for clause in clauses[1:]) or any(
        clause[-1] == _DONE for clause in clauses[:-1]
    ):
        return None
    cuts = _cut_at_connectors(text, lexicon)
    return cuts if len(cuts) > 1 and all(is_question(cut, lexicon) for cut in cuts) else None


# "Rồi" closing a clause: what it tells is done, folded.
_DONE = "roi"


# Sentences end at ". ? ! …" followed by a space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.?!…])\s+|\n+")


def asking_sentence(text: str, lexicon: Lexicon) -> Optional[str]:
    """The sentence that asks, in a message of several: the last one asked
    with a question mark or ending in a question word, since a question
    drawn from a story comes after it, and thanks ("Xin cảm ơn", "Cho tôi
    cảm ơn") after the question. Sentences, not the pieces
    `question_pieces` cuts at commas: a sentence keeps its whole question.
    None for a message of one sentence, or with no such sentence."""
    sentences = [(s.strip(), _words(s, lexicon)) for s in _SENTENCE_END.split(text)]
    sentences = [(s, words) for s, words in sentences if words]
    if len(sentences) < 2:
        return None
    asking = [s for s, words in sentences if _asked_with_a_mark(s) or _ends_like_a_question(words)]
    return asking[-1] if asking else None


# How a statement ends that holds a question word ("ăn ít thì không sao",
# "không biết sao"), folded.
_TOLD_ENDINGS = ("khong sao", "biet sao")


def asked_in_words(pieces: Sequence[str], text: str, lexicon: Lexicon) -> List[int]:
    """The pieces (their indices) that ask in question words, each within
    one sentence that asks: a sentence ending with a question mark or a
    question word ("Đường dây làm việc giờ nào, rồi có Zalo để hỏi không?",
    "sai nhiều lần có bị khoá ko."). A piece of a sentence that tells, or
    one that runs on from the sentences of a story before it, may be part
    of that story; "ăn ít thì không sao, nhưng..." tells in any sentence."""
    sentences = [(s, _words(s, lexicon)) for s in _SENTENCE_END.split(text.strip())]
    sentences = [(s, words) for s, words in sentences if words]
    asking = [index for index, piece in enumerate(pieces) if asks(piece, lexicon) and not _ends_telling(piece, lexicon)]
    if len(sentences) < 2:
        return asking
    spans = _sentences_of_each(pieces, [words for _, words in sentences], lexicon)
    # A sentence asks when it ends asking; the last one also when each of its
    # pieces asks in words ("..., co them chuc nang gi? the xanh the vang la
    # gi, lam sao de duoc the xanh"): a story goes before its question.
    last = len(sentences) - 1
    asked_sentences = [
        asks_at_the_end(s, lexicon) or (index == last and _each_piece_asks(index, spans, pieces, lexicon))
        for index, (s, _) in enumerate(sentences)
    ]
    # A greeting or thanks ("Chào ad.", "Em cảm ơn ạ.") joined to a piece tells no story.
    telling = [len(words) > _COURTESY_WORDS and not asked for (_, words), asked in zip(sentences, asked_sentences)]
    within = [[i for i in range(first, last + 1) if asked_sentences[i] or telling[i]] for first, last in spans]
    return [index for index in asking if len(within[index]) == 1 and asked_sentences[within[index][0]]]


def _each_piece_asks(sentence: int, spans: Sequence[Tuple[int, int]], pieces: Sequence[str], lexicon: Lexicon) -> bool:
    """Each piece of the sentence ends in a question word or opens like a
    question, and none is "whatever" ("Ở đâu tôi cũng tìm rồi"); one that
    holds a question word elsewhere may tell ("...mà không ai biết")."""
    within = [pieces[index] for index, (first, last) in enumerate(spans) if first == last == sentence]
    return bool(within) and all(_opens_or_ends_asking(piece, lexicon) for piece in within)


def _opens_or_ends_asking(piece: str, lexicon: Lexicon) -> bool:
    words = _words(piece, lexicon)
    if _WHATEVER in (fold(w.lower().strip(",.?!")) for w in words):
        return False
    return asks_at_the_end(piece, lexicon) or _opens_like_a_question(words)


# A sentence of at most this many words that asks nothing is a greeting or thanks.
_COURTESY_WORDS = 4


def _sentences_of_each(
    pieces: Sequence[str], sentences: Sequence[List[str]], lexicon: Lexicon
) -> List[Tuple[int, int]]:
    """The sentences each piece starts and ends in: where its first and last
    words are found after the piece before. A piece may be rebuilt ("có A
    và B không" as two questions each closed by "không", "xin cho biết A
    và B" as two requests): then its last word alone is sought, and it
    starts where it ends."""
    words = [(index, fold(word.lower().strip(",.?!"))) for index, sentence in enumerate(sentences) for word in sentence]
    spans, cursor, current = [], 0, 0
    for piece in pieces:
        folded = [fold(word.lower().strip(",.?!")) for word in _words(piece, lexicon)]
        head = folded[:_WORDS_SOUGHT]
        start = _found_after(words, head, cursor)
        end = _found_after(words, folded[-_WORDS_SOUGHT:], cursor)
        if end is None:
            end = _found_after(words, folded[-1:], cursor)
        if end is not None:
            cursor, current = end + 1, words[end][0]
        first = words[start - len(head) + 1][0] if start is not None and start < cursor else current
        spans.append((first, current))
    return spans


# How many of a piece's first or last words are sought in the message.
_WORDS_SOUGHT = 3


def _found_after(words: Sequence[Tuple[int, str]], sought: List[str], cursor: int) -> Optional[int]:
    """Where `sought` is first found after `cursor` (the index of its last
    word); None if nowhere."""
    size = len(sought)
    for end in range(cursor + size - 1, len(words)):
        if size and [word for _, word in words[end - size + 1 : end + 1]] == sought:
            return end
    return None


def _ends_telling(piece: str, lexicon: Lexicon) -> bool:
    tail = " ".join(fold(w.lower()) for w in _without_softeners(_words(piece, lexicon))[-2:])
    return not _asked_with_a_mark(piece) and tail in _TOLD_ENDINGS


# A piece of at most SHORT_PIECE syllables ("cách đăng ký như thế nào") may go on
# with the question before it (bot.conversation.understanding.joined_where_continued).
SHORT_PIECE = 6
# A piece of at most SLACK_PIECE words ("mà phải đứng gần bao lâu") is
# rarely read with high confidence, but it may still stand out clearly
# from its runner-up: then this much below the threshold is enough, if it
# is at least CLEAR_LEAD times its runner-up's confidence.
SLACK_PIECE = 8
SHORT_PIECE_SLACK = 0.15
CLEAR_LEAD = 2.0


# Within its topic, a piece's answers are weighed by how the whole message
# ranks them: each answer's confidence times (the whole's confidence +
# UNRANKED_BY_WHOLE) to the power WHOLE_MESSAGE_WEIGHT (0: the piece alone
# decides). The whole message of a story is weighed the same way by its
# asking sentence (`in_light_of_question`), so that sentence tips only
# close calls.
WHOLE_MESSAGE_WEIGHT = 0.5
UNRANKED_BY_WHOLE = 0.01
# Each of several questions shows in how the whole message reads: the
# whole ranks its answer at least this share of its own best answer. A
# sentence of a story can read alone like a question of its own
# ("...phải mua máy mới. Trên máy cũ có lịch sử tiếp xúc."); the whole
# message then barely ranks that answer, if at all. A piece asked with its
# own question mark and read alone with the confidence a split needs is
# no story: the whole may rank its answer lower, since a longer question
# beside it fills the whole's reading ("...đơn vị phải làm những việc gì
# để triển khai Bluezone, và Sở đã có văn bản nào hướng dẫn chưa?").
MIN_SHARE_OF_WHOLE = 0.02
# An unsure piece asks again what another piece surely asks when it ranks
# that answer at least this share of its own best.
ASKED_AGAIN_SHARE = 0.8
# A question asked with its own question mark, read alone with less than
# the confidence a split needs, is still sure when the whole message ranks
# its topic (its answers added up) among its best two, at least this share
# of the best, and the piece alone is at most BACKED_SLACK below the
# threshold.
BACKED_BY_WHOLE_SHARE = 0.1
BACKED_SLACK = 0.15
# A piece's answer read alone with less confidence than this is a guess
# between many.
GUESSED_ANSWER = 0.2


def in_light_of(whole: Dict[str, Any], parts: List[Dict[str, Any]], answerable: Sequence[str]) -> List[Dict[str, Any]]:
    """Each piece's answer as the whole message reads it too. A piece read
    alone is short, and its best answer is often a guess between
    neighbours of one topic ("hết hạn thì xin mã mới thế nào": a wrong code
    or an expired one); the whole message says which of them it is about,
    so a piece that only restates the question takes the same answer and
    the message stays one question. A piece's topic stays its own: a
    second question on another topic is not drawn into the first, nor
    into another piece's answer: where another piece reads an answer as
    its own best, and more surely, the whole ranks that answer for that
    piece's words ("Tiêm rồi có còn lây không" beside "đăng ký tiêm ở
    đâu": the whole reads the registration), so it does not weigh it here."""
    prior = dict(retrieval.ranking(whole.get("response_selector") or {}))
    rankings = [retrieval.ranking(part.get("response_selector") or {}) for part in parts]
    bests = [ranked[0] for ranked in rankings if ranked]
    weighed = []
    for part, ranked in zip(parts, rankings):
        if _asks_for_the_overview(part):
            weighed.append(part)
            continue
        others = _others_asked_more_surely(ranked, bests)
        weighed.append(_weighed_within_topic(part, {k: c for k, c in prior.items() if k not in others}, answerable))
    return weighed


def _others_asked_more_surely(ranked: Sequence[Tuple[str, float]], bests: Sequence[Tuple[str, float]]) -> Set[str]:
    """Of the pieces' best answers (`bests`), those other pieces read more
    surely than this piece (its answers `ranked`), which clearly leads
    with another."""
    if len(ranked) < 2 or ranked[0][1] < CLEAR_LEAD * ranked[1][1]:
        return set()
    own = dict(ranked)
    return {key for key, c in bests if c > own.get(key, 0.0)} - {ranked[0][0]}


def _asks_for_the_overview(part: Dict[str, Any]) -> bool:
    """ "PC-Covid là gì?" asks what the thing is, however much the rest of
    the message ("..., trang web chính thức?") fills the whole's reading."""
    return _asks_what(part) and _is_overview(retrieval.answer_of(part))


def in_light_of_question(whole: Dict[str, Any], asked: Dict[str, Any], answerable: Sequence[str]) -> Dict[str, Any]:
    """The whole message's answer, within its topic, weighed by how its
    asking sentence alone ranks the answers (`asking_sentence`): a story
    told first fills the whole message's words, while the question says
    which of the topic's answers is wanted ("Máy tui cũ, bộ nhớ đầy rồi.
    Gỡ app ra thì có mất lịch sử không?")."""
    if (asked.get("intent") or {}).get("name") != (whole.get("intent") or {}).get("name"):
        return whole  # read alone as another topic, its ranking of this one is noise
    return _weighed_within_topic(whole, dict(retrieval.ranking(asked.get("response_selector") or {})), answerable)


def _weighed_within_topic(part: Dict[str, Any], prior: Dict[str, float], answerable: Sequence[str]) -> Dict[str, Any]:
    intent = (part.get("intent") or {}).get("name")
    if intent not in answerable:
        return part
    ranked = [(k, c) for k, c in retrieval.ranking(part.get("response_selector") or {}) if k.startswith(f"{intent}/")]
    if not ranked:
        return part
    key, confidence = max(
        ranked, key=lambda kc: kc[1] * (prior.get(kc[0], 0.0) + UNRANKED_BY_WHOLE) ** WHOLE_MESSAGE_WEIGHT
    )
    if key == ranked[0][0]:
        return part
    return retrieval.with_answer(part, intent, key, confidence)


def _topics(parse: Dict[str, Any]) -> List[Tuple[str, float]]:
    """The parse's topics, best first, their answers added up (as
    bot.nlu.topic_answer ranks them), the fallback left out."""
    return [
        (r["name"], float(r["confidence"])) for r in parse.get("intent_ranking") or [] if r["name"] != FALLBACK_INTENT
    ]


def confident(parse: Dict[str, Any], min_confidence: float) -> bool:
    top = retrieval.intent_confidence(parse)
    if top >= min_confidence:
        return True
    if not _short(parse):
        return False
    ranking = _topics(parse)
    runner_up = ranking[1][1] if len(ranking) > 1 else 0.0
    return top >= min_confidence - SHORT_PIECE_SLACK and top >= CLEAR_LEAD * runner_up


def _overview_of(answer: str) -> str:
    topic, _, key = answer.partition("/")
    return "" if not key or key == OVERVIEW else f"{topic}/{OVERVIEW}"


def split_decision(
    whole: Dict[str, Any],
    parts: Sequence[Dict[str, Any]],
    answerable: Sequence[str],
    min_confidence: float,
    going_on: Collection[int] = (),
    asking: Collection[int] = (),
    opened: Collection[int] = (),
) -> Optional[List[Dict[str, Any]]]:
    """The questions the parts ask, one parse per distinct answer in the
    order first asked, when they are really distinct questions: each of
    the answerable topics and confidently read in at least one of its
    pieces, each ranked by the whole message too (or asked with its own
    question mark and read surely alone), and the whole message about one
    of them, unless each was asked outright.

    A piece may ask again what another asked ("mũi 2 cách mũi 1 tối thiểu
    bao lâu, và tối đa bao nhiêu ngày?"): the same question, answered
    once, and a piece read alone is short and often unsure. But a message
    that asks one thing twice is more often a story told before that one
    question ("Máy tui đầy bộ nhớ. ... gỡ Bluezone có mất gì không?"), so
    there each question must have been asked outright: with a question
    mark, or in question words (the pieces at `asking`, `asks`).

    The pieces at `going_on` ask "còn X thì sao" about the piece before:
    short, so unsure alone, but asked as a question of their own. Those
    at `opened` bring up another question in words ("... sửa sao? Với lại
    để nó chạy suốt vậy có tốn 4G không?"): asked outright, however
    unsure alone, and however little a long story before them lets the
    whole message rank them."""
    if len(parts) < 2:
        return None
    asides = [i for i, part in enumerate(parts) if (part.get("intent") or {}).get("name") not in answerable]
    if asides:
        return _with_asides(whole, parts, answerable, min_confidence, asides, (going_on, asking, opened))
    whole_ranked = retrieval.ranking(whole.get("response_selector") or {})
    whole_topics = _topics(whole)
    asked_as_question = [_marked(part) or index in asking or index in opened for index, part in enumerate(parts)]
    each_marked = all(map(_marked, parts))
    sure = [
        index in going_on
        or index in opened
        or confident(part, min_confidence)
        or _backed_by_whole(part, whole_topics, min_confidence)
        or (each_marked and _short_and_fairly_sure(part, min_confidence))
        or (all(asked_as_question) and _what_the_whole_asks(part, whole_ranked))
        for index, part in enumerate(parts)
    ]
    lost = [_lost_in_whole(part, whole_ranked, min_confidence) for part in parts]
    for index in range(len(parts)):
        if index not in going_on and index not in opened and lost[index]:
            sure[index] = False
    for index in range(1, len(parts)):
        asked_in_words_only = index not in going_on and index not in opened
        if asked_in_words_only and sure[index - 1] and _only_backed_below(parts, index, whole_ranked, min_confidence):
            # "Người đứng gần có biết tôi là ai không, có thấy số điện thoại
            # tôi không? Với lại ...": unsure alone, an answer the whole
            # message does not rank goes on with the question before.
            sure[index] = False
    told = [
        not certain and i not in going_on and (not asked_as_question[i] or lost[i]) for i, certain in enumerate(sure)
    ]
    asked, attached = _by_answer(parts, sure, told)
    if len(asked) < 2 or not all(any(sure[i] for i in same) for same in asked.values()):
        return None
    own = [[i for i in same if i not in attached] for same in asked.values()]
    # A question opened in words ("Ngoài ra cho hỏi ...", "Với lại ...")
    # says what was told before it was asked too.
    opened_after = [any(later > index for later in opened) for index in range(len(parts))]
    if any(len(pieces) > 1 for pieces in own) and not all(
        any(asked_as_question[i] or i in going_on or opened_after[i] for i in pieces) for pieces in own
    ):
        return None
    seen = set(asked)
    each_on_its_own = all(
        _asked_on_its_own(part) or (index in asking and not _few_words(part))
        for index, part in enumerate(parts)
        if index not in attached
    )
    if any(_overview_of(answer) in seen for answer in seen) and not (each_on_its_own or _asks_what_it_is(parts, asked)):
        # A topic's overview next to one of its specific answers ("báo lỗi
        # hoài, mở không được"): one problem told twice, unless each was
        # asked as a question of its own ("Có bắt buộc không? Vì sao phải cài?",
        # "Cho hỏi có bắt buộc không. Mà vì sao phải cài?", "Có cài được
        # trên laptop không, mà điện thoại thì cần cấu hình gì") or the
        # overview was asked for ("PC-Covid là gì, ..."). A few words in
        # question words restate the other ("..., bắt buộc hả"). Another
        # question beside that problem is still asked ("Máy cứ báo
        # 'Bluezone đã dừng', mở lên là tắt, sửa sao? Gỡ ra cài lại có mất
        # lịch sử không?").
        asked = _told_twice_as_one(asked)
        if len(asked) < 2:
            return None
        seen = set(asked)
    # A question opened in words ("tiện hỏi luôn ...", "với lại ...") says
    # the question asked in words before it was one too.
    outright = [
        index in opened
        or (
            index not in going_on
            and (_asked_outright(part) or (index in asking and opened_after[index]))
            and retrieval.intent_confidence(part) >= min_confidence
        )
        for index, part in enumerate(parts)
    ]
    whole_intent = (whole.get("intent") or {}).get("name")
    if whole_intent not in {(p.get("intent") or {}).get("name") for p in parts} | {FALLBACK_INTENT}:
        # Torn between topics, the whole message may read a third one ("Tắt
        # màn hình còn chạy ngầm không, và sao số lượt lúc nào cũng là 0?":
        # an app error); questions each asked outright are asked still.
        if not all(outright[i] for i in range(len(parts)) if i not in attached):
            return None
    asked_outright = {answer for answer, same in asked.items() if any(outright[i] for i in same)}
    if not _each_shows_in_whole(whole_ranked, seen - asked_outright):
        return None
    return [_asking_part(parts, answer, same, sure) for answer, same in asked.items()]


def _asking_part(
    parts: Sequence[Dict[str, Any]], answer: str, same: Sequence[int], sure: Sequence[bool]
) -> Dict[str, Any]:
    """The piece that asks best the question `answer` of pieces `same`: a sure one,
    the surest, and, where some give that answer itself, one of those."""
    giving = [i for i in same if retrieval.answer_of(parts[i]) == answer] or list(same)
    return parts[max(giving, key=lambda i: (sure[i], retrieval.intent_confidence(parts[i])))]


def _told_twice_as_one(asked: Dict[str, List[int]]) -> Dict[str, List[int]]:
    """The pieces grouped by question, a topic's overview given to the
    question of the same topic's specific answer: one problem told twice."""
    merged: Dict[str, List[int]] = {}
    for answer, same in asked.items():
        specific = next((other for other in asked if _overview_of(other) == answer), None)
        merged.setdefault(specific or answer, []).extend(same)
    return {answer: sorted(same) for answer, same in merged.items()}


def _with_asides(
    whole: Dict[str, Any],
    parts: Sequence[Dict[str, Any]],
    answerable: Sequence[str],
    min_confidence: float,
    asides: Sequence[int],
    marks: Tuple[Collection[int], Collection[int], Collection[int]],
) -> Optional[List[Dict[str, Any]]]:
    """The questions asked where some pieces ask something the bot answers
    from no knowledge: a person to talk to, or something else entirely
    ("Bluezone có làm nóng máy không? Mà tiện hỏi luôn giá vàng hôm nay
    bao nhiêu?"). Such a piece is asked when it opens another question in
    words (`opened`) and is read surely alone, as one of ASIDES; the
    others are decided among themselves. A story or a question of the
    bot's topics read alone as nothing it answers is no aside: then the
    message is read whole."""
    going_on, asking, opened = marks
    if not all(_an_aside(parts[i], i in opened, min_confidence) for i in asides):
        return None
    kept = [i for i in range(len(parts)) if i not in asides]
    if not kept:
        return None
    renumbered = {old: new for new, old in enumerate(kept)}

    def within(indices: Collection[int]) -> List[int]:
        return [renumbered[i] for i in indices if i in renumbered]

    if len(kept) == 1:
        questions = [parts[kept[0]]]
    else:
        questions = split_decision(
            whole,
            [parts[i] for i in kept],
            answerable,
            min_confidence,
            within(going_on),
            within(asking),
            within(opened),
        )
    if not questions:
        return None
    # Each aside in its place among the questions: after the questions of the pieces before it.
    ordered = list(questions)
    for earlier, index in enumerate(asides):
        before = min(sum(1 for i in kept if i < index), len(questions))
        ordered.insert(before + earlier, parts[index])
    return ordered


def _an_aside(part: Dict[str, Any], opens_another: bool, min_confidence: float) -> bool:
    intent = (part.get("intent") or {}).get("name")
    return opens_another and intent in ASIDES and retrieval.intent_confidence(part) >= min_confidence


# Intents a piece of a message may ask beside the bot's topics.
ASIDES = {"out_of_scope", "request_human"}


# "PC-Covid là gì": a piece asking what something is asks for its overview
# (matched folded, so "la gi" and any Unicode form of "là gì" count).
_WHAT_IS = re.compile(r"\bla (?:cai )?(?:gi|j)\b")


def _asks_what_it_is(parts: Sequence[Dict[str, Any]], asked: Dict[str, List[int]]) -> bool:
    """Each overview given was asked for as "X là gì": a question of its
    own, not a problem told twice."""
    overviews = [answer for answer in asked if _is_overview(answer)]
    return bool(overviews) and all(any(_asks_what(parts[i]) for i in asked[answer]) for answer in overviews)


def _is_overview(answer: str) -> bool:
    return answer.endswith(f"/{OVERVIEW}")


def _asks_what(part: Dict[str, Any]) -> bool:
    return bool(_WHAT_IS.search(fold(str(part.get("text") or "").lower())))


def _asked_outright(part: Dict[str, Any]) -> bool:
    """With a question mark, or as "X là gì" read as a topic's overview
    ("PC-Covid là gì vậy, lên đó thì..."): asking what a thing is, not a
    sentence of a story, so the whole message need not rank its answer.
    Read as another answer, "là gì" is part of a story ("Tôi biết lượt
    tiếp xúc là gì rồi, ...")."""
    return _marked(part) or (_asks_what(part) and _is_overview(retrieval.answer_of(part)))


def _by_answer(
    parts: Sequence[Dict[str, Any]], sure: Sequence[bool], told: Sequence[bool]
) -> Tuple[Dict[str, List[int]], Set[int]]:
    """The pieces (their indices) grouped by the question they ask, in the
    order first asked, and the pieces attached to a question not their own.
    An unsure piece that ranks the answer another piece gives surely almost
    as high as its own best asks that again ("Sao đòi số điện thoại, số đó
    ai giữ?": a change of number or why the number, and the next piece
    says why). An unsure piece that only tells (`told`: "..., cứ quay vòng
    vòng rồi báo lỗi.") and asks nothing a sure piece asks is attached to
    the question before it, or, first in the message, to the one after it."""
    sure_answers = {retrieval.answer_of(part) for part, certain in zip(parts, sure) if certain}
    answers: List[str] = []
    attached: Set[int] = set()
    for index, part in enumerate(parts):
        answer = retrieval.answer_of(part)
        if answer not in sure_answers:
            again = _asked_again(part, sure_answers)
            if again:
                answer = again
            elif told[index]:
                attached.add(index)
                answer = answers[-1] if answers else answer
            else:
                answer = _goes_on_with(part, answers[-1] if answers else "", sure, index) or answer
        answers.append(answer)
    leading = [i for i in sorted(attached) if all(j in attached for j in range(i + 1))]
    if leading and leading[-1] + 1 < len(answers):
        answers[: leading[-1] + 1] = [answers[leading[-1] + 1]] * len(leading)
    asked: Dict[str, List[int]] = {}
    for index, answer in enumerate(answers):
        asked.setdefault(answer, []).append(index)
    return asked, attached


def _goes_on_with(part: Dict[str, Any], previous: str, sure: Sequence[bool], index: int) -> Optional[str]:
    """An unsure piece right after a sure one of the same topic goes on
    with it ("Sao nó đòi số điện thoại, số đó ai giữ, có bị lộ ra ngoài
    không?"): one question told in several pieces."""
    if index and sure[index - 1] and previous.partition("/")[0] == (part.get("intent") or {}).get("name"):
        return previous
    return None


def _asked_again(part: Dict[str, Any], sure_answers: Set[str]) -> Optional[str]:
    ranked = retrieval.ranking(part.get("response_selector") or {})
    least = ASKED_AGAIN_SHARE * ranked[0][1] if ranked else 0.0
    return next((key for key, c in ranked if key in sure_answers and c >= least), None)


def _short_and_fairly_sure(part: Dict[str, Any], min_confidence: float) -> bool:
    """Short questions each with its own question mark ("Bluezone có tác
    dụng gì? Cách cài đặt như thế nào?") are asked one by one, though
    read alone each is only fairly sure."""
    return _short(part) and retrieval.intent_confidence(part) >= min_confidence - BACKED_SLACK


def _what_the_whole_asks(part: Dict[str, Any], whole_ranked: Sequence[Tuple[str, float]]) -> bool:
    """Short, and the answer the whole message reads best ("Bluezone là
    gì? Có mất tiền không?": alone, the short question is unsure whose
    cost it asks; the whole message is sure). Only where every piece asks,
    with a question mark or in words ("bluezone là gì, có mất tiền
    không"): a problem told before it ("Quét mã cứ báo lỗi, tờ khai gửi
    không đi, phải làm sao?") is the same question."""
    return _short(part) and bool(whole_ranked) and retrieval.answer_of(part) == whole_ranked[0][0]


def _lost_in_whole(part: Dict[str, Any], whole_ranked: Sequence[Tuple[str, float]], min_confidence: float) -> bool:
    """Asked, but read alone as barely anything (its topic or its answer a
    guess), and an answer the whole message does not rank ("PC-Covid là
    gì, phải Bluezone đổi tên không?"; "lên PC-Covid thì tài khoản cũ còn
    không, có phải đăng ký lại không?"): it asks
    nothing the bot can tell apart from the question beside it."""
    answer = retrieval.answer_of(part)
    guessed = dict(retrieval.ranking(part.get("response_selector") or {})).get(answer, 1.0) < GUESSED_ANSWER
    unsure = guessed or retrieval.intent_confidence(part) < min_confidence - BACKED_SLACK
    return unsure and not _each_shows_in_whole(whole_ranked, [answer])


def _few_words(part: Dict[str, Any]) -> bool:
    """Barely a question of its own: "bắt buộc hả ad", "khai ở đâu"."""
    words = [word.strip(",.?!").lower() for word in str(part.get("text") or "").split()]
    return len(_without_softeners([word for word in words if word])) <= MIN_SYLLABLES


def _short(part: Dict[str, Any]) -> bool:
    words = [word.strip(",.?!").lower() for word in str(part.get("text") or "").split()]
    return len(_without_softeners([word for word in words if word])) <= SLACK_PIECE


def _only_backed_below(
    parts: Sequence[Dict[str, Any]], index: int, whole_ranked: Sequence[Tuple[str, float]], min_confidence: float
) -> bool:
    """Unsure alone, of the topic of the piece before, and an answer the
    whole message does not rank."""
    part, before = parts[index], parts[index - 1]
    same_topic = (part.get("intent") or {}).get("name") == (before.get("intent") or {}).get("name")
    unsure = retrieval.intent_confidence(part) < min_confidence
    return same_topic and unsure and not _each_shows_in_whole(whole_ranked, [retrieval.answer_of(part)])


def _backed_by_whole(part: Dict[str, Any], whole_topics: Sequence[Tuple[str, float]], min_confidence: float) -> bool:
    """A second question read alone is short and often unsure ("Khi nào có
    thể dừng dùng Bluezone?" after a story and another question); asked
    on its own (a question mark, or "tôi xin hỏi...") and its topic ranked
    near the top by the whole message, it is a question of that message.
    Topics, not answers: the whole message spreads a topic over its
    neighbouring answers ("Bluezone là gì và phát hiện người nhiễm như thế
    nào?")."""
    if not _asked_on_its_own(part) or retrieval.intent_confidence(part) < min_confidence - BACKED_SLACK:
        return False
    leaders = whole_topics[:2]
    best = leaders[0][1] if leaders else 0.0
    own_topic = (part.get("intent") or {}).get("name")
    return any(topic == own_topic and c >= BACKED_BY_WHOLE_SHARE * best for topic, c in leaders)


def _marked(part: Dict[str, Any]) -> bool:
    return _asked_with_a_mark(str(part.get("text") or ""))


def _asked_on_its_own(part: Dict[str, Any]) -> bool:
    """With a question mark, or outright ("Tôi muốn hỏi cài Bluezone là
    bắt buộc hay tự nguyện.")."""
    text = str(part.get("text") or "")
    return _marked(part) or " ".join(_opening_words(text.split())[:3]).startswith(_ASKING)


def _each_shows_in_whole(whole_ranked: Sequence[Tuple[str, float]], answers: Iterable[str]) -> bool:
    ranked = dict(whole_ranked)
    if not ranked:
        return True
    least = MIN_SHARE_OF_WHOLE * max(ranked.values())
    return all(ranked.get(answer, 0.0) >= least for answer in answers)
