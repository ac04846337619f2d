"""The flood limit: per key, over a moving window, shared by every server
that uses the same Redis, and never refusing because Redis is down."""

import time
import uuid

import pytest
from limits.storage import MemoryStorage, RedisStorage

from bot.launcher import free_port
from bot.rate_limit import RateLimiter

REDIS = "redis://127.0.0.1:6379/0"


def test_at_most_limit_per_window_per_key():
    limiter = RateLimiter(3, window=1, storage=MemoryStorage())
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.exhausted("a") and not limiter.exhausted("b")
    assert limiter.allow("b")  # others are not affected
    time.sleep(1.1)
    assert limiter.allow("a")  # the window moved on


def test_zero_means_no_limit():
    limiter = RateLimiter(0, storage=MemoryStorage())
    assert all(limiter.allow("a") for _ in range(1000)) and not limiter.exhausted("a")


def test_two_servers_sharing_redis_count_one_citizen_together():
    name = f"test-{uuid.uuid4().hex}"
    first, second = (RateLimiter(4, window=60, name=name, storage=RedisStorage(REDIS)) for _ in range(2))
    said = [(first if n % 2 else second).allow("citizen") for n in range(6)]
    assert said == [True, True, True, True, False, False]
    assert first.exhausted("citizen") and second.exhausted("citizen")
    # A server started afterwards (a restart) still knows.
    assert not RateLimiter(4, window=60, name=name, storage=RedisStorage(REDIS)).allow("citizen")
    # Limiters with other names (another channel, the staff login) are apart.
    assert RateLimiter(4, window=60, name=f"{name}-other", storage=RedisStorage(REDIS)).allow("citizen")


def test_an_unreachable_redis_lets_citizens_through(caplog):
    limiter = RateLimiter(1, storage=RedisStorage(f"redis://127.0.0.1:{free_port()}/0"))
    assert limiter.allow("citizen") and limiter.allow("citizen")
    assert not limiter.exhausted("citizen")
    assert "unreachable" in caplog.text


@pytest.mark.parametrize("env, shared", [({}, False), ({"REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379"}, True)])
def test_the_store_is_redis_only_in_the_production_profile(monkeypatch, env, shared):
    for name in ("REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    from bot.rate_limit import shared_storage

    assert isinstance(shared_storage(), RedisStorage) is shared
