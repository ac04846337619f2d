import asyncio
import logging
import time

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import project_path
from bot.privacy import install_log_masking, mask, purge
from bot.tracker_store import WindowedSQLTrackerStore


@pytest.mark.parametrize(
    "text, expected",
    [
        ("số tôi là 0912345678 nhé", "số tôi là <phone> nhé"),
        ("gọi 0912 345 678 hoặc +84 912.345.678", "gọi <phone> hoặc <phone>"),
        ("email: nguyen.van.a@gmail.com", "email: <email>"),
        ("iphone 6 chạy ios 10.3", "iphone 6 chạy ios 10.3"),
        ("mã OTP 123456", "mã OTP 123456"),
    ],
)
def test_phone_numbers_and_emails_are_masked(text, expected):
    assert mask(text) == expected


def test_log_records_are_masked(caplog):
    install_log_masking()
    with caplog.at_level(logging.INFO):
        logging.getLogger("bot.test").info("citizen %s wrote %s", "0912345678", "a@b.vn")
    assert caplog.records[-1].getMessage() == "citizen <phone> wrote <email>"


def test_purge_deletes_only_conversations_idle_past_retention(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = WindowedSQLTrackerStore(
        domain=Domain.load(str(project_path("domain.yml"))), dialect="sqlite", db=str(tmp_path / "tracker.db")
    )
    now = time.time()
    for sender, age_days in (("old", 200), ("recent", 3)):
        events = [
            ActionExecuted("action_listen", timestamp=now - age_days * 86400),
            UserUttered("xin chào", timestamp=now - age_days * 86400),
        ]
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    assert purge(url, retention_days=180, now=now) == 1
    assert asyncio.run(store.retrieve("old")) is None
    assert asyncio.run(store.retrieve("recent")) is not None
