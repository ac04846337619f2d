import pytest
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.message_guard import MessageGuard, unreadable


@pytest.mark.parametrize("text", ["", "   ", "😀👍🙏", "???!!!", "123 456", "\x00\x07"])
def test_no_letters_is_unreadable(text):
    assert unreadable(text, 1000)


@pytest.mark.parametrize("text", ["ko", "cài bluezone ở đâu", "iphone 6", "OTP?"])
def test_questions_are_readable(text):
    assert not unreadable(text, 1000)


def test_too_long_is_unreadable():
    assert unreadable("a" * 1001, 1000) and not unreadable("a" * 1000, 1000)


def test_an_unreadable_message_goes_to_fallback_keeping_the_ranking():
    message = Message(data={"text": "👍👍"})
    message.set("intent", {"name": "ask_privacy", "confidence": 0.97})
    message.set("intent_ranking", [{"name": "ask_privacy", "confidence": 0.97}])
    [out] = MessageGuard(MessageGuard.get_default_config()).process([message])
    assert out.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [r["name"] for r in out.get("intent_ranking")] == ["nlu_fallback", "ask_privacy"]


def test_a_question_is_left_alone():
    message = Message(data={"text": "cài bluezone ở đâu"})
    message.set("intent", {"name": "ask_install", "confidence": 0.9})
    [out] = MessageGuard(MessageGuard.get_default_config()).process([message])
    assert out.get("intent")["name"] == "ask_install"


def test_a_payload_the_bot_never_sends_is_unreadable_and_its_own_are_not():
    known = {"ask_install", "affirm", "greet"}
    assert unreadable("/delete_all_data", 1000, known)
    assert not unreadable('/ask_install{"admin": true}', 1000, known)
    assert not unreadable('/affirm{"helpful": "yes"}', 1000, known)


def out_of_scope_message(confidence):
    message = Message(data={"text": "xzqw plmk vbnr"})
    message.set("intent", {"name": "out_of_scope", "confidence": confidence})
    message.set("intent_ranking", [{"name": "out_of_scope", "confidence": confidence}])
    return message


def test_a_weak_out_of_scope_goes_to_fallback_at_its_threshold():
    [out] = MessageGuard({**MessageGuard.get_default_config(), "out_of_scope_threshold": 0.2}).process(
        [out_of_scope_message(0.15)]
    )
    assert out.get("intent") == {"name": "nlu_fallback", "confidence": 0.2}
    assert [r["name"] for r in out.get("intent_ranking")] == ["nlu_fallback", "out_of_scope"]


def test_a_confident_out_of_scope_is_left_alone():
    [out] = MessageGuard(MessageGuard.get_default_config()).process([out_of_scope_message(0.6)])
    assert out.get("intent")["name"] == "out_of_scope"


def featurized(text, *counts):
    """A message whose featurizers found these counts of known words."""
    message = Message(data={"text": text})
    for origin, count in enumerate(counts):
        row = scipy.sparse.coo_matrix(([1.0] * count, ([0] * count, list(range(count)))), shape=(1, 5))
        message.add_features(Features(row, "sentence", "text", f"featurizer{origin}"))
    message.set("intent", {"name": "ask_mandatory", "confidence": 0.4})
    message.set("intent_ranking", [{"name": "ask_mandatory", "confidence": 0.4}])
    return message


def test_a_message_a_featurizer_knows_nothing_of_goes_to_fallback():
    [out] = MessageGuard(MessageGuard.get_default_config()).process([featurized("qwrt zxcv bnml", 0, 3)])
    assert out.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [r["name"] for r in out.get("intent_ranking")] == ["nlu_fallback", "ask_mandatory"]


def test_a_message_every_featurizer_knows_something_of_is_left_alone():
    [out] = MessageGuard(MessageGuard.get_default_config()).process([featurized("có bắt buộc cài không", 2, 3)])
    assert out.get("intent")["name"] == "ask_mandatory"
