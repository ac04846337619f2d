from dataclasses import replace

import pytest

from bot.answer_buttons import answer_buttons, link_keys
from bot.settings import load_settings

SETTINGS = load_settings()


def titles(buttons):
    return [b["title"] for b in buttons]


def test_an_answer_gets_its_page_then_the_feedback_buttons():
    buttons = answer_buttons(SETTINGS, "utter_ask_privacy/location", {})
    assert buttons[0] == {"title": SETTINGS.link_titles["terms"], "type": "web_url", "url": SETTINGS.links["terms"]}
    assert buttons[1:] == [
        {"title": SETTINGS.feedback_titles["yes"], "payload": '/affirm{"helpful": "yes"}'},
        {"title": SETTINGS.feedback_titles["no"], "payload": '/deny{"helpful": "no"}'},
    ]


def test_other_responses_get_nothing():
    assert answer_buttons(SETTINGS, "utter_greet", {}) == []
    assert answer_buttons(SETTINGS, "utter_hotline", {}) == []


def test_the_download_page_becomes_the_store_of_the_citizens_phone():
    assert link_keys(SETTINGS, "ask_install/overview", None) == ["download"]
    assert link_keys(SETTINGS, "ask_install/overview", "ios") == ["app_store"]
    assert link_keys(SETTINGS, "ask_install/overview", "android") == ["google_play"]
    buttons = answer_buttons(SETTINGS, "utter_ask_install/overview", {"phone_brand": "oppo"})
    assert buttons[0]["url"] == SETTINGS.links["google_play"]


def test_an_answer_may_have_its_own_pages_and_a_topic_several():
    settings = replace(SETTINGS, topic_links={**SETTINGS.topic_links, "ask_install/uninstall": ()})
    assert titles(answer_buttons(settings, "utter_ask_install/uninstall", {})) == list(
        SETTINGS.feedback_titles.values()
    )
    assert link_keys(SETTINGS, "ask_help/overview", None) == ["home", "faq"]


def test_every_title_fits_messenger():
    for response in ("utter_ask_help/overview", "utter_ask_install/overview", "utter_ask_pc_covid/overview"):
        assert all(len(b["title"]) <= 20 for b in answer_buttons(SETTINGS, response, {}))


def read_as(topic, *pairs):
    """A parse of a message read as `topic`, with this ranking."""
    ranking = [{"name": name, "confidence": confidence} for name, confidence in pairs]
    return {"intent": ranking[0] if ranking[0]["name"] == topic else {"name": topic}, "intent_ranking": ranking}


WITH_MARGIN = replace(SETTINGS, runner_up=replace(SETTINGS.runner_up, margin=0.05))
ANSWER = "utter_ask_battery_data/keep_bluetooth_on"


def test_a_near_tie_adds_the_other_topic_before_the_feedback_buttons():
    parse = read_as("ask_battery_data", ("ask_battery_data", 0.25), ("ask_device_support", 0.24))
    without = answer_buttons(WITH_MARGIN, ANSWER, {})
    buttons = answer_buttons(WITH_MARGIN, ANSWER, {}, parse)
    nearly = {"title": SETTINGS.runner_up.titles["ask_device_support"], "payload": "/ask_device_support"}
    assert buttons == [*without[:-2], nearly, *without[-2:]]


def test_an_exact_tie_keeps_the_classifiers_order():
    parse = read_as("ask_battery_data", ("ask_battery_data", 0.3), ("ask_install", 0.3))
    assert {"title": SETTINGS.runner_up.titles["ask_install"], "payload": "/ask_install"} in answer_buttons(
        WITH_MARGIN, ANSWER, {}, parse
    )


@pytest.mark.parametrize(
    "answer, parse",
    [
        (ANSWER, read_as("ask_battery_data", ("ask_battery_data", 0.5), ("ask_device_support", 0.44))),
        # "vậy thì sao" read as a reply, answered from the conversation
        ("utter_ask_privacy/location", read_as("affirm", ("affirm", 1.0), ("ask_privacy", 0.0), ("ask_install", 0.0))),
        (ANSWER, read_as("ask_battery_data", ("ask_battery_data", 1.0))),
        (ANSWER, read_as("nlu_fallback", ("nlu_fallback", 0.3), ("ask_battery_data", 0.29), ("ask_install", 0.28))),
    ],
    ids=["clear lead", "reply", "payload", "fallback"],
)
def test_no_other_topic_without_a_near_tie_on_the_messages_own_topic(answer, parse):
    assert answer_buttons(WITH_MARGIN, answer, {}, parse) == answer_buttons(WITH_MARGIN, answer, {})


def test_a_topic_without_a_title_gets_no_button():
    settings = replace(WITH_MARGIN, runner_up=replace(WITH_MARGIN.runner_up, titles={"ask_battery_data": "Pin"}))
    parse = read_as("ask_battery_data", ("ask_battery_data", 0.25), ("ask_device_support", 0.25))
    assert answer_buttons(settings, ANSWER, {}, parse) == answer_buttons(settings, ANSWER, {})
