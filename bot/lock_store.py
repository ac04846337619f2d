"""Rasa's Redis lock store, but a message waiting its turn keeps its own
ticket alive, so that a server that dies mid-turn holds its citizens up for
TICKET_LOCK_LIFETIME seconds, not until their requests time out.

Why: in Rasa 3.6 a waiting message's ticket expires like any other. When a
server dies holding a conversation's ticket, the next message of that
conversation (on another server) queues behind it; the dead ticket expires,
but the waiter's own ticket, issued moments later, expires moments later,
and if both are gone when the waiter looks again it finds nobody being
served, itself included, and waits until its request times out (the web
server's response timeout, a minute). Rasa has no option for this, so
the waiting loop is written here; everything else is Rasa's.
Configured in deploy/endpoints.cluster.yml as
`lock_store: type: bot.lock_store.FailoverRedisLockStore`.
"""

import asyncio
import time
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class FailoverRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        """Built from endpoints.yml as Rasa builds its own Redis lock store."""
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @asynccontextmanager
    async def lock(
        self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._wait_for_turn(conversation_id, ticket, lock_lifetime, wait_time_in_seconds)
        finally:
            self.cleanup(conversation_id, ticket)

    async def _wait_for_turn(self, conversation_id: Text, ticket: int, lifetime: float, wait: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if lock is None:
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            lock.remove_expired_tickets()
            mine = next((t for t in lock.tickets if t.number == ticket), None)
            if mine is None or not lock.is_locked(ticket):
                # Our turn; or our ticket is gone (we waited past it): go on
                # rather than wait for a turn that can no longer come.
                return lock
            mine.expires = time.time() + lifetime  # still waiting, still alive
            self.save_lock(lock)
            await asyncio.sleep(wait)
