"""A long conversation is handed to Rasa as a window, yet nothing is lost:
every event is stored once, in order, and earlier slots and a paused
conversation survive the cut."""

import asyncio

import pytest
import yaml
from rasa.core.tracker_store import AwaitableTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.paths import project_path
from bot.tracker_store import WindowedSQLTrackerStore

WINDOW = 20


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(project_path("domain.yml")))


@pytest.fixture
def store(domain, tmp_path):
    return WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"), window_events=WINDOW)


def turn(number: int):
    """One user turn: 4 events ending in action_listen, like Rasa's."""
    return [
        UserUttered(f"câu hỏi {number}", {"name": "ask_install", "confidence": 0.9}),
        ActionExecuted("utter_install"),
        BotUttered(f"trả lời {number}"),
        ActionExecuted("action_listen"),
    ]


def run(coroutine):
    return asyncio.run(coroutine)


def conversation(store, sender, turns, first=None):
    tracker = DialogueStateTracker.from_events(sender, [ActionExecuted("action_listen")], store.domain.slots)
    for event in first or []:
        tracker.update(event)
    for number in range(turns):
        for event in turn(number):
            tracker.update(event)
    run(store.save(tracker))
    return tracker


def texts(tracker):
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_a_short_conversation_is_loaded_whole(store):
    saved = conversation(store, "short", 3)
    loaded = run(store.retrieve("short"))
    assert list(loaded.events) == list(saved.events)


def test_a_long_conversation_is_loaded_as_a_window_of_whole_turns(store):
    conversation(store, "long", 30)
    loaded = run(store.retrieve("long"))
    assert len(loaded.events) <= WINDOW
    assert isinstance(loaded.events[0], ActionExecuted) and loaded.events[0].action_name == "action_listen"
    assert texts(loaded)[-1] == "câu hỏi 29"
    assert loaded.latest_action_name == "action_listen"


def test_slots_and_a_pause_from_before_the_window_survive(store):
    conversation(store, "state", 30, first=[SlotSet("device_os", "ios"), ConversationPaused()])
    loaded = run(store.retrieve("state"))
    assert loaded.get_slot("device_os") == "ios"
    assert loaded.is_paused()


def test_new_turns_are_appended_once_and_in_order(store):
    conversation(store, "grow", 30)
    for number in range(30, 35):
        tracker = run(store.retrieve("grow"))
        for event in turn(number):
            tracker.update(event)
        run(store.save(tracker))
        run(store.save(tracker))  # a second save of the same tracker adds nothing
    full = run(store.retrieve_full_tracker("grow"))
    assert texts(full) == [f"câu hỏi {n}" for n in range(35)]
    assert len(full.events) == 1 + 35 * 4


def test_a_new_conversation_is_stored_whole_with_rasas_columns(store):
    # As the server uses it: wrapped, so Rasa's wrapper creates the tracker.
    tracker = run(AwaitableTrackerStore.create(store).get_or_create_tracker("new"))
    for event in turn(0):
        tracker.update(event)
    run(store.save(tracker))
    run(store.save(tracker))
    assert list(run(store.retrieve_full_tracker("new")).events) == list(tracker.events)
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT type_name, intent_name, action_name FROM events WHERE sender_id = 'new' ORDER BY id"
        ).all()
    assert [tuple(r) for r in rows] == [
        ("action", None, "action_listen"),
        ("user", "ask_install", None),
        ("action", None, "utter_install"),
        ("bot", None, None),
        ("action", None, "action_listen"),
    ]


def test_only_the_first_save_after_finding_nothing_skips_counting(store):
    assert run(store.retrieve("once")) is None
    conversation(store, "once", 2)
    # A tracker of 1 + 4 events, not retrieved: as in Rasa, the 9 events
    # stored are counted and none of its events is new.
    conversation(store, "once", 1)
    assert texts(run(store.retrieve_full_tracker("once"))) == ["câu hỏi 0", "câu hỏi 1"]


def test_only_the_current_session_is_loaded(store):
    tracker = conversation(store, "sessions", 2)
    for event in [SessionStarted(), ActionExecuted("action_listen"), *turn(7)]:
        tracker.update(event)
    run(store.save(tracker))
    loaded = run(store.retrieve("sessions"))
    assert isinstance(loaded.events[0], SessionStarted)
    assert texts(loaded) == ["câu hỏi 7"]
    assert texts(run(store.retrieve_full_tracker("sessions"))) == ["câu hỏi 0", "câu hỏi 1", "câu hỏi 7"]


def test_endpoints_yml_loads_this_store(domain, tmp_path, monkeypatch):
    # Rasa silently falls back to an in-memory store if the class fails to import.
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "e.db"))
    store = TrackerStore.create(read_endpoint_config(str(project_path("endpoints.yml")), "tracker_store"), domain)
    assert isinstance(store, WindowedSQLTrackerStore)


def test_no_rule_needs_the_start_of_the_conversation():
    # Such a rule could match the start of a window (see bot/tracker_store.py).
    for path in project_path("data").rglob("*.yml"):
        for rule in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rules", []):
            assert not rule.get("conversation_start"), f"{path}: {rule.get('rule')}"


def test_the_session_start_is_found_through_an_index_on_sender_and_type(store):
    import sqlalchemy

    indexes = sqlalchemy.inspect(store.engine).get_indexes("events")
    assert ["sender_id", "type_name"] in [index["column_names"] for index in indexes]
    with store.engine.connect() as connection:
        plan = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT max(timestamp) FROM events WHERE sender_id = 'a' AND type_name = 'session_started'"
        ).all()
    assert any("ix_events_sender_type" in str(row) for row in plan)


def test_a_second_store_on_the_same_database_adds_no_second_index(store, domain, tmp_path):
    WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    assert [i.name for i in store.SQLEvent.__table__.indexes].count("ix_events_sender_type") == 1


def test_the_configured_window_holds_the_longest_story_or_rule():
    # A turn is at least the user's message, its featurization, one action,
    # its answer and action_listen; a window shorter than the longest story
    # would cut the memory the policies decide on.
    longest = 0
    for folder in ("data/stories", "data/rules"):
        for path in project_path(folder).glob("*.yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for story in data.get("stories", []) + data.get("rules", []):
                longest = max(longest, sum("intent" in step for step in story.get("steps", [])))
    for endpoints in ("endpoints.yml", "deploy/endpoints.cluster.yml"):
        window = yaml.safe_load(project_path(endpoints).read_text(encoding="utf-8"))["tracker_store"]["window_events"]
        assert window >= 5 * (longest + 1), endpoints


def test_a_store_starts_when_another_process_created_the_index_at_the_same_moment(domain, tmp_path, monkeypatch):
    import sqlalchemy

    def raced(*args, **kwargs):
        raise sqlalchemy.exc.OperationalError("CREATE INDEX ix_events_sender_type", {}, Exception("already exists"))

    monkeypatch.setattr(sqlalchemy.Index, "create", raced)
    store = WindowedSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "r.db"))
    tracker = conversation(store, "raced", 2)
    assert texts(run(store.retrieve("raced"))) == texts(tracker)
