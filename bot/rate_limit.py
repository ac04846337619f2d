"""How many messages one sender, or one address, may send per minute,
counted with the `limits` library's moving window: in Redis when the
production profile has one, so that every Rasa server counts the same
citizen together and a restart forgets nothing; in this process's memory
on one machine. nginx also limits per address in front of the cluster
(deploy/nginx.conf.template).

If Redis cannot be reached the message is let through: a citizen is never
refused because the limiter's store is down.
"""

import logging
from typing import Any, Optional

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

from bot.settings import RedisSettings, redis_settings

logger = logging.getLogger(__name__)


def shared_storage(redis: Optional[RedisSettings] = None) -> Any:
    """Redis when configured (REDIS_HOST...), else this process's memory."""
    redis = redis or redis_settings()
    return RedisStorage(redis.url) if redis else MemoryStorage()


class RateLimiter:
    """At most `limit` events per `window` seconds for each key (0: no
    limit). `name` keeps limiters that share a store apart."""

    def __init__(self, limit: int, window: float = 60.0, name: str = "limit", storage: Optional[Any] = None) -> None:
        self.limit = limit
        self._item = RateLimitItemPerSecond(limit, max(1, round(window))) if limit > 0 else None
        redis = redis_settings()
        # limits' strategies hold their store only by a weak reference.
        self._storage = storage if storage is not None else shared_storage(redis)
        self._window = MovingWindowRateLimiter(self._storage)
        self._namespace = (redis.key_prefix if redis else "bluezone", name)

    def allow(self, key: str) -> bool:
        """Records one event for `key`; False when it is over the limit."""
        if self._item is None:
            return True
        try:
            return self._window.hit(self._item, *self._namespace, key)
        except Exception as error:  # noqa: BLE001 - redis-py raises many kinds; fail open
            logger.warning("Rate limit store unreachable, message let through: %s", error)
            return True

    def exhausted(self, key: str) -> bool:
        """True when `key` has used up its events in the window (nothing recorded)."""
        if self._item is None:
            return False
        try:
            return not self._window.test(self._item, *self._namespace, key)
        except Exception as error:  # noqa: BLE001 - as in allow()
            logger.warning("Rate limit store unreachable: %s", error)
            return False
