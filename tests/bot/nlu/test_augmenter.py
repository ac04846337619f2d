from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.augmenter import UnaccentedCopies


def test_accented_examples_get_one_unaccented_copy():
    data = TrainingData(
        training_examples=[
            Message(data={TEXT: "cài đặt bluezone", INTENT: "ask_install"}),
            Message(data={TEXT: "cai dat bluezone", INTENT: "ask_install"}),
            Message(data={TEXT: "Đăng ký thế nào", INTENT: "ask_registration"}),
            Message(data={TEXT: "hello", INTENT: "greet"}),
        ]
    )
    augmented = UnaccentedCopies().process_training_data(data)
    texts = sorted((m.get(TEXT), m.get(INTENT)) for m in augmented.intent_examples)
    assert texts == [
        ("Dang ky the nao", "ask_registration"),
        ("cai dat bluezone", "ask_install"),
        ("cài đặt bluezone", "ask_install"),
        ("hello", "greet"),
        ("Đăng ký thế nào", "ask_registration"),
    ]


def test_prediction_is_untouched():
    message = Message(data={TEXT: "cài đặt"})
    assert UnaccentedCopies().process([message])[0].get(TEXT) == "cài đặt"


def test_a_copy_keeps_the_answer_key_the_response_selector_learns():
    data = TrainingData(
        training_examples=[
            Message(data={TEXT: "gỡ ứng dụng", INTENT: "ask_install", "intent_response_key": "ask_install/uninstall"})
        ]
    )
    copies = [m for m in UnaccentedCopies().process_training_data(data).intent_examples if m.get(TEXT) == "go ung dung"]
    assert [m.get("intent_response_key") for m in copies] == ["ask_install/uninstall"]
