"""What the webhook channels share: safe secrets, ids seen on one machine, what is not text."""

import asyncio

from bot.channels.delivery import RecentMessageIds, not_text, same_secret


def test_secrets_compare_only_when_equal_and_set():
    assert same_secret("abc", "abc")
    assert not same_secret("abc", "abd")
    assert not same_secret("", "")


def test_recent_ids_forget_the_oldest():
    seen = RecentMessageIds(size=2)

    def first(mid):
        return asyncio.run(seen.first_time(mid))

    assert first("a") and not first("a")
    assert first("b") and first("c")
    assert first("a")  # evicted, so new again


def test_what_is_not_text_is_named_safely_in_the_payload():
    assert not_text("sticker") == '/out_of_scope{"attachment": "sticker"}'
    assert not_text('x"}, {"evil') == '/out_of_scope{"attachment": "xevil"}'
    assert not_text("") == '/out_of_scope{"attachment": "file"}'
