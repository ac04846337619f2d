"""Webhook messages answered once, by whichever server is alive, on the
machine's Redis (each test under its own key prefix)."""

import asyncio
import uuid

import pytest
import redis.asyncio

from bot.channels import inbox as inbox_module
from bot.channels.inbox import LocalInbox, RedisInbox


class FakeApp:
    def __init__(self):
        self.tasks = []

    def add_task(self, coroutine):
        self.tasks.append(asyncio.get_running_loop().create_task(coroutine))


class Server:
    """One bot server's inbox and what it answered."""

    def __init__(self, prefix, kind="messenger", claim_after=10.0, answer_takes=0.0):
        self.answered = []
        self.answer_takes = answer_takes
        self.inbox = RedisInbox(redis.asyncio.Redis(), prefix, kind, claim_after=claim_after)
        self.inbox.handler = self.answer

    async def answer(self, app, job):
        await asyncio.sleep(self.answer_takes)
        self.answered.append(job["text"])


def job(text):
    return {"sender": "citizen", "text": text, "metadata": {}}


async def until(condition, seconds=10):
    for _ in range(int(seconds * 20)):
        if condition():
            return True
        await asyncio.sleep(0.05)
    return condition()


@pytest.fixture
def prefix():
    name = f"test{uuid.uuid4().hex[:8]}"
    yield name

    async def clean():
        client = redis.asyncio.Redis()
        async for key in client.scan_iter(f"{name}:*"):
            await client.delete(key)
        await client.close()

    asyncio.run(clean())


def test_a_message_id_is_accepted_once_by_any_server_and_per_channel(prefix):
    async def scenario():
        one, other, zalo = Server(prefix), Server(prefix), Server(prefix, kind="zalo")
        return [
            await one.inbox.accept(None, "m1", job("a")),
            await other.inbox.accept(None, "m1", job("a")),
            await other.inbox.accept(None, "m2", job("b")),
            await zalo.inbox.accept(None, "m1", job("a")),
            await one.inbox.accept(None, None, job("no id")),
            await one.inbox.accept(None, None, job("no id")),
        ]

    assert asyncio.run(scenario()) == [True, False, True, True, True, True]


def test_two_servers_answer_every_message_once_between_them(prefix):
    async def scenario():
        servers = [Server(prefix), Server(prefix)]
        for server in servers:
            await server.inbox.start(None)
        texts = [f"câu {i}" for i in range(30)]
        for i, text in enumerate(texts):
            await servers[i % 2].inbox.accept(None, f"m{i}", job(text))
        await until(lambda: sum(len(s.answered) for s in servers) >= len(texts))
        await asyncio.sleep(0.3)
        for server in servers:
            await server.inbox.stop()
        return texts, [text for server in servers for text in server.answered]

    texts, answered = asyncio.run(scenario())
    assert sorted(answered) == sorted(texts)


def test_a_message_left_by_a_dead_server_is_answered_by_a_live_one(prefix):
    async def scenario():
        dying, live = Server(prefix, claim_after=0.5, answer_takes=60), Server(prefix, claim_after=0.5)
        await dying.inbox.start(None)
        await dying.inbox.accept(None, "m1", job("câu hỏi"))
        await until(lambda: dying.inbox._working)
        await dying.inbox.stop(grace=0)  # killed: the answer never finishes, nothing acknowledged
        await asyncio.sleep(0.7)
        taken = await live.inbox.take_over_abandoned()
        await until(lambda: live.answered)
        await asyncio.sleep(0.1)
        pending = await live.inbox.client.xpending(live.inbox.stream, inbox_module.GROUP)
        return taken, dying.answered, live.answered, pending["pending"]

    assert asyncio.run(scenario()) == (1, [], ["câu hỏi"], 0)


def test_a_slow_answer_in_hand_is_not_taken_over(prefix):
    async def scenario():
        slow, other = Server(prefix, claim_after=0.6, answer_takes=1.5), Server(prefix, claim_after=0.6)
        await slow.inbox.start(None)
        await slow.inbox.accept(None, "m1", job("câu hỏi"))
        await until(lambda: slow.inbox._working)
        taken = 0
        for _ in range(6):  # longer than claim_after, while the slow server says it is working
            await asyncio.sleep(0.25)
            taken += await other.inbox.take_over_abandoned()
        await until(lambda: slow.answered)
        await slow.inbox.stop()
        return taken, slow.answered, other.answered

    assert asyncio.run(scenario()) == (0, ["câu hỏi"], [])


def test_a_message_that_keeps_killing_servers_is_dropped(prefix):
    async def scenario():
        await Server(prefix).inbox.accept(None, "m1", job("độc"))
        answered = []
        for attempt in range(inbox_module.MAX_DELIVERIES + 1):
            server = Server(prefix, claim_after=0.1, answer_takes=60)
            if attempt == 0:
                await server.inbox.start(None)
                await until(lambda: server.inbox._working)
            else:
                await asyncio.sleep(0.2)
                await server.inbox.take_over_abandoned()
            answered.append(bool(server.inbox._working))
            for task in list(server.inbox._answering):  # killed before answering
                task.cancel()
            await server.inbox.stop(grace=0)
        length = await server.inbox.client.xlen(server.inbox.stream)
        return answered, length

    answered, length = asyncio.run(scenario())
    assert answered == [True] * inbox_module.MAX_DELIVERIES + [False]
    assert length == 0


def test_a_stopping_server_finishes_the_answers_in_hand(prefix):
    async def scenario():
        server = Server(prefix, answer_takes=0.5)
        await server.inbox.start(None)
        await server.inbox.accept(None, "m1", job("câu hỏi"))
        await until(lambda: server.inbox._working)
        await server.inbox.stop(grace=5)
        pending = await server.inbox.client.xpending(server.inbox.stream, inbox_module.GROUP)
        return server.answered, pending["pending"]

    assert asyncio.run(scenario()) == (["câu hỏi"], 0)


def test_on_one_machine_a_message_is_answered_in_the_process_once():
    async def scenario():
        answered, app = [], FakeApp()
        inbox = LocalInbox()

        async def answer(_app, message):
            answered.append(message["text"])

        inbox.serve(None, answer)
        accepted = [await inbox.accept(app, "m1", job("a")), await inbox.accept(app, "m1", job("a"))]
        await asyncio.gather(*app.tasks)
        return accepted, answered

    assert asyncio.run(scenario()) == ([True, False], ["a"])


def test_with_redis_away_a_message_is_refused_and_the_server_keeps_running():
    """The webhook then fails, so the platform delivers the message again later."""
    from bot.launcher import free_port

    async def scenario():
        inbox = RedisInbox(redis.asyncio.Redis(port=free_port(), socket_connect_timeout=1), "test-away", "messenger")
        inbox.handler = None
        await inbox.start(None)
        with pytest.raises(redis.exceptions.ConnectionError):
            await inbox.accept(None, "m1", job("câu hỏi"))
        await asyncio.sleep(1.5)
        running = all(not task.done() for task in [*inbox._intake, inbox._heartbeat])
        await inbox.stop()
        return running

    assert asyncio.run(scenario())
