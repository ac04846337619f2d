"""Turns read back from a store written by Rasa's own SQLTrackerStore."""

import asyncio

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.analytics.conversations import read_turns

T0 = 1_700_000_000.0


def user(text, intent, confidence=0.9, at=0.0, channel="rest"):
    return UserUttered(text, {"name": intent, "confidence": confidence}, input_channel=channel, timestamp=T0 + at)


def action(name, at=0.0):
    return ActionExecuted(name, timestamp=T0 + at)


@pytest.fixture
def store(tmp_path):
    domain = Domain.from_dict(
        {
            "intents": ["ask_install", "affirm", "deny"],
            "slots": {"feedback": {"type": "text", "mappings": [{"type": "custom"}]}},
        }
    )
    return SQLTrackerStore(
        domain, dialect="sqlite", db=str(tmp_path / "tracker.db")
    ), f"sqlite:///{tmp_path}/tracker.db"


def save(store, sender, events):
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def test_feedback_is_set_on_the_answer_it_rates_and_a_second_click_replaces_it(store):
    rasa_store, url = store
    save(
        rasa_store,
        "a",
        [
            action("action_session_start"),
            SessionStarted(timestamp=T0),
            action("action_listen"),
            user("cài bluezone ở đâu, gọi 0912 345 678", "ask_install", at=1),
            action("utter_ask_install", 1),
            BotUttered("..."),
            action("action_listen", 1),
            user('/deny{"helpful": "no"}', "deny", 1.0, at=2),
            action("action_record_feedback", 2),
            SlotSet("feedback", "no", timestamp=T0 + 2),
            user('/affirm{"helpful": "yes"}', "affirm", 1.0, at=3),
            action("action_record_feedback", 3),
            SlotSet("feedback", "yes", timestamp=T0 + 3),
        ],
    )
    install, first_click, second_click = read_turns(url)
    assert install.text == "cài bluezone ở đâu, gọi <phone>"
    assert install.actions == ["utter_ask_install"]
    assert install.feedback == "yes"
    assert first_click.is_button and first_click.is_feedback and not install.is_feedback
    assert first_click.feedback is None and second_click.feedback is None


def test_a_question_between_answer_and_click_gets_the_click(store):
    """The buttons rate the answer on screen: the latest answered question."""
    rasa_store, url = store
    save(
        rasa_store,
        "c",
        [
            user("cài ở đâu", "ask_install", at=1),
            action("utter_ask_install", 1),
            user("có tốn pin không", "ask_battery_data", at=2),
            action("utter_ask_battery_data", 2),
            user('/affirm{"helpful": "yes"}', "affirm", 1.0, at=3),
            action("action_record_feedback", 3),
            SlotSet("feedback", "yes", timestamp=T0 + 3),
        ],
    )
    install, battery, _ = read_turns(url)
    assert install.feedback is None and battery.feedback == "yes"


def test_feedback_without_a_question_before_it_counts_nowhere(store):
    rasa_store, url = store
    save(
        rasa_store,
        "b",
        [user('/deny{"helpful": "no"}', "deny", 1.0), action("action_record_feedback"), SlotSet("feedback", "no")],
    )
    [click] = read_turns(url)
    assert click.feedback is None


def test_since_and_until_select_by_time_and_conversations_stay_apart(store):
    rasa_store, url = store
    save(rasa_store, "a", [user("một", "ask_install", at=0, channel="socketio"), action("utter_install")])
    save(rasa_store, "b", [user("hai", "ask_install", at=100, channel="facebook"), action("utter_install")])
    assert [(t.sender_id, t.channel) for t in read_turns(url)] == [("a", "Web"), ("b", "Messenger")]
    assert [t.text for t in read_turns(url, since=T0 + 50)] == ["hai"]
    assert [t.text for t in read_turns(url, until=T0 + 50)] == ["một"]
