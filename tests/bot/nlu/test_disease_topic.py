import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.disease_topic import DiseaseTopic
from bot.nlu.tokenizer import VietnameseTokenizer
from bot.nlu.topic_answer import TopicAnswer
from tests.bot.nlu.building import for_training


@pytest.fixture(scope="module")
def tokenizer():
    return for_training(VietnameseTokenizer)


@pytest.fixture(scope="module")
def component():
    return for_training(DiseaseTopic)


def read(tokenizer, component, text, ranking):
    """A message as TopicAnswer leaves it, then read by DiseaseTopic."""
    labels = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={TEXT: text, INTENT: labels[0], INTENT_RANKING_KEY: labels})
    tokenizer.process([message])
    TopicAnswer(TopicAnswer.get_default_config()).process([message])
    component.process([message])
    return message


def answer(message):
    topic = message.get(INTENT)["name"]
    return message.get("response_selector")[topic]["response"]["intent_response_key"]


# The app answer leads the disease topic's answers added up by a little.
CLOSE = [
    ("ask_how_it_works/detects_infected", 0.42),
    ("ask_covid_general/overview", 0.25),
    ("ask_covid_general/symptoms", 0.15),
    ("greet", 0.02),
]


def test_a_disease_question_without_the_app_goes_to_the_disease_topic(tokenizer, component):
    m = read(tokenizer, component, "Người khỏi bệnh covid có bị nhiễm lại không?", CLOSE)
    assert m.get(INTENT) == {"name": "ask_covid_general", "confidence": pytest.approx(0.42)}
    assert [r["name"] for r in m.get(INTENT_RANKING_KEY)][:2] == ["ask_covid_general", "ask_how_it_works"]
    assert answer(m) == "ask_covid_general/overview"


@pytest.mark.parametrize(
    "text, expected",
    [
        # also typed without diacritics
        ("nguoi khoi benh co bi nhiem lai khong", "ask_covid_general"),
        # naming the app or the phone keeps the app topic
        ("Người khỏi bệnh covid thì Bluezone có báo nhiễm lại không?", "ask_how_it_works"),
        ("nhiễm covid thì máy có báo không", "ask_how_it_works"),
        # a word that only holds an app word is not the app
        ("Đi máy bay có dễ bị nhiễm covid không?", "ask_covid_general"),
        # without a word of the disease the classifier decides
        ("người đó có bị lộ thông tin không", "ask_how_it_works"),
    ],
)
def test_the_words_of_the_message_decide(tokenizer, component, text, expected):
    assert read(tokenizer, component, text, CLOSE).get(INTENT)["name"] == expected


@pytest.mark.parametrize("behind", [0.1, 0.3])
def test_a_disease_topic_read_well_below_the_app_topic_stays_behind(tokenizer, component, behind):
    below = [("ask_exposure_warning/tested_positive", 0.5), ("ask_covid_general/testing", behind)]
    m = read(tokenizer, component, "tôi vừa xét nghiệm dương tính", below)
    assert m.get(INTENT)["name"] == "ask_exposure_warning"


def test_plain_intents_are_left_alone(tokenizer, component):
    m = read(tokenizer, component, "chào, covid", [("greet", 0.5), ("ask_covid_general/overview", 0.4)])
    assert m.get(INTENT)["name"] == "greet"
