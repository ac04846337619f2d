"""bot.conversation.understanding with a stand-in classifier: what the
citizen meant, given the buttons on screen and the last answer."""

import asyncio
import unicodedata

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.conversation.context import Answered, clarified, follow_up_kind, last_answered, within_last_topic
from bot.conversation.understanding import QUESTIONS, another_of_the_topic, read_on_from, understand
from bot.knowledge import Family
from bot.nlu.lexicon import load_lexicon
from bot.nlu.retrieval import choose

LEXICON = load_lexicon()
TOPICS = [
    "ask_install",
    "ask_battery_data",
    "ask_how_it_works",
    "ask_device_support",
    "ask_what_is_bluezone",
    "ask_covid_general",
]


def parse(text, intent, key=None, confidence=0.9, ranking=()):
    """A parse as Rasa's processor returns it, our TopicAnswer included."""
    selector = {
        "all_retrieval_intents": TOPICS,
        "default": {"ranking": [{"intent_response_key": k, "confidence": c} for k, c in ranking]},
    }
    if key:
        selector = choose(selector, intent, key, confidence)
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence, "full_retrieval_intent_name": key},
        "entities": [],
        "response_selector": selector,
    }


class Classifier:
    """Reads fixed texts; records what it was asked."""

    def __init__(self, known):
        self.known, self.asked = known, []

    async def __call__(self, text):
        self.asked.append(text)
        if text.startswith("/affirm"):
            return parse(text, "affirm", confidence=1.0)
        return self.known.get(text) or parse(text, "nlu_fallback", confidence=0.3)


def run(text, classifier, events=None, families=None):
    return asyncio.run(understand(text, classifier, events, LEXICON, 0.6, families=families))


def answered(text, key, ranking=()):
    intent = key.split("/")[0]
    return [
        UserUttered(text, {"name": intent}, parse_data=parse(text, intent, key, ranking=ranking)),
        ActionExecuted(f"utter_{intent}"),
        BotUttered("...", {"buttons": [{"title": "👍 Hữu ích", "payload": '/affirm{"helpful": "yes"}'}]}),
    ]


def test_a_typed_button_title_is_the_button_and_keeps_what_was_typed():
    classifier = Classifier({})
    result = run("có ạ", classifier, answered("cài ở đâu", "ask_install/download_link"))
    assert result["intent"]["name"] == "affirm" and result["text"] == "có ạ"
    assert classifier.asked == ['/affirm{"helpful": "yes"}']


def test_two_questions_become_two_parses_in_the_order_asked():
    classifier = Classifier(
        {
            "cài ở đâu, có tốn pin không?": parse("", "ask_battery_data", "ask_battery_data/overview", 0.7),
            "cài ở đâu": parse("cài ở đâu", "ask_install", "ask_install/download_link"),
            "có tốn pin không?": parse("có tốn pin không?", "ask_battery_data", "ask_battery_data/battery_drain"),
        }
    )
    result = run("cài ở đâu, có tốn pin không?", classifier)
    assert result["intent"]["name"] == "ask_install+ask_battery_data"
    assert [q["intent"]["full_retrieval_intent_name"] for q in result[QUESTIONS]] == [
        "ask_install/download_link",
        "ask_battery_data/battery_drain",
    ]


@pytest.mark.parametrize("second", ["tải ở đâu?", "cách tải về như thế nào?"])
def test_a_short_piece_that_goes_on_with_the_one_before_is_not_a_second_question(second):
    first = "Máy tui Oppo A37 có cài Bluezone được không"
    text = f"{first}, {second}"
    classifier = Classifier(
        {
            text: parse(text, "ask_device_support", "ask_device_support/overview", 0.7),
            first: parse(first, "ask_device_support", "ask_device_support/overview", 0.8),
            second: parse(second, "ask_install", "ask_install/download_link", 0.7),
            f"{first}, {second}": parse("", "ask_device_support", "ask_device_support/overview", 0.8),
        }
    )
    result = run(text, classifier)
    assert result["intent"]["name"] == "ask_device_support" and QUESTIONS not in result


def read_two(first, second, whole, first_alone, second_alone, together=None, between=", "):
    """The message `first` + `second`, each reading given as parse()'s
    arguments after the text; `together` is the two read as one piece."""
    text = f"{first}{between}{second}"
    known = {text: parse(text, *whole), first: parse(first, *first_alone), second: parse(second, *second_alone)}
    if together:
        known[f"{first}, {second}"] = parse("", *together)
    return known, text


def answers_asked(result):
    return [q["intent"]["full_retrieval_intent_name"] for q in result.get(QUESTIONS, [])]


@pytest.mark.parametrize("confidence, split", [(0.8, True), (0.4, False)])
def test_a_short_piece_sure_of_its_own_question_about_the_disease_is_not_joined(confidence, split):
    whole_ranking = [("ask_how_it_works/contact_count", 0.6), ("ask_covid_general/isolation_rules", 0.2)]
    known, text = read_two(
        "bluezone báo tôi tiếp xúc gần rồi, giờ phải làm gì",
        "cách ly mấy ngày?",
        whole=("ask_how_it_works", "ask_how_it_works/contact_count", 0.7, whole_ranking),
        first_alone=("ask_how_it_works", "ask_how_it_works/contact_count", 0.8),
        second_alone=("ask_covid_general", "ask_covid_general/isolation_rules", confidence),
    )
    answers = answers_asked(run(text, Classifier(known)))
    assert answers == (["ask_how_it_works/contact_count", "ask_covid_general/isolation_rules"] if split else [])


@pytest.mark.parametrize("confidence, split", [(1.0, True), (0.7, False)])
def test_a_short_piece_read_alone_all_but_certainly_is_not_joined(confidence, split):
    known, text = read_two(
        "Gửi lịch sử tiếp xúc kiểu nào",
        "hotline số mấy?",
        whole=("ask_how_it_works", "ask_how_it_works/contact_count", 0.7),
        first_alone=("ask_how_it_works", "ask_how_it_works/contact_count", 0.7),
        second_alone=("ask_install", "ask_install/download_link", confidence),
        together=("ask_how_it_works", "ask_how_it_works/contact_count", 0.8),
    )
    answers = answers_asked(run(text, Classifier(known)))
    assert answers == (["ask_how_it_works/contact_count", "ask_install/download_link"] if split else [])


@pytest.mark.parametrize("confidence, split", [(0.7, True), (0.4, False)])
def test_a_short_sentence_of_its_own_read_surely_alone_is_not_joined(confidence, split):
    whole_ranking = [("ask_how_it_works/needs_bluetooth", 0.8), ("ask_battery_data/mobile_data", 0.05)]
    known, text = read_two(
        "bluezone co bat buoc bat bluetooth khong",
        "co ton 4g ko",
        whole=("ask_how_it_works", "ask_how_it_works/needs_bluetooth", 0.8, whole_ranking),
        first_alone=("ask_how_it_works", "ask_how_it_works/needs_bluetooth", 0.8),
        second_alone=("ask_battery_data", "ask_battery_data/mobile_data", confidence),
        together=("ask_how_it_works", "ask_how_it_works/needs_bluetooth", 0.8),
        between=". ",
    )
    answers = answers_asked(run(text, Classifier(known)))
    assert answers == (["ask_how_it_works/needs_bluetooth", "ask_battery_data/mobile_data"] if split else [])


def test_a_condition_sure_of_its_own_question_alone_is_a_second_question():
    known, text = read_two(
        "Bluezone có tốn pin không?",
        "Nếu tôi là F1 thì cách ly mấy ngày?",
        whole=("ask_battery_data", "ask_battery_data/battery_drain", 0.7),
        first_alone=("ask_battery_data", "ask_battery_data/battery_drain", 0.8),
        second_alone=("ask_covid_general", "ask_covid_general/isolation_rules", 0.8),
        # Read with the first, the first's words outweigh it.
        together=("ask_battery_data", "ask_battery_data/battery_saving", 0.9),
        between=" ",
    )
    result = run(text, Classifier(known))
    assert [q["intent"]["full_retrieval_intent_name"] for q in result[QUESTIONS]] == [
        "ask_battery_data/battery_drain",
        "ask_covid_general/isolation_rules",
    ]


@pytest.mark.parametrize("second, confidence", [("Với lại để nó chạy suốt vậy có tốn 4G không?", 0.32)])
def test_a_question_opened_in_words_after_a_story_is_answered_however_unsure(second, confidence):
    story, asked = "Tắt màn hình là nó ngừng đếm luôn.", "Vậy có phải lỗi không, sửa sao?"
    text = f"{story} {asked} {second}"
    first = f"{story[:-1]}, {asked}"  # the story's sentence goes with the question drawn from it
    ranking = [("ask_how_it_works/background", 0.6), ("ask_install/reinstall", 0.1)]
    classifier = Classifier(
        {
            text: parse(text, "ask_how_it_works", "ask_how_it_works/background", 0.62, ranking),
            first: parse(first, "ask_how_it_works", "ask_how_it_works/background", 0.77),
            second: parse(second, "ask_battery_data", "ask_battery_data/mobile_data", confidence),
            f"{first}, {second}": parse("", "ask_how_it_works", "ask_how_it_works/background", 0.7),
        }
    )
    result = run(text, classifier)
    assert [q["intent"]["full_retrieval_intent_name"] for q in result[QUESTIONS]] == [
        "ask_how_it_works/background",
        "ask_battery_data/mobile_data",
    ]


@pytest.mark.parametrize(
    "alone, goes_on, form",
    [
        # Not understood alone, and with the question before, that question.
        (("out_of_scope", None, 0.5), False, "NFC"),
        # Typed with combining accents, as some keyboards do.
        (("out_of_scope", None, 0.5), False, "NFD"),
        # Read alone as another answer of the topic: it asks that on.
        (("ask_covid_general", "ask_covid_general/vaccine_cost", 0.4), True, "NFC"),
    ],
)
def test_in_case_not_understood_alone_asks_the_question_before_on(alone, goes_on, form):
    first, second = "Mũi 2 cách mũi 1 bao lâu vậy", unicodedata.normalize(form, "lỡ trễ hẹn thì sao?")
    schedule = "ask_covid_general/vaccine_schedule"
    ranking = [(schedule, 0.8), ("ask_covid_general/prevention", 0.05), ("ask_covid_general/vaccine_cost", 0.04)]
    classifier = Classifier({f"{first}, {second}": parse("", "ask_covid_general", schedule, 0.85, ranking)})
    parts = [parse(first, "ask_covid_general", schedule, 0.8), parse(second, *alone)]
    read, going_on = asyncio.run(read_on_from([first, second], parts, classifier, LEXICON, TOPICS, {}, 0.6))
    assert going_on == ([1] if goes_on else [])
    if not goes_on:
        assert read[1]["intent"]["full_retrieval_intent_name"] == schedule and read[1]["text"] == second


def test_if_so_then_read_alone_as_the_question_before_asks_it_on():
    ranking = [("ask_install/uninstall", 0.35), ("ask_battery_data/battery_drain", 0.22)]
    known, text = read_two(
        "không cài app thì có bị phạt tiền không",
        "nếu có thì phạt bao nhiêu?",
        whole=("ask_install", "ask_install/uninstall", 0.8),
        first_alone=("ask_install", "ask_install/uninstall", 0.8),
        second_alone=("ask_install", "ask_install/uninstall", 0.36, ranking),
        together=("ask_install", "ask_install/uninstall", 0.8),
    )
    result = run(text, Classifier(known))
    assert QUESTIONS not in result
    assert result["intent"]["full_retrieval_intent_name"] == "ask_install/uninstall"


def test_a_short_piece_that_goes_on_with_the_one_before_leaves_another_question_asked():
    first, second, third = "Bác sĩ kêu gửi lịch sử mà gửi hoài bị lỗi", "làm sao gửi?", "gửi xong bao lâu có kết quả?"
    text = f"{first}, {second} {third}"
    joined = f"{first}, {second}"
    ranking = [("ask_how_it_works/contact_history", 0.5), ("ask_install/download_link", 0.2)]
    classifier = Classifier(
        {
            text: parse(text, "ask_how_it_works", "ask_how_it_works/contact_history", 0.7, ranking),
            first: parse(first, "ask_how_it_works", "ask_how_it_works/contact_history", 0.7),
            second: parse(second, "ask_registration", "ask_registration/overview", 0.3),
            joined: parse(joined, "ask_how_it_works", "ask_how_it_works/contact_history", 0.8),
            third: parse(third, "ask_install", "ask_install/download_link", 0.8),
        }
    )
    result = run(text, classifier)
    assert [q["intent"]["full_retrieval_intent_name"] for q in result[QUESTIONS]] == [
        "ask_how_it_works/contact_history",
        "ask_install/download_link",
    ]
    assert result[QUESTIONS][0]["text"] == joined


def test_a_long_piece_read_as_no_topic_answered_goes_on_with_the_one_before():
    first, second = "Công ty bắt cài Bluezone có đúng quy định không?", "Còn Bluezone lấy số điện thoại để làm gì"
    third = "có bị bán cho bên quảng cáo không?"
    text = f"{first} {second}, {third}"
    joined = f"{second}, {third}"
    ranking = [("ask_install/download_link", 0.5), ("ask_how_it_works/contact_history", 0.2)]
    classifier = Classifier(
        {
            text: parse(text, "ask_install", "ask_install/download_link", 0.7, ranking),
            first: parse(first, "ask_install", "ask_install/download_link", 0.8),
            second: parse(second, "ask_how_it_works", "ask_how_it_works/contact_history", 0.8),
            third: parse(third, "out_of_scope", confidence=0.4),
            joined: parse(joined, "ask_how_it_works", "ask_how_it_works/contact_history", 0.8),
        }
    )
    result = run(text, classifier)
    assert [q["intent"]["full_retrieval_intent_name"] for q in result[QUESTIONS]] == [
        "ask_install/download_link",
        "ask_how_it_works/contact_history",
    ]
    assert result[QUESTIONS][1]["text"] == joined


def _what_about_iphone_classifier(first, second):
    """The first piece asks about the screen off; the second, read alone,
    is an unsure guess, and read after the first asks about iPhones."""
    ranking = [("ask_how_it_works/iphone_background", 0.5), ("ask_how_it_works/background", 0.3)]
    text = f"{first} {second}"
    return text, Classifier(
        {
            text: parse(text, "ask_how_it_works", "ask_how_it_works/iphone_background", 0.7, ranking),
            first: parse(first, "ask_how_it_works", "ask_how_it_works/background", 0.8, ranking),
            second: parse(second, "ask_device_support", "ask_device_support/overview", 0.3),
            f"{first}, {second}": parse("", "ask_how_it_works", "ask_how_it_works/iphone_background", 0.4, ranking),
        }
    )


@pytest.mark.parametrize(
    "first, second",
    [
        ("Tắt màn hình có còn ghi không?", "Còn iPhone thì sao?"),
        ("tat man hinh co con ghi khong?", "con iphone thi, sao?"),
    ],
)
def test_what_about_iphone_after_a_question_in_the_same_message_is_a_second_question(first, second):
    text, classifier = _what_about_iphone_classifier(first, second)
    result = run(text, classifier)
    assert [q["intent"]["full_retrieval_intent_name"] for q in result[QUESTIONS]] == [
        "ask_how_it_works/background",
        "ask_how_it_works/iphone_background",
    ]


def test_another_phone_after_a_question_in_the_same_message_is_a_second_question():
    text, classifier = _what_about_iphone_classifier("Tắt màn hình có còn ghi không?", "còn cái iPhone 7 của vợ tôi?")
    second = classifier.known["còn cái iPhone 7 của vợ tôi?"]
    classifier.known["còn cái iPhone 7 của vợ tôi?"] = {
        **second,
        "entities": [{"entity": "phone_brand", "value": "iphone"}],
    }
    result = run(text, classifier)
    assert [q["intent"]["full_retrieval_intent_name"] for q in result[QUESTIONS]] == [
        "ask_how_it_works/background",
        "ask_how_it_works/iphone_background",
    ]
    # Without a phone named, "còn ..." without "thì" is read as "still".
    del classifier.known["còn cái iPhone 7 của vợ tôi?"]["entities"][0]
    assert QUESTIONS not in run(text, classifier)


def test_still_is_not_what_about():
    text, classifier = _what_about_iphone_classifier("Tắt màn hình có còn ghi không?", "còn cách nào ghi được không?")
    result = run(text, classifier)
    assert (
        QUESTIONS not in result
        and result["intent"]["full_retrieval_intent_name"] == "ask_how_it_works/iphone_background"
    )


def test_one_question_is_read_once():
    classifier = Classifier({"cài ở đâu": parse("cài ở đâu", "ask_install", "ask_install/download_link")})
    assert run("cài ở đâu", classifier)["intent"]["name"] == "ask_install"
    assert classifier.asked == ["cài ở đâu"]


STORY = "Máy tui cũ, bộ nhớ đầy rồi. Gỡ app ra thì có mất lịch sử không?"
ASKING = "Gỡ app ra thì có mất lịch sử không?"


def story_classifier(whole, asked_key, asked):
    """The story read as ask_install/free_space (`whole` its answers ranked),
    its asking sentence alone as `asked_key` (`asked` ranked)."""
    return Classifier(
        {
            STORY: parse(STORY, "ask_install", "ask_install/free_space", whole[0][1], ranking=whole),
            ASKING: parse(ASKING, asked_key.split("/")[0], asked_key, asked[0][1], ranking=asked),
        }
    )


def test_a_story_told_first_takes_the_answer_its_asking_sentence_points_to():
    whole = [("ask_install/free_space", 0.5), ("ask_install/uninstall", 0.4)]
    asked = [("ask_install/uninstall", 0.8), ("ask_install/free_space", 0.1)]
    classifier = story_classifier(whole, "ask_install/uninstall", asked)
    result = run(STORY, classifier)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_install/uninstall"
    assert result["text"] == STORY
    assert classifier.asked == [STORY, ASKING]


def test_an_asking_sentence_read_as_another_topic_leaves_the_answer_alone():
    whole = [("ask_install/free_space", 0.5), ("ask_install/uninstall", 0.4), ("ask_battery_data/battery_drain", 0.1)]
    asked = [("ask_battery_data/battery_drain", 0.9), ("ask_install/uninstall", 0.02)]
    result = run(STORY, story_classifier(whole, "ask_battery_data/battery_drain", asked))
    assert result["intent"]["name"] == "ask_install"
    assert result["intent"]["full_retrieval_intent_name"] == "ask_install/free_space"


def test_i_mean_gets_another_answer_of_the_topic():
    ranking = [("ask_install/overview", 0.6), ("ask_install/download_link", 0.3), ("ask_battery_data/x", 0.1)]
    events = answered("cài sao", "ask_install/overview")
    classifier = Classifier(
        {"ý tôi là tải ở đâu": parse("ý tôi là tải ở đâu", "ask_install", "ask_install/overview", ranking=ranking)}
    )
    result = run("ý tôi là tải ở đâu", classifier, events)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_install/download_link"
    assert result["response_selector"]["ask_install"]["response"]["utter_action"] == "utter_ask_install/download_link"
    # Read alone as the answer just given: not marked as restating.
    assert result["entities"] == []


def test_i_mean_read_alone_as_another_answer_is_marked_as_restating():
    events = answered("bluezone bị lỗi", "report_app_error/overview")
    text = "ý tôi là nó cứ báo lỗi dù đã bật bluetooth"
    classifier = Classifier({text: parse(text, "report_app_error", "report_app_error/bluetooth_on_but_error")})
    result = run(text, classifier, events)
    assert result["intent"]["full_retrieval_intent_name"] == "report_app_error/bluetooth_on_but_error"
    assert [e["entity"] for e in result["entities"]] == ["clarifies"]


def test_what_about_iphone_stays_in_the_topic_of_the_last_answer():
    last = "tắt màn hình app còn chạy không"
    follow = "thế còn iphone thì sao"
    classifier = Classifier(
        {
            follow: parse(follow, "ask_device_support", "ask_device_support/overview", 0.55),
            f"{last}, {follow}": parse("", "ask_how_it_works", "ask_how_it_works/iphone_background", 0.8),
        }
    )
    result = run(follow, classifier, answered(last, "ask_how_it_works/background"))
    assert result["intent"]["full_retrieval_intent_name"] == "ask_how_it_works/iphone_background"
    assert result["text"] == follow


def test_what_about_battery_is_a_new_topic_when_the_message_says_so():
    last = "có cần mạng không"
    follow = "thế còn pin thì sao"
    classifier = Classifier(
        {
            follow: parse(follow, "ask_battery_data", "ask_battery_data/battery_drain", 0.9),
            f"{last}, {follow}": parse("", "ask_how_it_works", "ask_how_it_works/overview", 0.5),
        }
    )
    result = run(follow, classifier, answered(last, "ask_how_it_works/needs_internet"))
    assert result["intent"]["full_retrieval_intent_name"] == "ask_battery_data/battery_drain"


def test_which_phone_is_read_with_the_last_question():
    last = "app cứ văng ra hoài"
    follow = "máy tôi là oppo"
    classifier = Classifier(
        {
            follow: parse(follow, "ask_install", "ask_install/install_on_android", 0.3),
            f"{last}, {follow}": parse("", "report_app_error", "report_app_error/crash_android", 0.7),
        }
    )
    result = run(follow, classifier, answered(last, "report_app_error/overview"))
    assert result["intent"]["full_retrieval_intent_name"] == "report_app_error/crash_android"
    assert result["text"] == follow


def test_which_phone_may_get_the_answer_that_already_fitted_it():
    last = "iphone bấm vô là văng"
    follow = "đt mik là iphone 7"
    classifier = Classifier({f"{last}, {follow}": parse("", "report_app_error", "report_app_error/crash_iphone", 0.8)})
    result = run(follow, classifier, answered(last, "report_app_error/crash_iphone"))
    assert result["intent"]["full_retrieval_intent_name"] == "report_app_error/crash_iphone"


@pytest.mark.parametrize(
    "follow, context_confidence",
    [
        # A question of its own, surer alone than with the last question.
        ("tôi dùng máy iphone 6 có cài được không", 0.5),
        # More than which phone, however sure the reading with the last question.
        ("máy tôi là samsung mà sao mở bluezone lên cứ báo lỗi hoài vậy ad", 0.9),
    ],
)
def test_a_phone_told_with_a_question_of_its_own_is_read_alone(follow, context_confidence):
    last = "cài bluezone sao"
    classifier = Classifier(
        {
            follow: parse(follow, "ask_device_support", "ask_device_support/iphone_version", 0.6),
            f"{last}, {follow}": parse("", "ask_install", "ask_install/install_on_iphone", context_confidence),
        }
    )
    result = run(follow, classifier, answered(last, "ask_install/overview"))
    assert result["intent"]["name"] == "ask_device_support"


@pytest.mark.parametrize(
    "text",
    [
        "Dạ máy tôi là iPhone 7 ạ",
        "vâng, thế còn iPhone thì sao",
        "ok còn iphone thì sao",
        # However the citizen calls themself.
        "máy chị là Oppo A37 á, cài sao em",
        "máy chú là con Samsung",
    ],
)
def test_a_polite_word_before_a_follow_up_keeps_it_a_follow_up(text):
    assert follow_up_kind(text, LEXICON)[0] in {"device", "same_topic"}
    assert follow_up_kind("dạ em cảm ơn ạ", LEXICON)[0] is None


def phone_family(key, phone, other):
    return Family(key, "", None, (), (), phone=phone, other_phone=other)


BACKGROUND = {
    "ask_how_it_works/iphone_background": phone_family(
        "ask_how_it_works/iphone_background", "ios", "ask_how_it_works/background"
    ),
    "ask_how_it_works/background": phone_family(
        "ask_how_it_works/background", "android", "ask_how_it_works/iphone_background"
    ),
}


@pytest.mark.parametrize(
    "follow, value, expected",
    [
        ("thế còn Android thì sao", "android", "ask_how_it_works/background"),
        ("dạ còn máy Samsung thì sao", "samsung", "ask_how_it_works/background"),
        # The same kind of phone again: the classifier's reading stands.
        ("thế còn iPhone 12 thì sao", "iphone", "ask_how_it_works/gps_location"),
    ],
)
def test_what_about_the_other_kind_of_phone_gets_the_same_question_for_it(follow, value, expected):
    alone = parse(follow, "ask_how_it_works", "ask_how_it_works/gps_location", 0.6)
    classifier = Classifier({follow: {**alone, "entities": [{"entity": "phone_brand", "value": value}]}})
    events = answered("Em xài iPhone, có phải để app mở suốt không?", "ask_how_it_works/iphone_background")
    result = asyncio.run(understand(follow, classifier, events, LEXICON, 0.6, families=BACKGROUND))
    assert result["intent"]["full_retrieval_intent_name"] == expected


WEBSITES = {
    "ask_what_is_bluezone/official_website": Family(
        "ask_what_is_bluezone/official_website", "", None, (), (), app="bluezone", other_app="ask_install/pc_covid_site"
    ),
    "ask_install/pc_covid_site": Family(
        "ask_install/pc_covid_site", "", None, (), (), app="pc-covid", other_app="ask_what_is_bluezone/official_website"
    ),
}


@pytest.mark.parametrize(
    "text, read_as, expected",
    [
        (
            "thế cái app mới đó web chính thức là gì",
            "ask_what_is_bluezone/official_website",
            "ask_install/pc_covid_site",
        ),
        ("web chính thức của PC-Covid là gì", "ask_what_is_bluezone/official_website", "ask_install/pc_covid_site"),
        ("web của Bluezone là gì", "ask_what_is_bluezone/official_website", "ask_what_is_bluezone/official_website"),
        # Both apps named: the classifier's reading stands.
        (
            "Bluezone với PC-Covid web là gì",
            "ask_what_is_bluezone/official_website",
            "ask_what_is_bluezone/official_website",
        ),
        # The app that replaced Bluezone is often asked about by Bluezone's name.
        ("Bluezone giờ đổi thành app gì rồi, web là gì", "ask_install/pc_covid_site", "ask_install/pc_covid_site"),
    ],
)
def test_a_question_read_as_about_one_app_is_asked_of_the_app_it_names(text, read_as, expected):
    classifier = Classifier({text: parse(text, read_as.split("/")[0], read_as, 0.8)})
    result = asyncio.run(understand(text, classifier, None, LEXICON, 0.6, families=WEBSITES))
    assert result["intent"]["full_retrieval_intent_name"] == expected


@pytest.mark.parametrize(
    "follow, expected",
    [
        ("còn bluezone thì sao", "ask_what_is_bluezone/official_website"),
        # Longer, it asks something of its own.
        ("còn bluezone thì có theo dõi vị trí không", "ask_how_it_works/gps_location"),
    ],
)
def test_what_about_the_other_app_gets_the_same_question_for_it(follow, expected):
    classifier = Classifier({follow: parse(follow, "ask_how_it_works", "ask_how_it_works/gps_location", 0.6)})
    events = answered("web của PC-Covid là gì", "ask_install/pc_covid_site")
    result = asyncio.run(understand(follow, classifier, events, LEXICON, 0.6, families=WEBSITES))
    assert result["intent"]["full_retrieval_intent_name"] == expected


INSTALL = {
    "ask_install/overview": phone_family("ask_install/overview", None, None),
    "ask_install/install_on_android": phone_family("ask_install/install_on_android", "android", None),
    "ask_install/install_on_iphone": phone_family("ask_install/install_on_iphone", "ios", None),
}
SAMSUNG = [{"entity": "phone_brand", "value": "samsung"}]


def _phone_told(follow, ranking, alone_ranking=(), last_key="ask_install/overview", entities=SAMSUNG):
    last = "ở quê bảo phải cài Bluezone mà bác không rành"
    alone = parse(follow, "report_app_error", "report_app_error/crash_android", 0.22, ranking=alone_ranking)
    in_context = parse("", "ask_install", "ask_install/overview", 0.19, ranking=ranking)
    classifier = Classifier({follow: {**alone, "entities": entities}, f"{last}, {follow}": in_context})
    return run(follow, classifier, answered(last, last_key), families=INSTALL)


@pytest.mark.parametrize(
    "in_context, alone",
    [
        ([("ask_install/overview", 0.4), ("ask_install/install_on_android", 0.3)], []),
        # A long story before drowns the phone when read with the last question.
        (
            [("ask_install/overview", 0.4), ("ask_install/install_on_android", 0.05)],
            [("report_app_error/crash_android", 0.2), ("ask_install/install_on_android", 0.16)],
        ),
    ],
)
def test_a_phone_told_after_a_general_answer_gets_the_topics_answer_for_that_phone(in_context, alone):
    follow = "máy bác là máy Samsung á cháu"
    result = _phone_told(follow, in_context, alone)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_install/install_on_android"
    assert result["text"] == follow
    assert result["entities"] == SAMSUNG


def test_a_question_mark_alone_after_the_phone_told_still_only_tells():
    result = _phone_told("máy bác là Samsung ạ?", NEAR)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_install/install_on_android"


NEAR = [("ask_install/overview", 0.4), ("ask_install/install_on_android", 0.3)]


@pytest.mark.parametrize(
    "follow, ranking, last_key, entities",
    [
        # Ranked far below the best reading with the last question.
        (
            "máy bác là máy Samsung á cháu",
            [("ask_install/overview", 0.4), ("ask_install/install_on_android", 0.1)],
            "ask_install/overview",
            SAMSUNG,
        ),
        # A question of its own about that phone.
        ("máy bác là Samsung thì có bị lỗi không", NEAR, "ask_install/overview", SAMSUNG),
        # A problem told with the phone.
        ("máy bác là Samsung mà mở không được", NEAR, "ask_install/overview", SAMSUNG),
        # Two kinds of phone named.
        (
            "máy bác là Samsung với iPhone",
            NEAR,
            "ask_install/overview",
            SAMSUNG + [{"entity": "device_os", "value": "ios"}],
        ),
        # The last answer was already for one kind of phone.
        ("máy bác là máy Samsung á cháu", NEAR, "ask_install/install_on_iphone", SAMSUNG),
    ],
)
def test_a_phone_told_gets_no_phones_answer_unless_only_told_after_a_general_answer_and_ranked_near(
    follow, ranking, last_key, entities
):
    result = _phone_told(follow, ranking, last_key=last_key, entities=entities)
    assert result["intent"]["full_retrieval_intent_name"] != "ask_install/install_on_android"


def test_a_phone_told_gets_the_answer_for_its_own_kind_of_phone():
    ranking = [
        ("ask_install/overview", 0.4),
        ("ask_install/install_on_iphone", 0.35),
        ("ask_install/install_on_android", 0.1),
    ]
    result = _phone_told("máy bác là máy Samsung á cháu", ranking)
    assert result["intent"]["full_retrieval_intent_name"] != "ask_install/install_on_iphone"


def _after_vaccine(follow, context_confidence, alone_intent="ask_what_is_bluezone", alone_ranking=(), in_context=None):
    last = "tôi bị tiểu đường có tiêm vắc xin được không"
    alone_key = "ask_what_is_bluezone/free_of_charge" if alone_intent == "ask_what_is_bluezone" else None
    classifier = Classifier(
        {
            follow: parse(follow, alone_intent, alone_key, 0.36, ranking=alone_ranking),
            f"{last}, {follow}": in_context
            or parse("", "ask_covid_general", "ask_covid_general/vaccine_cost", context_confidence),
        }
    )
    return run(follow, classifier, answered(last, "ask_covid_general/vaccine"))


def test_a_short_question_that_names_nothing_asks_about_the_last_answer():
    result = _after_vaccine("có mất tiền không", 0.9)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_covid_general/vaccine_cost"
    assert result["text"] == "có mất tiền không"


def test_a_short_question_read_with_the_last_one_never_gets_its_answer_again():
    ranking = [("ask_covid_general/vaccine", 0.7), ("ask_covid_general/vaccine_cost", 0.05)]
    in_context = parse("", "ask_covid_general", "ask_covid_general/vaccine", 0.9, ranking=ranking)
    result = _after_vaccine("có mất tiền không", 0.9, in_context=in_context)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_covid_general/vaccine_cost"


SHORT_TIE = "mà để cả đêm vậy có sao không"


@pytest.mark.parametrize(
    "follow, runner_up, expected",
    [
        (SHORT_TIE, 0.38, "ask_battery_data/battery_saving"),
        # Not almost as much: its own reading.
        (SHORT_TIE, 0.2, None),
        # Naming an app or the disease, it says itself what it is about.
        ("mà để Bluezone chạy cả đêm vậy có sao không", 0.38, None),
        ("mà bị covid thì để cả đêm vậy có sao không", 0.38, None),
        # A longer message is a question of its own.
        ("mà tui để nguyên cả đêm trên đầu giường như vậy thì có sao không hả ad", 0.38, None),
    ],
)
def test_a_short_question_naming_nothing_read_almost_as_much_in_the_last_topic_is_read_in_it(
    follow, runner_up, expected
):
    ranking = [("ask_how_it_works/background", 0.42), ("ask_battery_data/battery_saving", runner_up)]
    alone = parse(follow, "ask_how_it_works", "ask_how_it_works/background", 0.42, ranking=ranking)
    last = "cài bluezone có tốn pin không"
    result = run(follow, Classifier({follow: alone}), answered(last, "ask_battery_data/battery_drain"))
    assert result["intent"]["full_retrieval_intent_name"] == (expected or "ask_how_it_works/background")


LEFTOVERS = [("ask_what_is_bluezone/free_of_charge", 0.3), ("ask_covid_general/vaccine_cost", 0.25)]


def test_a_short_question_read_with_the_last_one_takes_the_answer_it_leans_to_alone():
    """Read with the last question, the vaccine's other answers are near
    equal; the short question's own words rank the cost."""
    ranking = [
        ("ask_covid_general/vaccine", 0.7),
        ("ask_covid_general/vaccine_after_shot", 0.031),
        ("ask_covid_general/vaccine_cost", 0.03),
    ]
    in_context = parse("", "ask_covid_general", "ask_covid_general/vaccine", 0.9, ranking=ranking)
    result = _after_vaccine("có mất tiền không", 0.9, in_context=in_context, alone_ranking=LEFTOVERS)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_covid_general/vaccine_cost"


@pytest.mark.parametrize(
    "follow, context_confidence, alone_ranking",
    [
        # It names the app: a question of its own.
        ("cài app có mất tiền không", 0.9, ()),
        # Not twice as sure with the last question as alone, though alone
        # ranks the last topic's answer close behind.
        ("có mất tiền không", 0.6, LEFTOVERS),
        # It asks nothing.
        ("vậy là mất tiền", 0.9, ()),
    ],
)
def test_a_short_question_keeps_its_own_reading_when_it_names_a_topic_or_context_is_not_surer(
    follow, context_confidence, alone_ranking
):
    result = _after_vaccine(follow, context_confidence, alone_ranking=alone_ranking)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_what_is_bluezone/free_of_charge"


@pytest.mark.parametrize(
    "reply, intent", [("cảm ơn nhé, vậy là xong rồi phải không", "thank"), ("bạn là ai?", "bot_challenge")]
)
def test_a_reply_after_an_answer_is_not_read_as_a_question_about_it(reply, intent):
    result = _after_vaccine(reply, 0.9, alone_intent=intent, alone_ranking=LEFTOVERS)
    assert result["intent"]["name"] == intent


def test_a_short_question_naming_a_phone_keeps_its_own_reading():
    last, follow = "tôi bị tiểu đường có tiêm vắc xin được không", "samsung có dùng được không"
    alone = parse(follow, "ask_device_support", "ask_device_support/android_version", 0.3)
    classifier = Classifier(
        {
            follow: {**alone, "entities": SAMSUNG},
            f"{last}, {follow}": parse("", "ask_covid_general", "ask_covid_general/vaccine", 0.9),
        }
    )
    result = run(follow, classifier, answered(last, "ask_covid_general/vaccine_cost"))
    assert result["intent"]["full_retrieval_intent_name"] == "ask_device_support/android_version"


AGENCY = {"ask_mandatory/agency_duties": Family("ask_mandatory/agency_duties", "", "ask_help/agency_support", (), ())}


def _after_agency_duties(follow, alone):
    events = answered("Cơ quan tôi nhận công văn về Bluezone, phải làm gì?", "ask_mandatory/agency_duties")
    return run(follow, Classifier({follow: alone}), events, families=AGENCY)


@pytest.mark.parametrize(
    "follow, next_confidence, expected",
    [
        ("còn nếu cần hỗ trợ thì liên hệ ai", 0.36, "ask_help/agency_support"),
        # The classifier hardly thinks of the answer that follows: its overview stands.
        ("còn nếu cần hỗ trợ thì liên hệ ai", 0.1, "ask_help/overview"),
        # Not marked as going on with the conversation: read alone.
        ("cần hỗ trợ thì liên hệ ai", 0.36, "ask_help/overview"),
    ],
)
def test_a_follow_up_read_as_an_overview_gets_the_answer_that_follows_the_last_one(follow, next_confidence, expected):
    ranking = [("ask_help/overview", 0.42), ("ask_help/agency_support", next_confidence)]
    result = _after_agency_duties(follow, parse(follow, "ask_help", "ask_help/overview", 0.8, ranking))
    assert result["intent"]["full_retrieval_intent_name"] == expected
    assert result["intent"]["name"] == "ask_help"


def test_a_follow_up_read_as_a_specific_answer_keeps_it():
    follow = "còn hỗ trợ qua email thì sao"
    ranking = [("ask_help/email", 0.5), ("ask_help/agency_support", 0.45)]
    result = _after_agency_duties(follow, parse(follow, "ask_help", "ask_help/email", 0.8, ranking))
    assert result["intent"]["full_retrieval_intent_name"] == "ask_help/email"


def test_without_a_conversation_nothing_is_read_in_context():
    follow = "thế còn iphone thì sao"
    classifier = Classifier({follow: parse(follow, "ask_device_support", "ask_device_support/overview")})
    assert run(follow, classifier)["intent"]["name"] == "ask_device_support"
    assert classifier.asked == [follow]


def test_the_last_answered_question_skips_clicks_and_chitchat():
    events = answered("cài sao", "ask_install/overview") + [
        UserUttered('/affirm{"helpful": "yes"}', {"name": "affirm"}),
        UserUttered("cảm ơn", {"name": "thank"}),
    ]
    assert last_answered(events) == Answered("cài sao", "ask_install", "ask_install/overview")


def test_a_clarification_of_another_topic_is_left_alone():
    other = parse("ý là pin", "ask_battery_data", "ask_battery_data/battery_drain")
    assert clarified(other, Answered("x", "ask_install", "ask_install/overview")) is other


@pytest.mark.parametrize("context_confidence, expected", [(0.4, "alone"), (0.7, "context")])
def test_context_wins_only_when_surer(context_confidence, expected):
    alone = parse("a", "ask_device_support", "ask_device_support/overview", 0.6)
    in_context = parse("b", "ask_how_it_works", "ask_how_it_works/iphone_background", context_confidence)
    result = within_last_topic(
        alone, in_context, Answered("t", "ask_how_it_works", "ask_how_it_works/background"), marked=True
    )
    assert (result is alone) == (expected == "alone")


@pytest.mark.parametrize(
    "follow, confidence, kept",
    [
        # A question of its own, surely of another topic: kept.
        ("còn nếu giờ tôi ho, sốt thì báo ở đâu", 0.6, True),
        # Unsure alone: the last topic's next answer.
        ("còn nếu giờ tôi ho, sốt thì báo ở đâu", 0.4, False),
        # "Còn X thì sao" asks the last question again, of X.
        ("còn bà ngoại tôi không biết chữ thì làm sao", 0.6, False),
    ],
)
def test_a_follow_up_surely_of_another_topic_keeps_its_reading_unless_it_asks_what_about(follow, confidence, kept):
    last = Answered("khai sai có bị phạt không", "ask_health_declaration", "ask_health_declaration/fines")
    alone = parse(follow, "ask_covid_general", "ask_covid_general/suspected_case_call", confidence)
    ranking = [("ask_health_declaration/fines", 0.8), ("ask_health_declaration/still_needed", 0.1)]
    in_context = parse("", "ask_health_declaration", "ask_health_declaration/fines", 0.8, ranking)
    result = within_last_topic(alone, in_context, last, marked=True)
    assert (result is alone) == kept
    if not kept:
        assert result["intent"]["full_retrieval_intent_name"] == "ask_health_declaration/still_needed"


DISTANCE = Answered("đứng cách mấy mét thì tính", "ask_how_it_works", "ask_how_it_works/distance")
# The last question and a follow-up read together: still about distance, walls next.
DISTANCE_WITH_FOLLOW_UP = parse(
    "",
    "ask_how_it_works",
    "ask_how_it_works/distance",
    0.7,
    ranking=[("ask_how_it_works/distance", 0.7), ("ask_how_it_works/through_walls", 0.2)],
)


@pytest.mark.parametrize(
    "ranking, expected",
    [
        # Unsure alone, but its best answer is a new one of the last topic.
        ([("ask_how_it_works/duration", 0.10), ("ask_install/overview", 0.05)], "ask_how_it_works/duration"),
        # Runner-up, close enough to the best.
        ([("ask_install/overview", 0.30), ("ask_how_it_works/duration", 0.20)], "ask_how_it_works/duration"),
        # Far behind the best: the next best of the topic read with the last question.
        ([("ask_install/overview", 0.30), ("ask_how_it_works/duration", 0.10)], "ask_how_it_works/through_walls"),
        # Only the answer just given: never the same answer again.
        ([("ask_how_it_works/distance", 0.30), ("ask_install/overview", 0.05)], "ask_how_it_works/through_walls"),
    ],
)
def test_a_marked_follow_up_never_gets_the_last_answer_again(ranking, expected):
    follow = "còn thời gian thì sao"
    alone = parse(follow, "nlu_fallback", confidence=0.3, ranking=ranking)
    again = DISTANCE_WITH_FOLLOW_UP
    classifier = Classifier({follow: alone, f"{DISTANCE.text}, {follow}": again})
    result = run(follow, classifier, answered(DISTANCE.text, DISTANCE.key))
    assert result["intent"]["name"] == "ask_how_it_works"
    assert result["intent"]["full_retrieval_intent_name"] == expected
    assert result["response_selector"]["ask_how_it_works"]["response"]["intent_response_key"] == expected
    assert result["text"] == follow


NEEDS_INTERNET = Answered("bluezone có cần 4g không", "ask_how_it_works", "ask_how_it_works/needs_internet")
LONG_FOLLOW_UP = "thế còn lúc mới cài đặt ban đầu thì sao, lúc đó có cần phải có wifi không"


def _after_needs_internet(follow, runner_up):
    ranking = [("ask_how_it_works/needs_internet", 0.23), ("ask_install/download_network", runner_up)]
    alone = parse(follow, "ask_how_it_works", "ask_how_it_works/needs_internet", 0.5, ranking)
    classifier = Classifier({follow: alone, f"{NEEDS_INTERNET.text}, {follow}": alone})
    return run(follow, classifier, answered(NEEDS_INTERNET.text, NEEDS_INTERNET.key))


# Short or longer than a short follow-up (then read alone): not the same answer.
@pytest.mark.parametrize("follow", ["thế còn lúc cài thì sao", LONG_FOLLOW_UP])
def test_a_marked_follow_up_read_alone_as_the_last_answer_takes_its_next_answer(follow):
    result = _after_needs_internet(follow, runner_up=0.17)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_install/download_network"
    assert result["intent"]["name"] == "ask_install"


def test_a_longer_follow_up_keeps_its_reading_when_nothing_else_comes_near():
    result = _after_needs_internet(LONG_FOLLOW_UP, runner_up=0.05)
    assert result["intent"]["full_retrieval_intent_name"] == "ask_how_it_works/needs_internet"


def test_a_marked_follow_up_surer_alone_in_another_topic_stays_there():
    follow = "còn cài đặt thì sao"
    alone = parse(
        follow,
        "ask_install",
        "ask_install/overview",
        0.8,
        ranking=[("ask_install/overview", 0.8), ("ask_how_it_works/duration", 0.1)],
    )
    again = parse("", "ask_how_it_works", "ask_how_it_works/distance", 0.6)
    classifier = Classifier({follow: alone, f"{DISTANCE.text}, {follow}": again})
    assert run(follow, classifier, answered(DISTANCE.text, DISTANCE.key)) is alone


@pytest.mark.parametrize(
    "reply, intent, confidence, ranking",
    [
        # A bare acknowledgement is not marked as a follow-up: it does not lean.
        ("à ra là vậy", "nlu_fallback", 0.3, [("ask_how_it_works/duration", 0.10), ("ask_install/overview", 0.05)]),
        # Marked, but read as going on: it keeps that reading.
        ("vậy thì sao nữa", "affirm", 0.5, [("affirm", 0.5), ("ask_how_it_works/duration", 0.3)]),
    ],
)
def test_a_reply_is_not_moved_into_the_last_topic(reply, intent, confidence, ranking):
    alone = parse(reply, intent, confidence=confidence, ranking=ranking)
    again = DISTANCE_WITH_FOLLOW_UP
    classifier = Classifier({reply: alone, f"{DISTANCE.text}, {reply}": again})
    assert run(reply, classifier, answered(DISTANCE.text, DISTANCE.key)) is alone


def test_a_topic_buttons_payload_gets_its_overview():
    """Rasa's payload handler reads "/ask_install" alone: no answer chosen."""

    class Payloads:
        async def __call__(self, text):
            return {"text": text, "intent": {"name": "ask_install", "confidence": 1.0}, "entities": []}

    result = asyncio.run(understand("/ask_install", Payloads(), None, LEXICON, 0.6, ["ask_install"]))
    assert result["response_selector"]["ask_install"]["response"]["utter_action"] == "utter_ask_install/overview"
    assert result["intent"]["full_retrieval_intent_name"] == "ask_install/overview"
    greet = asyncio.run(understand("/greet", Payloads(), None, LEXICON, 0.6, ["ask_privacy"]))
    assert "response_selector" not in greet


@pytest.mark.parametrize("alone_intent", ["out_of_scope", "nlu_fallback"])
def test_a_short_question_read_alone_as_off_topic_may_be_about_the_last_answer(alone_intent):
    question = "có mất tiền không"
    alone = parse(question, alone_intent, confidence=0.37)
    in_context = parse("", "ask_how_it_works", "ask_how_it_works/duration", 0.8)
    classifier = Classifier({question: alone, f"{DISTANCE.text}, {question}": in_context})
    result = run(question, classifier, answered(DISTANCE.text, DISTANCE.key))
    assert result["intent"]["full_retrieval_intent_name"] == "ask_how_it_works/duration"
    assert result["text"] == question


def test_an_off_topic_question_stays_off_topic_when_the_last_answer_only_repeats():
    question = "thời tiết mai sao"
    alone = parse(question, "out_of_scope", confidence=0.6)
    classifier = Classifier({question: alone, f"{DISTANCE.text}, {question}": DISTANCE_WITH_FOLLOW_UP})
    assert run(question, classifier, answered(DISTANCE.text, DISTANCE.key)) is alone


def test_an_off_topic_question_takes_the_answer_of_the_last_topic_it_ranks_when_read_with_it_only_repeats():
    question = "mất tiền không"
    ranking = [("ask_install/overview", 0.31), ("ask_how_it_works/duration", 0.12)]
    alone = parse(question, "out_of_scope", confidence=0.31, ranking=ranking)
    classifier = Classifier({question: alone, f"{DISTANCE.text}, {question}": DISTANCE_WITH_FOLLOW_UP})
    result = run(question, classifier, answered(DISTANCE.text, DISTANCE.key))
    assert result["intent"]["full_retrieval_intent_name"] == "ask_how_it_works/duration"
    told = "à ra là vậy"
    alone = parse(told, "out_of_scope", confidence=0.31, ranking=ranking)
    classifier = Classifier({told: alone, f"{DISTANCE.text}, {told}": DISTANCE_WITH_FOLLOW_UP})
    assert run(told, classifier, answered(DISTANCE.text, DISTANCE.key)) is alone
    # About something else entirely, it ranks every answer near nothing.
    gold = "giá vàng hôm nay bao nhiêu"
    faint = [("ask_install/overview", 0.05), ("ask_how_it_works/duration", 0.03)]
    alone = parse(gold, "out_of_scope", confidence=0.49, ranking=faint)
    classifier = Classifier({gold: alone, f"{DISTANCE.text}, {gold}": DISTANCE_WITH_FOLLOW_UP})
    assert run(gold, classifier, answered(DISTANCE.text, DISTANCE.key)) is alone


OTP = Answered("tôi không nhận được mã otp", "ask_registration", "ask_registration/otp_not_received")


@pytest.mark.parametrize(
    "question, alone_confidence, expected",
    [
        # "that code": read with the last question, far surer there.
        ("mã đó xài được bao lâu", 0.15, "ask_registration/otp_expired"),
        # Sure enough alone: a question of its own about what it points at
        # ("ai được xem cái đó" after what the contact history is).
        ("mã đó xài được bao lâu", 0.5, "ask_how_it_works/rotating_id"),
        # Nothing points back at the last answer: a question of its own.
        ("mã định danh đổi sau bao lâu", 0.15, "ask_how_it_works/rotating_id"),
    ],
)
def test_a_short_question_that_points_back_at_the_last_answer_is_read_with_it(question, alone_confidence, expected):
    alone = parse(question, "ask_how_it_works", "ask_how_it_works/rotating_id", alone_confidence)
    in_context = parse("", "ask_registration", "ask_registration/otp_expired", 0.8)
    classifier = Classifier({question: alone, f"{OTP.text}, {question}": in_context})
    result = run(question, classifier, answered(OTP.text, OTP.key))
    assert result["intent"]["full_retrieval_intent_name"] == expected
    assert result["text"] == question


def test_a_question_pointing_back_never_gets_the_last_answer_again():
    question = "mã đó xài được bao lâu"
    alone = parse(question, "ask_how_it_works", "ask_how_it_works/rotating_id", 0.15)
    again = parse("", "ask_registration", OTP.key, 0.8, ranking=[(OTP.key, 0.7), ("ask_registration/otp_expired", 0.2)])
    classifier = Classifier({question: alone, f"{OTP.text}, {question}": again})
    result = run(question, classifier, answered(OTP.text, OTP.key))
    assert result["intent"]["full_retrieval_intent_name"] == "ask_registration/otp_expired"


@pytest.mark.parametrize(
    "text, kind", [("mã đó xài được bao lâu", "refers"), ("nó có tốn pin không", "refers"), ("do dau ma loi", None)]
)
def test_pointing_back_is_read_as_typed_with_diacritics(text, kind):
    assert follow_up_kind(text, LEXICON)[0] == kind


@pytest.mark.parametrize("text", ["chào nhé", "Thôi chào ad", "chao nha"])
def test_chao_after_an_answer_takes_leave(text):
    classifier = Classifier({text: parse(text, "greet", confidence=0.4)})
    result = run(text, classifier, answered("cài ở đâu", "ask_install/download_link"))
    assert result["intent"] == {"name": "goodbye", "confidence": 0.4}


@pytest.mark.parametrize(
    "text, events", [("chào", None), ("xin chào", answered("cài ở đâu", "ask_install/download_link"))]
)
def test_chao_greets_before_any_answer_and_xin_chao_always(text, events):
    classifier = Classifier({text: parse(text, "greet", confidence=0.9)})
    assert run(text, classifier, events)["intent"]["name"] == "greet"


def test_a_greeting_without_chao_after_an_answer_still_greets():
    classifier = Classifier({"alo": parse("alo", "greet", confidence=0.9)})
    assert run("alo", classifier, answered("cài ở đâu", "ask_install/download_link"))["intent"]["name"] == "greet"


@pytest.mark.parametrize("text", ["Dạ vậy tôi hiểu rồi, chào bạn nha.", "ok hiểu rồi, bye ad", "ok pp"])
def test_a_yes_then_chao_or_bye_after_an_answer_takes_leave(text):
    classifier = Classifier({text: parse(text, "affirm", confidence=0.5)})
    result = run(text, classifier, answered("cài ở đâu", "ask_install/download_link"))
    assert result["intent"]["name"] == "goodbye"


@pytest.mark.parametrize(
    "text, kind", [("giờ tui gọi ai", "same_topic"), ("giờ tôi phải làm gì", "same_topic"), ("giờ làm việc", None)]
)
def test_gio_before_the_asker_goes_on_with_the_topic(text, kind):
    """ "giờ tui..." (so now I...) goes on; "giờ" alone is also the hours."""
    assert follow_up_kind(text, LEXICON)[0] == kind


@pytest.mark.parametrize("text", ["nếu không khai thì có bị phạt không", "mà nếu quên thì sao", "neu tat may thi sao"])
def test_a_condition_opening_a_message_goes_on_with_the_topic(text):
    """ "nếu không khai thì..." asks on about the situation just answered."""
    assert follow_up_kind(text, LEXICON)[0] == "same_topic"


@pytest.mark.parametrize("text", ["nêu rõ các bước cài đặt bluezone", "thế con tôi có cần cài không"])
def test_an_opening_typed_with_other_diacritics_is_another_word(text):
    """ "nêu" (state) is not "nếu" (if); "con" (child) typed with
    diacritics around it is not "còn"."""
    assert follow_up_kind(text, LEXICON)[0] is None


def test_a_yes_told_in_a_sentence_under_the_troubleshooting_question_is_its_button():
    text = "rồi, cập nhật xong mở lên được rồi"
    events = [
        UserUttered("bluezone bị lỗi", {"name": "report_app_error"}),
        ActionExecuted("utter_report_app_error"),
        BotUttered("...", {"buttons": [{"title": "Đã chạy được", "payload": "/affirm"}]}),
    ]
    classifier = Classifier({})
    result = run(text, classifier, events)
    assert classifier.asked == ["/affirm"] and result["intent"]["name"] == "affirm" and result["text"] == text


def test_asking_for_more_under_the_troubleshooting_question_goes_on_rather_than_saying_it_works():
    events = [
        UserUttered("bluezone bị lỗi", {"name": "report_app_error"}),
        ActionExecuted("utter_report_app_error"),
        BotUttered("...", {"buttons": [{"title": "Đã chạy được", "payload": "/affirm"}]}),
    ]
    more = "nói rõ hơn đi ad"
    classifier = Classifier({more: parse(more, "affirm")})
    assert [e["entity"] for e in run(more, classifier, events)["entities"]] == ["go_on"]
    assert run(more, classifier, answered("cài ở đâu", "ask_install/download_link"))["entities"] == []


VACCINE_QUESTION = parse("tiêm vắc xin đăng ký ở đâu?", "ask_covid_general", "ask_covid_general/vaccine")
VACCINE_AND_COST = parse(
    "...",
    "ask_covid_general",
    "ask_covid_general/vaccine",
    0.9,
    ranking=[("ask_covid_general/vaccine", 0.64), ("ask_covid_general/vaccine_cost", 0.21)],
)


def cost_alone(text):
    ranking = [("ask_what_is_bluezone/free_of_charge", 0.49), ("ask_covid_general/vaccine_cost", 0.03)]
    return parse(text, "ask_what_is_bluezone", "ask_what_is_bluezone/free_of_charge", 0.5, ranking=ranking)


def test_a_short_question_naming_nothing_asks_another_answer_of_the_topic_before():
    pair = ("tiêm vắc xin đăng ký ở đâu?", "Có mất phí không?")
    other = another_of_the_topic(pair, cost_alone(pair[1]), VACCINE_QUESTION, VACCINE_AND_COST, LEXICON)
    assert other["intent"]["full_retrieval_intent_name"] == "ask_covid_general/vaccine_cost"
    assert other["text"] == "Có mất phí không?"


@pytest.mark.parametrize(
    "pair",
    [
        # Naming the app, it asks about the app.
        ("tiêm vắc xin đăng ký ở đâu?", "cài app có mất phí không?"),
        # An alternative answer to the question before.
        ("tiêm vắc xin có mất phí không", "hay là mất phí?"),
        # After a problem told, what to do about it.
        ("tiêm vắc xin xong bị sốt", "có mất phí không?"),
    ],
)
def test_a_short_question_that_names_the_app_offers_an_alternative_or_follows_a_story_is_not_another(pair):
    assert another_of_the_topic(pair, cost_alone(pair[1]), VACCINE_QUESTION, VACCINE_AND_COST, LEXICON) is None


def test_a_short_question_read_alone_in_the_topic_before_keeps_its_own_answer():
    pair = ("tiêm vắc xin đăng ký ở đâu?", "Có mất phí không?")
    alone = parse(
        pair[1],
        "ask_covid_general",
        "ask_covid_general/testing",
        0.5,
        ranking=[("ask_covid_general/testing", 0.4), ("ask_covid_general/vaccine_cost", 0.1)],
    )
    assert another_of_the_topic(pair, alone, VACCINE_QUESTION, VACCINE_AND_COST, LEXICON) is None


def test_a_short_question_going_on_with_the_one_before_is_not_another():
    alone = parse(
        "đăng ký ở đâu?",
        "ask_registration",
        "ask_registration/overview",
        0.5,
        ranking=[("ask_covid_general/vaccine", 0.21), ("ask_registration/overview", 0.2)],
    )
    together = parse(
        "...",
        "ask_covid_general",
        "ask_covid_general/vaccine",
        0.9,
        ranking=[("ask_covid_general/vaccine", 0.78), ("ask_covid_general/vaccine_cost", 0.01)],
    )
    assert (
        another_of_the_topic(
            ("tôi 65 tuổi có tiêm được không", "đăng ký ở đâu?"), alone, VACCINE_QUESTION, together, LEXICON
        )
        is None
    )


@pytest.mark.parametrize(
    "alone_key, expected",
    [
        # Read alone, however unsure, it asks of the answer just given.
        ("ask_covid_general/post_covid", "ask_covid_general/post_covid"),
        # Read alone as another answer: the next best of the last topic.
        ("ask_covid_general/testing", "ask_covid_general/pregnancy_breastfeeding"),
    ],
)
def test_a_short_question_read_alone_and_in_context_as_the_last_answer_asks_of_it(alone_key, expected):
    last, follow = "khỏi bệnh rồi mà vẫn mệt, khó thở", "thế khám chỗ nào"
    context_ranking = [("ask_covid_general/post_covid", 0.6), ("ask_covid_general/pregnancy_breastfeeding", 0.1)]
    classifier = Classifier(
        {
            follow: parse(follow, "ask_covid_general", alone_key, 0.2, ranking=[("ask_install/download_link", 0.09)]),
            f"{last}, {follow}": parse(
                "", "ask_covid_general", "ask_covid_general/post_covid", 0.8, ranking=context_ranking
            ),
        }
    )
    result = run(follow, classifier, answered(last, "ask_covid_general/post_covid"))
    assert result["intent"]["full_retrieval_intent_name"] == expected
    assert result["text"] == follow


# As bot/nlu/device_entities.py finds them: the brand and the model share the span.
J7 = [
    {"entity": "phone_brand", "value": "samsung", "start": 4, "end": 14},
    {"entity": "phone_model", "value": "j7", "start": 4, "end": 14},
]


@pytest.mark.parametrize(
    "follow, expected",
    [
        # Only the phone's name: which phone, as "máy bác là ..." tells it.
        ("máy samsung j7 prime", "ask_install/install_on_android"),
        # More than the phone's name: read as before.
        ("máy samsung j7 bị chậm", "report_app_error/crash_android"),
    ],
)
def test_a_message_that_only_names_a_phone_tells_which_phone(follow, expected):
    ranking = [("ask_install/overview", 0.4), ("ask_install/install_on_android", 0.3)]
    result = _phone_told(follow, ranking, entities=J7)
    assert result["intent"]["full_retrieval_intent_name"] == expected
