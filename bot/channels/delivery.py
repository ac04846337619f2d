"""What every webhook channel needs from a platform that retries (Meta,
Zalo): secrets compared safely, what is not text named for the bot, the
ids already seen on one machine, and one redis client for the channels'
shared state (bot/channels/inbox.py keeps the messages themselves).

Why by hand: Rasa's channels keep no memory of delivered ids, and the
check on one machine is a bounded dict.
"""

import hmac
from collections import OrderedDict
from typing import Any, Optional

from bot.settings import redis_settings

# What a message that is not text is answered as: the intent contract's
# out_of_scope, with what was sent (data/rules/chitchat.yml answers it).
NOT_TEXT_INTENT = "/out_of_scope"


def not_text(kind: str) -> str:
    """The payload for a photo, sticker, file... of this kind."""
    kind = "".join(c for c in str(kind) if c.isalnum() or c == "_")[:30] or "file"
    return f'{NOT_TEXT_INTENT}{{"attachment": "{kind}"}}'


def same_secret(expected: str, given: str) -> bool:
    """Compared in constant time, so an attacker learns nothing from timing."""
    return bool(expected) and hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def redis_from_env() -> Optional[Any]:
    """The production profile's Redis (REDIS_HOST...), if configured."""
    settings = redis_settings()
    if settings is None:
        return None
    import redis.asyncio

    return redis.asyncio.Redis(host=settings.host, port=settings.port, db=settings.db, password=settings.password)


def redis_prefix() -> str:
    settings = redis_settings()
    return settings.key_prefix if settings else "bluezone"


class RecentMessageIds:
    """The last `size` message ids seen by this server, to drop redeliveries."""

    def __init__(self, size: int = 10000) -> None:
        self.size = size
        self._ids: "OrderedDict[str, None]" = OrderedDict()

    async def first_time(self, mid: str) -> bool:
        if mid in self._ids:
            return False
        self._ids[mid] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True
