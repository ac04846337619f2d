"""What staff review in the workbench: the questions to teach, with their
conversation, and nothing the training data already holds."""

from bot.analytics.conversations import Turn
from bot.analytics.grouping import key
from bot.analytics.review import review
from bot.settings import load_settings

SETTINGS = load_settings().report


def turn(sender, n, text, intent, confidence=0.9, feedback=None):
    return Turn(sender, 1_700_000_000.0 + n, "Web", text, intent, confidence, feedback=feedback)


def test_missed_questions_come_with_their_conversation():
    turns = [
        turn("a", 1, "xin chào", "greet"),
        turn("a", 2, "cài bluezone ở đâu", "ask_install"),
        turn("a", 3, "máy gặt lúa giá bao nhiêu", "nlu_fallback", 0.1),
        turn("a", 4, "cảm ơn", "thank"),
        turn("b", 5, "máy gặt lúa giá bao nhiêu vậy", "out_of_scope", 0.8),
    ]
    [group] = review(turns, SETTINGS, taught=set())
    assert group["count"] == 2 and group["guess"]["intent"] == "nlu_fallback"
    assert [(c["text"], c["this"]) for c in group["context"]] == [
        ("xin chào", False),
        ("cài bluezone ở đâu", False),
        ("máy gặt lúa giá bao nhiêu", True),
        ("cảm ơn", False),
    ]


def test_a_thumbs_down_answer_is_reviewed_even_when_confident():
    turns = [turn("a", 1, "bluezone có tốn pin không", "ask_battery_data", 0.95, feedback="no")]
    [group] = review(turns, SETTINGS, taught=set())
    assert group["thumbs_down"]


def test_what_is_taught_or_has_no_letters_is_left_out():
    turns = [turn("a", 1, "Máy gặt lúa", "nlu_fallback", 0.1), turn("a", 2, "😀😀", "nlu_fallback", 0.1)]
    assert review(turns, SETTINGS, taught={key("máy gặt lúa")}) == []
