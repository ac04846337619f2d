"""Where a webhook channel keeps a citizen's message between the platform's
200 and the bot's answer, so that each message is answered once even when
the platform delivers it again, to any server, and even when the server
that took it dies before answering.

Meta and Zalo want their 200 at once and do not deliver again after it: a
message taken by a server that is then killed would be lost. In the
cluster the message therefore goes into a Redis stream (one per channel)
in the same step that marks its id as seen, and any server's consumer
answers it; a message left unanswered by a dead server is claimed by a
live one after `CLAIM_AFTER_SECONDS`. On one machine there is nobody to
take over: the message is answered in this process.

Why by hand: Rasa's channels answer in the request and remember no ids;
Redis streams with a consumer group are the queue, and what is written
here is only the glue (a few lines of Lua make "first time? then queue"
one atomic step).
"""

import asyncio
import json
import logging
import os
import socket
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Union

from redis.exceptions import ResponseError

from bot.channels.delivery import RecentMessageIds, redis_prefix

logger = logging.getLogger(__name__)

Job = Dict[str, Any]
Handler = Callable[[Any, Job], Awaitable[None]]  # (the Sanic app, the message)

# A message whose server has not said it is still working on it for this
# long is taken over by another server: the same as the conversation lock's
# lifetime in the cluster (bot/cluster.py), so that the new server does not
# wait for the lock much longer.
CLAIM_AFTER_SECONDS = 10
# How often a server looks for messages left by a dead server. It says it
# is still answering its own three times per CLAIM_AFTER_SECONDS.
SWEEP_SECONDS = 2
# How long a stopping server may go on answering what it has in hand.
STOP_GRACE_SECONDS = 5
# A message that was taken over this many times brings servers down (or
# can never be answered): it is dropped, with an error in the log.
MAX_DELIVERIES = 3
# Redis keeps each message id this long to recognise a redelivery.
SEEN_FOR_SECONDS = 86400
# An upper bound on the stream, should consumers stop for a long time.
MAX_QUEUED = 10000
GROUP = "bot"

FIRST_TIME_THEN_QUEUE = """
if ARGV[1] == '' or redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'job', ARGV[3])
  return 1
end
return 0
"""


class LocalInbox:
    """One machine: redeliveries dropped by id, messages answered in this process."""

    def __init__(self) -> None:
        self.seen = RecentMessageIds()
        self.handler: Optional[Handler] = None

    def serve(self, blueprint: Any, handler: Handler) -> None:
        self.handler = handler

    async def accept(self, app: Any, message_id: Optional[str], job: Job) -> bool:
        """False if this message was accepted before."""
        if message_id and not await self.seen.first_time(message_id):
            return False
        app.add_task(self.handler(app, job))
        return True


class RedisInbox:
    """Several servers: a Redis stream read by a consumer group, one consumer per server."""

    def __init__(self, client: Any, prefix: str, kind: str, claim_after: float = CLAIM_AFTER_SECONDS) -> None:
        self.client = client
        self.prefix = prefix
        self.kind = kind
        self.stream = f"{prefix}:{kind}-inbox"
        self.consumer = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.claim_after_ms = int(claim_after * 1000)
        self.heartbeat_seconds = claim_after / 3
        self.handler: Optional[Handler] = None
        self.app: Any = None
        self._first_time_then_queue = client.register_script(FIRST_TIME_THEN_QUEUE)
        self._working: Set[bytes] = set()
        self._intake: List[asyncio.Task] = []  # reading new messages, taking over abandoned ones
        self._heartbeat: Optional[asyncio.Task] = None
        self._answering: Set[asyncio.Task] = set()

    def serve(self, blueprint: Any, handler: Handler) -> None:
        """Consume while the server runs; what is in hand when it stops is taken over by another."""
        self.handler = handler

        @blueprint.listener("after_server_start")
        async def start(app: Any, _loop: Any) -> None:
            await self.start(app)

        @blueprint.listener("before_server_stop")
        async def stop(app: Any, _loop: Any) -> None:
            await self.stop()

    async def accept(self, app: Any, message_id: Optional[str], job: Job) -> bool:
        """False if this message was accepted before, by any server."""
        seen_key = f"{self.prefix}:{self.kind}-mid:{message_id or ''}"
        queued = await self._first_time_then_queue(
            keys=[seen_key, self.stream],
            args=[message_id or "", SEEN_FOR_SECONDS, json.dumps(job, ensure_ascii=False), MAX_QUEUED],
        )
        return bool(queued)

    async def start(self, app: Any) -> None:
        self.app = app
        self._intake = [asyncio.create_task(self._read_new()), asyncio.create_task(self._take_over_abandoned())]
        self._heartbeat = asyncio.create_task(self._say_still_working())

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Take nothing new; give the answers in hand a moment to finish.
        One cut short stays pending and another server takes it over."""
        for task in self._intake:
            task.cancel()
        if self._answering:
            await asyncio.wait(set(self._answering), timeout=grace)
        rest = [*self._intake, *self._answering, *([self._heartbeat] if self._heartbeat else [])]
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)
        self._intake, self._heartbeat = [], None

    async def _make_group(self) -> None:
        try:
            await self.client.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):  # BUSYGROUP: another server made it
                raise

    async def _read_new(self) -> None:
        group_made = False
        while True:
            try:
                if not group_made:
                    await self._make_group()
                    group_made = True
                batches = await self.client.xreadgroup(GROUP, self.consumer, {self.stream: ">"}, count=20, block=1000)
                for _stream, entries in batches or []:
                    for entry_id, fields in entries:
                        self._answer(entry_id, fields)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - Redis away for a moment: try again, do not die
                group_made = group_made and "NOGROUP" not in str(error)
                logger.error("%s inbox: could not read new messages (%s)", self.kind, error)
                await asyncio.sleep(1)

    async def _take_over_abandoned(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            try:
                await self.take_over_abandoned()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - as in _read_new
                logger.error("%s inbox: could not look for abandoned messages (%s)", self.kind, error)

    async def take_over_abandoned(self) -> int:
        """Answer the messages another server took and stopped working on; how many."""
        _next, entries, *_deleted = await self.client.xautoclaim(
            self.stream, GROUP, self.consumer, min_idle_time=self.claim_after_ms, start_id="0-0", count=50
        )
        if not entries:
            return 0
        pending = await self.client.xpending_range(
            self.stream, GROUP, min=entries[0][0], max=entries[-1][0], count=len(entries) * 2
        )
        deliveries = {row["message_id"]: row["times_delivered"] for row in pending}
        for entry_id, fields in entries:
            if deliveries.get(entry_id, 1) > MAX_DELIVERIES:
                logger.error("%s inbox: message %s was taken over too often; dropped", self.kind, entry_id)
                await self._done(entry_id)
            else:
                logger.warning("%s inbox: answering message %s left by a stopped server", self.kind, entry_id)
                self._answer(entry_id, fields)
        return len(entries)

    async def _say_still_working(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            if not self._working:
                continue
            try:
                # XCLAIM to oneself with JUSTID resets the idle time, not the delivery count.
                await self.client.xclaim(
                    self.stream, GROUP, self.consumer, min_idle_time=0, message_ids=list(self._working), justid=True
                )
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - as in _read_new
                logger.error("%s inbox: could not renew the messages in hand (%s)", self.kind, error)

    def _answer(self, entry_id: bytes, fields: Dict[bytes, bytes]) -> None:
        if entry_id in self._working:
            return
        self._working.add(entry_id)
        task = asyncio.create_task(self._answer_then_forget(entry_id, fields))
        self._answering.add(task)
        task.add_done_callback(self._answering.discard)

    async def _answer_then_forget(self, entry_id: bytes, fields: Dict[bytes, bytes]) -> None:
        try:
            try:
                job = json.loads(fields[b"job"])
            except (KeyError, ValueError):
                logger.error("%s inbox: message %s is unreadable; dropped", self.kind, entry_id)
            else:
                await self.handler(self.app, job)
            await self._done(entry_id)
        finally:
            self._working.discard(entry_id)

    async def _done(self, entry_id: bytes) -> None:
        await self.client.xack(self.stream, GROUP, entry_id)
        await self.client.xdel(self.stream, entry_id)


def webhook_inbox(kind: str, redis: Optional[Any]) -> Union[RedisInbox, LocalInbox]:
    """Shared through `redis` in the cluster, in this process on one machine (None)."""
    return RedisInbox(redis, redis_prefix(), kind) if redis is not None else LocalInbox()
