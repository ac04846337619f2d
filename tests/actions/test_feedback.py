import pytest
from rasa_sdk.events import SlotSet

from actions.feedback import ActionRecordFeedback
from tests.actions.conftest import entity


def run(dispatcher, tracker):
    events = ActionRecordFeedback().run(dispatcher, tracker, {})
    return events, [m["response"] for m in dispatcher.messages]


@pytest.mark.parametrize(
    "intent, entities, stored, answer",
    [
        ("affirm", [entity("helpful", "yes")], "yes", "utter_feedback_thanks"),  # the buttons
        ("deny", [entity("helpful", "no")], "no", "utter_feedback_sorry"),
        ("affirm", [], "yes", "utter_feedback_thanks"),  # "có" typed after the question
        ("deny", [], "no", "utter_feedback_sorry"),
    ],
)
def test_the_verdict_is_stored_and_answered(dispatcher, make_tracker, intent, entities, stored, answer):
    events, answers = run(dispatcher, make_tracker(intent=intent, entities=entities))
    assert events == [SlotSet("feedback", stored)]
    assert answers == [answer]


def test_a_hand_made_payload_stores_nothing(dispatcher, make_tracker):
    events, answers = run(dispatcher, make_tracker(intent="affirm", entities=[entity("helpful", "maybe")]))
    assert events == []
    assert answers == ["utter_feedback_thanks"]
