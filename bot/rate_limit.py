"""How many messages one sender, or one address, may send per minute.

Why by hand: Sanic 21 has no rate limiter, and the ones on PyPI need a
newer Sanic or their own store. This is a per-process sliding window; in the
production profile nginx limits per address in front of every server as
well (deploy/nginx.conf.template).
"""

import time
from collections import OrderedDict, deque
from typing import Callable, Deque


class RateLimiter:
    """At most `limit` events per `window` seconds for each key (0: no limit)."""

    def __init__(
        self, limit: int, window: float = 60.0, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self.clock = clock
        self._events: "OrderedDict[str, Deque[float]]" = OrderedDict()

    def allow(self, key: str) -> bool:
        """Records one event for `key`; False when it is over the limit."""
        if self.limit <= 0:
            return True
        now = self.clock()
        events = self._events.pop(key, None) or deque()
        while events and events[0] <= now - self.window:
            events.popleft()
        allowed = len(events) < self.limit
        if allowed:
            events.append(now)
        self._events[key] = events  # most recent last
        while len(self._events) > self.max_keys:
            self._events.popitem(last=False)
        return allowed

    def exhausted(self, key: str) -> bool:
        """True when `key` has used up its events in the window (nothing recorded)."""
        if self.limit <= 0:
            return False
        cutoff = self.clock() - self.window
        return sum(1 for at in self._events.get(key, ()) if at > cutoff) >= self.limit
