from datetime import datetime, timezone

import pytest

from actions.escalation import ActionEscalate, ActionGiveBackToBot

# 2021-02-22 was a Monday. Times are UTC; Sóc Trăng is UTC+7.
MONDAY_9_LOCAL = datetime(2021, 2, 22, 2, 0, tzinfo=timezone.utc)
MONDAY_12_LOCAL = datetime(2021, 2, 22, 5, 0, tzinfo=timezone.utc)
FRIDAY_20_LOCAL = datetime(2021, 2, 26, 13, 0, tzinfo=timezone.utc)
SATURDAY_10_LOCAL = datetime(2021, 2, 27, 3, 0, tzinfo=timezone.utc)


# 2027-02-08 (Mùng ba Tết, a Monday) and 2026-09-02 (Quốc khánh, a Wednesday).
TET_MONDAY_9_LOCAL = datetime(2027, 2, 8, 2, 0, tzinfo=timezone.utc)
NATIONAL_DAY_9_LOCAL = datetime(2026, 9, 2, 2, 0, tzinfo=timezone.utc)


def run_at(now, dispatcher, make_tracker):
    ActionEscalate(clock=lambda: now).run(dispatcher, make_tracker(intent="ask_help"), {})
    return dispatcher.messages


def test_in_office_hours_says_call_now(dispatcher, make_tracker):
    [message] = run_at(MONDAY_9_LOCAL, dispatcher, make_tracker)
    assert message["response"] == "utter_office_open"


@pytest.mark.parametrize(
    "now, next_opening",
    [(MONDAY_12_LOCAL, "13:00 hôm nay"), (FRIDAY_20_LOCAL, "7:00 thứ Hai"), (SATURDAY_10_LOCAL, "7:00 thứ Hai")],
)
def test_outside_hours_says_when_to_call(dispatcher, make_tracker, now, next_opening):
    [message] = run_at(now, dispatcher, make_tracker)
    assert message["response"] == "utter_office_closed"
    assert message["next_opening"] == next_opening


@pytest.mark.parametrize(
    "now, holiday, next_opening",
    [
        (TET_MONDAY_9_LOCAL, "Mùng ba Tết Nguyên Đán", "7:00 thứ Năm"),
        (NATIONAL_DAY_9_LOCAL, "Quốc khánh", "7:00 ngày mai"),
    ],
)
def test_public_holidays_close_the_hotline(dispatcher, make_tracker, now, holiday, next_opening):
    [message] = run_at(now, dispatcher, make_tracker)
    assert message["response"] == "utter_office_closed_holiday"
    assert message["holiday"] == holiday and message["next_opening"] == next_opening


STAFF_INBOX = {"staff_can_take_over": True}


@pytest.mark.parametrize(
    "intent, metadata, pauses",
    [
        ("request_human", STAFF_INBOX, True),  # staff take over in the platform's inbox
        ("request_human", {}, False),  # no one watches the web chat
        ("ask_help", STAFF_INBOX, False),
    ],
)
def test_a_person_where_staff_watch_the_inbox_pauses_the_bot(dispatcher, make_tracker, intent, metadata, pauses):
    events = ActionEscalate(clock=lambda: MONDAY_9_LOCAL).run(
        dispatcher, make_tracker(intent=intent, metadata=metadata), {}
    )
    assert [e["event"] for e in events] == (["pause"] if pauses else [])


def test_giving_back_resumes_and_listens_afresh(dispatcher, make_tracker):
    events = ActionGiveBackToBot().run(dispatcher, make_tracker(intent="ask_battery"), {})
    assert [e["event"] for e in events] == ["resume", "action"]
    assert events[1]["name"] == "action_listen" and not dispatcher.messages
