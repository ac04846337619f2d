"""Each message answered once, on one server or several."""

import asyncio
import uuid

import redis.asyncio

from bot.channels.delivery import RecentMessageIds, SharedMessageIds, not_text, same_secret


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


def test_ids_shared_in_redis_are_seen_by_every_server():
    prefix = f"test{uuid.uuid4().hex[:8]}"

    async def two_servers():
        one = SharedMessageIds(redis.asyncio.Redis(), prefix)
        other = SharedMessageIds(redis.asyncio.Redis(), prefix)
        try:
            return [await one.first_time("m1"), await other.first_time("m1"), await other.first_time("m2")]
        finally:
            await one.client.delete(f"{prefix}:messenger-mid:m1", f"{prefix}:messenger-mid:m2")

    assert asyncio.run(two_servers()) == [True, False, True]


def test_each_channel_keeps_its_own_ids():
    prefix = f"test{uuid.uuid4().hex[:8]}"

    async def two_channels():
        messenger = SharedMessageIds(redis.asyncio.Redis(), prefix, "messenger")
        zalo = SharedMessageIds(redis.asyncio.Redis(), prefix, "zalo")
        try:
            return [await messenger.first_time("m1"), await zalo.first_time("m1")]
        finally:
            await messenger.client.delete(f"{prefix}:messenger-mid:m1", f"{prefix}:zalo-mid:m1")

    assert asyncio.run(two_channels()) == [True, True]


def test_what_is_not_text_is_named_safely_in_the_payload():
    assert not_text("sticker") == '/out_of_scope{"attachment": "sticker"}'
    assert not_text('x"}, {"evil') == '/out_of_scope{"attachment": "xevil"}'
    assert not_text("") == '/out_of_scope{"attachment": "file"}'
