from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, RESPONSE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.answer_labels import AnswerLabels


def test_retrieval_examples_are_labelled_with_their_answer_and_plain_ones_kept():
    data = TrainingData(
        training_examples=[
            Message(
                data={
                    TEXT: "gỡ app sao",
                    INTENT: "ask_install",
                    INTENT_RESPONSE_KEY: "ask_install/uninstall",
                    RESPONSE: "Vào Cài đặt...",
                }
            ),
            Message(data={TEXT: "chào", INTENT: "greet"}),
        ]
    )
    examples = AnswerLabels().process_training_data(data).intent_examples
    assert [m.get(INTENT) for m in examples] == ["ask_install/uninstall", "greet"]
    assert examples[0].get(RESPONSE) is None
