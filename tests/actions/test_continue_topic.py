from rasa_sdk import Tracker

from actions.continue_topic import ActionContinueTopic, answer_just_given
from bot.knowledge import Family, load_families, next_answer


def bot(response):
    return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}


def user(text):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": "affirm"}}}


def tracker(events):
    return Tracker("c", {}, events[-1]["parse_data"], events, False, None, {}, "action_listen")


def test_the_answer_of_the_bot_turn_just_before_counts():
    events = [user("cài sao"), bot("utter_ask_install/overview"), user("vậy thì sao")]
    assert answer_just_given(events) == "ask_install/overview"


def test_an_older_answer_does_not():
    events = [
        user("cài sao"),
        bot("utter_ask_install/overview"),
        user("cảm ơn"),
        bot("utter_thank"),
        user("vậy thì sao"),
    ]
    assert answer_just_given(events) is None


def test_the_follow_up_then_the_overview_then_nothing():
    families = {
        "ask_install/overview": Family("ask_install/overview", "", "ask_registration/overview", (), ()),
        "ask_install/uninstall": Family("ask_install/uninstall", "", None, (), ()),
    }
    assert next_answer("ask_install/overview", families) == "ask_registration/overview"
    assert next_answer("ask_install/uninstall", families) == "ask_install/overview"
    families["ask_install/overview"] = Family("ask_install/overview", "", None, (), ())
    assert next_answer("ask_install/overview", families) is None


def test_going_on_says_the_next_answer_or_offers_the_topics(dispatcher):
    ActionContinueTopic().run(dispatcher, tracker([user("vậy thì sao")]), {})
    assert dispatcher.messages[-1]["response"] == "utter_affirm"
    events = [user("gỡ app sao"), bot("utter_ask_install/uninstall"), user("vậy thì sao")]
    ActionContinueTopic().run(dispatcher, tracker(events), {})
    following = next_answer("ask_install/uninstall", load_families())
    assert following and dispatcher.messages[-1]["response"] == f"utter_{following}"
