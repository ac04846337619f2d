import pytest

from actions.links import ActionOfficialLink
from bot.settings import load_settings

LINKS = load_settings().links


def sent(dispatcher):
    return [(m["response"], m.get("link_url"), bool(m.get("buttons"))) for m in dispatcher.messages]


@pytest.mark.parametrize(
    "intent, url",
    [
        ("ask_what_is_bluezone", LINKS["home"]),
        ("ask_privacy", LINKS["terms"]),
        ("ask_how_it_works", LINKS["faq"]),
        ("ask_pc_covid", LINKS["pc_covid"]),
        ("ask_install", LINKS["download"]),
        ("something_else", LINKS["home"]),
    ],
)
def test_page_fits_the_topic(dispatcher, make_tracker, intent, url):
    ActionOfficialLink().run(dispatcher, make_tracker(intent=intent), {})
    assert sent(dispatcher) == [("utter_official_link", url, False)]


def test_install_link_follows_the_phone(dispatcher, make_tracker):
    ActionOfficialLink().run(dispatcher, make_tracker(slots={"phone_brand": "iphone"}), {})
    ActionOfficialLink().run(dispatcher, make_tracker(slots={"device_os": "android"}), {})
    assert [url for _, url, _ in sent(dispatcher)] == [LINKS["app_store"], LINKS["google_play"]]


@pytest.mark.parametrize("channel, has_button", [("socketio", True), ("facebook", True), ("cmdline", False), ("rest", False)])
def test_button_only_where_the_channel_shows_it(dispatcher, make_tracker, channel, has_button):
    ActionOfficialLink().run(dispatcher, make_tracker(intent="ask_privacy", channel=channel), {})
    message = dispatcher.messages[0]
    assert bool(message.get("buttons")) is has_button
    if has_button:
        assert message["buttons"] == [
            {"title": load_settings().link_titles["terms"], "type": "web_url", "url": LINKS["terms"]}
        ]
