"""A question asked as it was taught is answered as taught."""

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.framing import FRAMED_COPY
from bot.nlu.taught_answers import TaughtAnswers, lookup_key
from tests.bot.nlu.building import for_training


def example(text, label):
    return Message(data={TEXT: text, INTENT: label})


def trained(tmp_path):
    component = for_training(TaughtAnswers, storage_dir=tmp_path)
    resource = component.train(
        TrainingData(
            [
                example("giá lúa zq hôm nay", "ask_install/download_link"),
                example("cài đi", "ask_install/overview"),
                example("Cài đi!", "deny"),  # taught two ways: left to the classifier
                # A letter FramedCopies made up: nobody types it, so it is not looked up.
                Message(data={TEXT: "Kính gửi Sở, bluezone là gì", INTENT: "ask_what_is_bluezone", FRAMED_COPY: True}),
            ]
        )
    )
    return TaughtAnswers.load({}, component._model_storage, resource, None)


def classified(text, ranking):
    return Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})


def test_the_taught_label_wins_whatever_the_classifier_said(tmp_path):
    ranking = [{"name": "out_of_scope", "confidence": 0.5}, {"name": "ask_install/download_link", "confidence": 0.1}]
    [message] = trained(tmp_path).process([classified("Giá lúa  ZQ hôm nay?", ranking)])
    assert message.get(INTENT) == {"name": "ask_install/download_link", "confidence": 1.0}
    assert [(r["name"], r["confidence"]) for r in message.get(INTENT_RANKING_KEY)] == [
        ("ask_install/download_link", 1.0),
        ("out_of_scope", 0.0),
    ]


def test_other_questions_and_contradictory_examples_are_left_alone(tmp_path):
    component = trained(tmp_path)
    for text in ["giá lúa hôm nay", "cài đi", "Kính gửi Sở, bluezone là gì"]:
        ranking = [{"name": "out_of_scope", "confidence": 0.5}]
        [message] = component.process([classified(text, ranking)])
        assert message.get(INTENT_RANKING_KEY) == ranking


def test_the_lookup_ignores_case_punctuation_and_spaces_but_not_accents():
    assert lookup_key(" Cài  Bluezone ở đâu?! ") == "cài bluezone ở đâu"
    assert lookup_key("mã") != lookup_key("má")
