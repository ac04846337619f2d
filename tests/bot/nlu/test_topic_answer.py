import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.topic_answer import TopicAnswer


def classified(text, ranking, **config):
    """A message as the classifier leaves it: answers and plain intents ranked."""
    labels = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={TEXT: text, INTENT: labels[0], INTENT_RANKING_KEY: labels})
    TopicAnswer({**TopicAnswer.get_default_config(), **config}).process([message])
    return message


# Answers of two topics and a plain intent: ask_install adds up to 0.5.
TWO_TOPICS = [
    ("ask_privacy/phone_number", 0.4),
    ("ask_install/uninstall", 0.3),
    ("ask_install/overview", 0.2),
    ("greet", 0.1),
]


def chosen(message, topic):
    return message.get("response_selector")[topic]["response"]["intent_response_key"]


def test_answers_add_up_into_their_topic():
    m = classified("x", TWO_TOPICS)
    assert m.get(INTENT) == {"name": "ask_install", "confidence": pytest.approx(0.5)}
    assert [r["name"] for r in m.get(INTENT_RANKING_KEY)] == ["ask_install", "ask_privacy", "greet"]


def test_the_answer_is_the_best_of_the_chosen_topic_never_another_topics():
    m = classified("x", TWO_TOPICS)
    assert chosen(m, "ask_install") == "ask_install/uninstall"
    selector = m.get("response_selector")
    assert selector["ask_install"]["response"]["utter_action"] == "utter_ask_install/uninstall"
    assert selector["all_retrieval_intents"] == ["ask_install", "ask_privacy"]
    assert "ask_privacy" not in selector


def test_a_plain_intent_gets_no_answer():
    m = classified("chào", [("greet", 0.9), ("ask_install/overview", 0.1)])
    assert m.get(INTENT)["name"] == "greet" and "greet" not in m.get("response_selector")


def test_only_the_best_are_kept_but_every_answer_of_the_chosen_topic():
    ranking = (
        [("ask_install/overview", 0.2), ("ask_install/uninstall", 0.15)]
        + [(f"ask_privacy/answer{i}", 0.05) for i in range(12)]
        + [("ask_install/update", 0.03), ("ask_battery_data/drain", 0.01), ("greet", 0.01)]
    )
    m = classified("x", ranking, ranking_length=3)
    assert m.get(INTENT)["name"] == "ask_privacy"
    selector = m.get("response_selector")
    kept = [r["intent_response_key"] for r in selector["default"]["ranking"]]
    assert kept == ["ask_install/overview", "ask_install/uninstall"] + [f"ask_privacy/answer{i}" for i in range(12)]
    assert selector["all_retrieval_intents"] == ["ask_battery_data", "ask_install", "ask_privacy"]
    assert len(m.get(INTENT_RANKING_KEY)) == 3


def test_a_ranking_length_of_zero_keeps_every_label():
    ranking = [(f"ask_privacy/answer{i}", 0.05) for i in range(20)]
    m = classified("x", ranking, ranking_length=0)
    assert len(m.get("response_selector")["default"]["ranking"]) == 20
