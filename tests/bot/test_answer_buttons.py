from dataclasses import replace

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
