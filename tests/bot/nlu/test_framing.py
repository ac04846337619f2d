import yaml
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.framing import DEFAULT_FRAMES_PATH, FramedCopies
from bot.paths import project_path

# Not "covid": the epidemic is the background of every topic, and citizens
# name it in questions about the app too (frames.yml).
TOPIC_WORDS = ("bluezone", "ứng dụng", "điện thoại", "mạng", "pin", "bluetooth", "cài", "app", "tiêm", "khai báo")


def framer(share=1.0):
    return FramedCopies({**FramedCopies.get_default_config(), "share": share})


def examples(count=40):
    rows = [
        Message(
            data={
                TEXT: f"câu hỏi số {i} về cài đặt",
                INTENT: "ask_install",
                "intent_response_key": "ask_install/overview",
            }
        )
        for i in range(count)
    ]
    rows.append(Message(data={TEXT: "chào ad", INTENT: "greet"}))
    return TrainingData(training_examples=rows)


def test_questions_get_a_framed_copy_with_their_labels_and_chitchat_none():
    augmented = framer().process_training_data(examples())
    framed = [m for m in augmented.intent_examples if len(m.get(TEXT)) > 40]
    assert len(framed) == 40
    assert {(m.get(INTENT), m.get("intent_response_key")) for m in framed} == {("ask_install", "ask_install/overview")}
    assert all(any(f"câu hỏi số {i} " in m.get(TEXT) for i in range(40)) for m in framed)
    assert not any("chào ad" in m.get(TEXT) and m.get(TEXT) != "chào ad" for m in augmented.intent_examples)


def test_the_share_is_kept_and_the_choice_is_the_same_every_time():
    first = [m.get(TEXT) for m in framer(0.25).process_training_data(examples(400)).intent_examples]
    second = [m.get(TEXT) for m in framer(0.25).process_training_data(examples(400)).intent_examples]
    assert first == second
    assert 60 <= len(first) - 401 <= 140


def test_frames_name_no_topic():
    """A frame that mentioned a topic would teach the classifier a false clue."""
    frames = yaml.safe_load(project_path(DEFAULT_FRAMES_PATH).read_text(encoding="utf-8"))
    lines = [line.lower() for values in frames.values() for line in values]
    assert [line for line in lines if any(word in line for word in TOPIC_WORDS)] == []
