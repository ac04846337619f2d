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
