from bot.rate_limit import RateLimiter


class Clock:
    now = 0.0

    def __call__(self):
        return self.now


def test_at_most_limit_per_window_per_key():
    clock = Clock()
    limiter = RateLimiter(3, window=60, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # others are not affected
    clock.now = 61
    assert limiter.allow("a")  # the window moved on


def test_refused_events_do_not_extend_the_wait():
    clock = Clock()
    limiter = RateLimiter(1, window=10, clock=clock)
    assert limiter.allow("a")
    clock.now = 9
    assert not limiter.allow("a")
    clock.now = 10.5
    assert limiter.allow("a")


def test_memory_is_bounded():
    limiter = RateLimiter(1, max_keys=100)
    for n in range(1000):
        limiter.allow(str(n))
    assert len(limiter._events) == 100


def test_zero_means_no_limit():
    limiter = RateLimiter(0)
    assert all(limiter.allow("a") for _ in range(1000))
