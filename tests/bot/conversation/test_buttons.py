import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.conversation.buttons import asks_for_more, buttons_on_screen, pressed, told_reply
from bot.nlu.lexicon import load_lexicon

LEXICON = load_lexicon()
FEEDBACK = [
    {"title": "Câu hỏi thường gặp", "type": "web_url", "url": "https://bluezone.gov.vn"},
    {"title": "👍 Hữu ích", "payload": '/affirm{"helpful": "yes"}'},
    {"title": "👎 Chưa đúng ý", "payload": '/deny{"helpful": "no"}'},
]
STILL_BROKEN = [{"title": "Đã chạy được", "payload": "/affirm"}, {"title": "Vẫn còn lỗi", "payload": "/deny"}]


def told(text, buttons=STILL_BROKEN):
    button = told_reply(text, buttons, LEXICON)
    return button["payload"] if button else None


def payload(text, buttons):
    button = pressed(text, [b for b in buttons if b.get("payload")], LEXICON)
    return button["payload"] if button else None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("có", '/affirm{"helpful": "yes"}'),
        ("dạ có ạ", '/affirm{"helpful": "yes"}'),
        ("ko", '/deny{"helpful": "no"}'),
        ("không", '/deny{"helpful": "no"}'),
        ("hữu ích", '/affirm{"helpful": "yes"}'),
        ("Chưa đúng ý", '/deny{"helpful": "no"}'),
        ("chua dung y", '/deny{"helpful": "no"}'),
    ],
)
def test_a_bare_yes_or_no_under_an_answer_is_its_button(text, expected):
    assert payload(text, FEEDBACK) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ok, rõ rồi", '/affirm{"helpful": "yes"}'),
        ("dạ tôi hiểu rồi ạ", '/affirm{"helpful": "yes"}'),
        ("vang de hieu", '/affirm{"helpful": "yes"}'),
        ("không, sai rồi", '/deny{"helpful": "no"}'),
        ("có không", None),
        ("chưa hiểu lắm", None),
        ("hiểu rồi, cảm ơn", None),
    ],
)
def test_several_replies_of_one_meaning_in_a_row_are_its_button(text, expected):
    assert payload(text, FEEDBACK) == expected


@pytest.mark.parametrize(
    "text",
    [
        "không biết cài sao",
        "ko nhận được mã otp",
        "tôi muốn xóa bluezone khỏi điện thoại",
        "có tốn pin không",
        "/ask_install",
    ],
)
def test_a_question_is_never_a_button(text):
    assert payload(text, FEEDBACK) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Vẫn còn lỗi", "/deny"),
        ("vẫn lỗi", "/deny"),
        ("chưa được", "/deny"),
        ("chua duoc ad", "/deny"),
        ("Dùng được rồi", "/affirm"),
        ("đã chạy được", "/affirm"),
        ("rồi", "/affirm"),
        ("ok chạy rồi", "/affirm"),
        ("ok, mà vẫn lỗi", None),
    ],
)
def test_typed_replies_after_the_troubleshooting_question(text, expected):
    assert payload(text, STILL_BROKEN) == expected


@pytest.mark.parametrize(
    "text",
    [
        "rồi, cập nhật xong mở lên được rồi",
        "dạ được rồi, cấp quyền xong là hết đòi",
        "dạ bật định vị lên là hết báo rồi",
        "tui gỡ ra cài lại được rồi",
        "ok, tắt máy mở lại là xong",
        "dạ em cập nhật xong mở lại là vô được rồi ạ, hóa ra máy em để bản cũ lâu quá",
        "khởi động lại máy xong thì dùng bình thường rồi nha, cảm ơn",
        "má tui cài lại là vô được rồi",
        "roi, cap nhat xong mo len duoc roi",
        "Tôi đã làm theo, hiện ứng dụng đã mở được bình thường.",
    ],
)
def test_a_yes_told_with_what_was_done_means_it_works(text):
    assert told(text) == "/affirm"


@pytest.mark.parametrize(
    "text",
    [
        "tôi làm hết rồi, khởi động lại máy cũng rồi, mà nó vẫn tự tắt y như cũ",
        "rồi, mà vẫn y chang",
        "nó vẫn báo lỗi y như cũ",
        "van y nhu cu ad oi",
        "vẫn bị y vậy",
        "lam theo het roi ma van bi",
        "lỗi vẫn còn nha ad",
    ],
)
def test_a_problem_told_to_be_as_before_means_still_broken(text):
    assert told(text) == "/deny"


@pytest.mark.parametrize(
    "text",
    [
        "ok, mà vẫn lỗi",
        "được rồi nhưng hao pin quá",
        "rồi, mà cho hỏi có tốn pin không",
        "rồi, giờ nó báo lỗi khác",
        "làm hết rồi mà chưa được",
        "chưa được, máy tui đời cũ lắm",
        "tôi cài rồi",
        "vẫn như cũ, có cách nào khác không",
        "rồi, giờ sao?",
        "ok, để em thử",
        "thôi được rồi, để mai tui nhờ con tui coi",
        "được rồi, chỉ tui cách tắt thông báo",
        "giờ hết vô được rồi",
        "tưởng vô được rồi, ai ngờ lại văng ra",
        "vô được rồi, giờ lại tự tắt",
        "app chạy bình thường như cũ rồi",
        "không, vẫn không hoạt động bình thường",
        "vẫn bị văng",
        "được rồi ạ, lịch sử tiếp xúc vẫn còn",
        "lúc trước mở bình thường",
        "được rồi, không còn như cũ nữa",
        "vậy android mấy thì mới dùng được",
        "máy nào thì cài được",
    ],
)
def test_a_reply_with_a_question_a_problem_or_a_but_is_left_to_the_classifier(text):
    assert told_reply(text, STILL_BROKEN, LEXICON) is None


@pytest.mark.parametrize(
    "text",
    ["nói rõ hơn đi ad", "noi ro hon duoc ko", "chị chưa hiểu lắm, em chỉ thêm đi", "kể thêm chút nữa", "rồi sao nữa"],
)
def test_asking_for_more_under_the_troubleshooting_question(text):
    assert asks_for_more(text, STILL_BROKEN, LEXICON)


@pytest.mark.parametrize(
    "text, buttons",
    [
        ("ok chạy rồi", STILL_BROKEN),
        ("nói rõ hơn đi ad", FEEDBACK[1:]),
        ("ok rồi, ko cần nói thêm", STILL_BROKEN),
        ("chạy ngon rồi, cám ơn ad giải thích kỹ", STILL_BROKEN),
        ("được rồi ad, không hiểu sao hồi nãy không vào được", STILL_BROKEN),
        ("chạy rồi, không sao nữa", STILL_BROKEN),
    ],
)
def test_asking_for_more_only_with_words_for_it_under_a_yes_no_question(text, buttons):
    assert not asks_for_more(text, buttons, LEXICON)


def test_a_vote_counts_only_when_bare():
    assert told_reply("rồi, cập nhật xong mở lên được rồi", FEEDBACK[1:], LEXICON) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1", "/affirm"),
        ("2", "/deny"),
        (" số 2 ", "/deny"),
        ("1.", "/affirm"),
        ("3", None),
        ("0", None),
        ("2 mũi", None),
    ],
)
def test_a_number_picks_that_choice_of_a_numbered_list(text, expected):
    assert payload(text, STILL_BROKEN) == expected


def test_the_latest_button_with_the_meaning_wins():
    """An app-error answer shows its own buttons, then "đã chạy được chưa?"."""
    assert payload("có", FEEDBACK + STILL_BROKEN) == "/affirm"


def test_only_the_buttons_since_the_citizen_last_spoke_count():
    events = [
        UserUttered("chào"),
        BotUttered("chào", {"buttons": [{"title": "Cài đặt", "payload": "/ask_install"}]}),
        UserUttered("cài ở đâu"),
        ActionExecuted("utter_ask_install"),
        BotUttered("...", {"buttons": FEEDBACK}),
    ]
    assert [b["title"] for b in buttons_on_screen(events)] == ["👍 Hữu ích", "👎 Chưa đúng ý"]
    assert buttons_on_screen(events + [UserUttered("có")]) == []
