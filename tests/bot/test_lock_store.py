"""A message waiting behind a dead server's turn goes on when that turn
expires (TICKET_LOCK_LIFETIME), even though its own ticket was issued
moments after the dead one: Rasa's own store waits forever there."""

import asyncio
import time
import uuid

import pytest
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import FailoverRedisLockStore

LIFETIME = 2  # seconds, as TICKET_LOCK_LIFETIME would set it


def store(kind):
    config = EndpointConfig(url="127.0.0.1", port=6379, db=0, key_prefix=f"locktest{uuid.uuid4().hex[:8]}")
    return kind(config) if kind is FailoverRedisLockStore else RedisLockStore(host=config.url, **config.kwargs)


async def wait_for_turn(locks, conversation):
    began = time.monotonic()
    async with locks.lock(conversation, lock_lifetime=LIFETIME, wait_time_in_seconds=0.5):
        return time.monotonic() - began


def test_a_waiting_message_goes_on_when_the_dead_servers_turn_expires():
    locks, conversation = store(FailoverRedisLockStore), uuid.uuid4().hex
    locks.issue_ticket(conversation, LIFETIME)  # a server died holding this turn
    waited = asyncio.run(asyncio.wait_for(wait_for_turn(locks, conversation), LIFETIME * 5))
    assert LIFETIME - 0.6 <= waited <= LIFETIME + 1.5


def test_rasas_own_store_waits_past_it_which_is_why_ours_exists():
    locks, conversation = store(RedisLockStore), uuid.uuid4().hex
    locks.issue_ticket(conversation, LIFETIME)
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(wait_for_turn(locks, conversation), LIFETIME * 3))


def test_turns_are_still_taken_one_at_a_time_in_order():
    locks, conversation, order = store(FailoverRedisLockStore), uuid.uuid4().hex, []

    async def turn(name):
        async with locks.lock(conversation, lock_lifetime=LIFETIME, wait_time_in_seconds=0.05):
            order.append(f"{name} in")
            await asyncio.sleep(0.2)
            order.append(f"{name} out")

    async def both():
        first = asyncio.create_task(turn("a"))
        await asyncio.sleep(0.05)
        await asyncio.gather(first, turn("b"))

    asyncio.run(both())
    assert order == ["a in", "a out", "b in", "b out"]
