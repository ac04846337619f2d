"""The production profile on real engines: two Rasa servers sharing
PostgreSQL and Redis behind nginx. Each run uses its own database and Redis
key prefix, and removes them."""

import contextlib
import dataclasses
import hashlib
import hmac
import http.client
import io
import json
import os
import random
import shutil
import signal
import tarfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy

from bot import cluster as production
from bot.channels.inbox import CLAIM_AFTER_SECONDS
from bot.launcher import free_port
from tests.stack import FakeGraphApi, FakeZaloApi, RunningBot

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# The verdict action_device_support adds to the answer about an old iPhone:
# the action-server pool answered.
DEVICE_QUESTION = "iphone 4s cài bluezone được không"
ACTION_VERDICT = "iPhone 4s (iOS 9)"
# Seconds between one simulated citizen's messages: on a fast machine an
# unpaced citizen would exceed nginx's per-address rate (ip_rate in
# bot/cluster.py) and be refused with 429, which is not what these tests test.
CITIZEN_PAUSE = 0.1


@pytest.fixture(scope="module")
def cluster(trained_model, tmp_path_factory):
    run = uuid.uuid4().hex[:10]
    rasa_port = _two_free_ports()
    action_port = _two_free_ports(avoid={rasa_port, rasa_port + 1})
    profile = production.Cluster(
        database_url=f"postgresql://postgres@127.0.0.1:5432/bluezone_test_{run}",
        redis_key_prefix=f"test{run}",
        public_port=free_port(),
        first_rasa_port=rasa_port,
        first_action_port=action_port,
        actions_pool_port=free_port(),
        state_dir=tmp_path_factory.mktemp("cluster"),
        model=str(tmp_path_factory.mktemp("models")),
    )
    shutil.copy(trained_model, Path(profile.model) / "bluezone.tar.gz")
    graph, zalo = FakeGraphApi(), FakeZaloApi()
    profile.graph, profile.zalo = graph, zalo
    with same_environment_as_at_start(profile):  # the servers copy this environment
        production.start(profile)
    try:
        yield profile
    finally:
        production.stop(profile)
        graph.close()
        zalo.close()
        engine = sqlalchemy.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS bluezone_test_{run} WITH (FORCE)")
        import redis

        client = redis.Redis()
        for key in client.scan_iter(f"test{run}:*"):
            client.delete(key)


@contextlib.contextmanager
def same_environment_as_at_start(cluster):
    """Messenger's and Zalo's secrets and the fakes of their APIs, as the operator's shell would have them."""
    saved = dict(os.environ)
    os.environ.update(
        RunningBot.FB,
        FB_GRAPH_URL=cluster.graph.url,
        ADMIN_TOKEN=RunningBot.ADMIN_TOKEN,
        **RunningBot.zalo_env(cluster.zalo),
    )
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _two_free_ports(avoid=frozenset()) -> int:
    """A free port whose next port is free too (servers take consecutive
    ports), below the kernel's ephemeral range, as 5011... are: while a
    server restarts, an outgoing connection could otherwise take its port."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as ranges:
        ephemeral_start = int(ranges.read().split()[0])
    while True:
        port = random.randrange(10000, ephemeral_start - 1)
        if _is_free(port) and _is_free(port + 1) and not {port, port + 1} & set(avoid):
            return port


def _is_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("", port))
        except OSError:
            return False
        return True


def say(base_url, sender, text, timeout=60, source="127.0.0.1"):
    """One REST message from `source`: each simulated citizen has an address."""
    host, port = base_url.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(source, 0))
    try:
        connection.request(
            "POST",
            "/webhooks/rest/webhook",
            headers={"Content-Type": "application/json"},
            body=json.dumps({"sender": sender, "message": text}).encode(),
        )
        reply = connection.getresponse()
        body = reply.read()
        if reply.status != 200:
            raise OSError(f"HTTP {reply.status}")
        return " ".join(r.get("text") or "" for r in json.loads(body))
    finally:
        connection.close()


def nginx(cluster) -> str:
    return f"http://127.0.0.1:{cluster.public_port}"


def citizen_address(index: int) -> str:
    return f"127.0.{index // 200 + 1}.{index % 200 + 10}"


def user_messages(cluster, sender=None):
    engine = sqlalchemy.create_engine(cluster.database_url)
    query = "SELECT sender_id, data FROM events WHERE type_name = 'user'"
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(query + " ORDER BY id").fetchall()
    engine.dispose()
    return [(s, json.loads(d)["text"]) for s, d in rows if sender is None or s == sender]


def test_the_cluster_prints_nginx_and_each_server(cluster):
    text = production.banner(cluster)
    assert f"behind nginx: http://localhost:{cluster.public_port}" in text
    for port in cluster.rasa_ports:
        assert f"http://localhost:{port}" in text


def test_one_conversation_across_both_servers_keeps_its_history_in_order(cluster):
    servers = [f"http://127.0.0.1:{port}" for port in cluster.rasa_ports]
    sender = f"alt-{uuid.uuid4().hex}"
    questions = ["xin chào", "cài bluezone ở đâu", "có tốn pin không", "ứng dụng bluezone bị lỗi không mở được"]
    for turn, question in enumerate(questions):
        say(servers[turn % 2], sender, question)
    # The answer to "chưa được" depends on the question the other server asked.
    assert "0299.3626800" in say(servers[len(questions) % 2], sender, "chưa được")
    assert [text for _, text in user_messages(cluster, sender)] == questions + ["chưa được"]


def test_fifty_conversations_of_ten_turns_through_nginx_lose_nothing(cluster):
    run = uuid.uuid4().hex[:8]
    questions = ["xin chào", "cài bluezone ở đâu", "có tốn pin không", "ko nhận dc otp", "bluezone là gì"]

    def conversation(index):
        sender = f"load-{run}-{index}"
        for turn in range(10):
            say(nginx(cluster), sender, f"{questions[turn % len(questions)]} {turn}", source=citizen_address(index))

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(conversation, range(50)))
    stored = [(s, t) for s, t in user_messages(cluster) if s.startswith(f"load-{run}-")]
    assert len(stored) == 500
    for index in range(50):
        turns = [t for s, t in stored if s == f"load-{run}-{index}"]
        assert [t.rsplit(" ", 1)[1] for t in turns] == [str(n) for n in range(10)]


def test_one_citizens_flood_limit_holds_across_both_servers(cluster):
    """The per-citizen limit lives in Redis: alternating between the servers
    does not double it."""
    from bot.settings import load_settings

    limit = load_settings().limits.per_sender_per_minute
    servers = [f"http://127.0.0.1:{port}" for port in cluster.rasa_ports]
    sender, outcomes = f"flood-{uuid.uuid4().hex}", []
    for turn in range(limit + 4):
        try:
            say(servers[turn % 2], sender, f"xin chào {turn}")
            outcomes.append(200)
        except OSError as error:
            outcomes.append(str(error))
    assert outcomes == [200] * limit + ["HTTP 429"] * 4


def _post_to_server(port, path, body, headers):
    """A platform's webhook delivery straight to one Rasa server."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", path, body=body, headers={"Content-Type": "application/json", **headers})
    assert connection.getresponse().status == 200
    connection.close()


def _messenger_delivery(sender, text, mid=None):
    """Meta's webhook body for one citizen's message, and its signature header."""
    body = json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "PAGE",
                    "time": 1,
                    "messaging": [
                        {
                            "sender": {"id": sender},
                            "recipient": {"id": "PAGE"},
                            "timestamp": 1,
                            "message": {"mid": mid or f"m_{uuid.uuid4().hex}", "text": text},
                        }
                    ],
                }
            ],
        }
    ).encode()
    signature = "sha256=" + hmac.new(RunningBot.FB["FB_APP_SECRET"].encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Hub-Signature-256": signature}


def _messenger_texts(cluster, sender):
    return [
        m.get("text") or m.get("attachment", {}).get("payload", {}).get("text", "")
        for m in cluster.graph.messages_to(sender)
    ]


def test_a_messenger_retry_reaching_the_other_server_is_answered_once(cluster):
    sender = f"fb-{uuid.uuid4().hex}"
    body, headers = _messenger_delivery(sender, "bluezone có tốn pin không")
    for port in cluster.rasa_ports:  # Meta's first delivery, then its retry on the other server
        _post_to_server(port, "/webhooks/facebook/webhook", body, headers)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not cluster.graph.messages_to(sender):
        time.sleep(0.2)
    time.sleep(3)
    assert len([text for text in _messenger_texts(cluster, sender) if "pin" in text]) == 1


def _zalo_event(user, text):
    from bot.channels.zalo import signature

    timestamp = str(int(time.time() * 1000))
    body = json.dumps(
        {
            "app_id": FakeZaloApi.APP_ID,
            "event_name": "user_send_text",
            "timestamp": timestamp,
            "sender": {"id": user},
            "recipient": {"id": "oa"},
            "message": {"text": text, "msg_id": uuid.uuid4().hex},
        }
    ).encode()
    return body, signature(FakeZaloApi.APP_ID, body, timestamp, RunningBot.ZALO_OA_SECRET_KEY)


def _post_zalo(port, body, mac):
    _post_to_server(port, "/webhooks/zalo/webhook", body, {"X-ZEvent-Signature": mac})


def _zalo_texts(cluster, user, at_least=1):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(cluster.zalo.texts_to(user)) < at_least:
        time.sleep(0.2)
    time.sleep(3)
    return cluster.zalo.texts_to(user)


def test_a_zalo_redelivery_reaching_the_other_server_is_answered_once_with_one_shared_token(cluster):
    user = f"zalo-{uuid.uuid4().hex}"
    body, mac = _zalo_event(user, "bluezone có tốn pin không")
    for port in cluster.rasa_ports:  # Zalo's first delivery, then its retry on the other server
        _post_zalo(port, body, mac)
    assert len([text for text in _zalo_texts(cluster, user) if "pin" in text]) == 1
    # Another citizen on the other server: it sends with the token kept in Redis.
    other = f"zalo-{uuid.uuid4().hex}"
    _post_zalo(cluster.rasa_ports[1], *_zalo_event(other, "bluezone có miễn phí không"))
    assert _zalo_texts(cluster, other)
    assert len(cluster.zalo.renewals) == 1


def _staff(port, method, path, body=None):
    """A staff page on one Rasa server, as `python -m bot ask` calls it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request(
        method,
        path,
        body=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {RunningBot.ADMIN_TOKEN}", "Content-Type": "application/json"},
    )
    reply = connection.getresponse()
    data = json.loads(reply.read())
    connection.close()
    assert reply.status == 200, data
    return data


def _copy_as_another_model(source: Path, target: Path) -> str:
    """The same model under a new model id, as a retrained one would have."""
    model_id = uuid.uuid4().hex
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            content = old.extractfile(member) if member.isfile() else None
            if member.name.lstrip("/") == "metadata.json":
                metadata = json.loads(content.read())
                metadata["model_id"] = model_id
                data = json.dumps(metadata).encode()
                member.size, content = len(data), io.BytesIO(data)
            new.addfile(member, content)
    return model_id


def test_a_deploy_from_one_servers_workbench_moves_every_server_and_drops_no_message(cluster):
    """ "Cập nhật bot" on one server: it loads the candidate, then the other
    server does, while citizens go on chatting; "Quay lại" moves both back."""
    first, second = cluster.rasa_ports
    models = Path(cluster.model)
    live_id = _staff(second, "GET", "/admin/api/train")["model_id"]
    new_id = _copy_as_another_model(models / "bluezone.tar.gz", models / "candidates" / "candidate.tar.gz")
    run, answered, failed, done = uuid.uuid4().hex[:8], [], [], threading.Event()

    def conversation(index):
        turn = 0
        while not done.is_set():
            # A few questions per citizen, under the per-conversation limit, then another citizen.
            sender = f"ship-{run}-{index}-{turn // 8}"
            try:
                answered.append(
                    say(nginx(cluster), sender, "cài bluezone ở đâu", timeout=30, source=citizen_address(index))
                )
            except OSError as error:
                failed.append(error)
            turn += 1
            time.sleep(CITIZEN_PAUSE)

    threads = [threading.Thread(target=conversation, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    try:
        deployed = _staff(first, "POST", "/admin/api/deploy", {})
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert deployed["model_id"] == new_id
    assert deployed["servers"] == [{"server": f"http://127.0.0.1:{second}", "model_id": new_id}]
    assert _staff(second, "GET", "/admin/api/train")["model_id"] == new_id
    assert not failed, failed
    assert answered and all("bluezone" in answer.lower() for answer in answered)

    rolled_back = _staff(second, "POST", "/admin/api/rollback", {})
    assert rolled_back["model_id"] == live_id
    assert rolled_back["servers"] == [{"server": f"http://127.0.0.1:{first}", "model_id": live_id}]


def test_rolling_out_a_new_model_drops_no_message(cluster, monkeypatch):
    """`make cluster-rollout`: each server restarts (the Rasa servers onto
    the newest model in their folder) while citizens keep chatting through nginx."""
    run = uuid.uuid4().hex[:8]
    new_model = Path(cluster.model) / f"bluezone-{run}.tar.gz"
    shutil.copy(Path(cluster.model) / "bluezone.tar.gz", new_model)  # newest by mtime
    old_pids = _pids(cluster)
    answered, failed, done = [], [], threading.Event()

    def conversation(index):
        turn = 0
        while not done.is_set():
            # A citizen asks a few questions (under the per-conversation limit), then another comes.
            sender = f"roll-{run}-{index}-{turn // 8}"
            try:
                answer = say(
                    nginx(cluster), sender, f"{DEVICE_QUESTION} {turn}", timeout=30, source=citizen_address(index)
                )
                answered.append((sender, f"{DEVICE_QUESTION} {turn}", answer))
            except OSError as error:
                failed.append(error)
                time.sleep(0.2)
            turn += 1
            time.sleep(CITIZEN_PAUSE)

    # From a shell without the Messenger secrets the servers had: refused
    # before anything restarts (the new servers would lose Messenger).
    for name in RunningBot.FB:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match="FB_APP_SECRET"):
        production.rollout(cluster)
    # From a shell whose settings differ (nginx would move its public port).
    with same_environment_as_at_start(cluster), pytest.raises(RuntimeError, match="public_port"):
        production.rollout(dataclasses.replace(cluster, public_port=cluster.public_port + 1))
    errors_before = len(_nginx_error_log(cluster))
    threads = [threading.Thread(target=conversation, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        with same_environment_as_at_start(cluster):
            production.rollout(cluster)
    finally:
        done.set()
        for thread in threads:
            thread.join()

    assert not failed, (failed, _nginx_errors(cluster))
    # nginx sent nothing to a server that was stopping or starting.
    assert "connect() failed" not in _nginx_error_log(cluster)[errors_before:]
    # Every answer, the action server's verdict included (through the action pool).
    assert len(answered) >= 20 and all(ACTION_VERDICT in answer for _, _, answer in answered)
    stored = set(user_messages(cluster))
    assert all((sender, text) in stored for sender, text, _ in answered)
    # Every Rasa and action server is new (settings are read afresh); nginx stays.
    assert [new == old for new, old in zip(_pids(cluster), old_pids)] == [False] * (
        cluster.action_servers + cluster.rasa_servers
    ) + [True]
    for port in cluster.rasa_ports:
        log = (cluster.state_dir / "logs" / f"rasa-{port}.log").read_text(encoding="utf-8", errors="replace")
        assert f"Loading model {new_model}" in log


def _nginx_error_log(cluster):
    return (cluster.state_dir / "logs" / "nginx-error.log").read_text(encoding="utf-8", errors="replace")


def _nginx_errors(cluster):
    """Why nginx failed a request (which servers refused or closed), for a failed assertion."""
    return _nginx_error_log(cluster)[-4000:]


def _connections_into(port):
    """Open TCP connections into a local port (the web chat's socket is the long-lived one)."""
    rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    return sum(1 for row in rows if row[3] == "01" and int(row[1].split(":")[1], 16) == port)


def test_killing_one_server_under_load_loses_nothing_and_stalls_no_one(cluster):
    """30 citizens, 6 turns each, through nginx; one Rasa server is killed
    (SIGKILL) once a third of the turns are answered and while it is
    answering some; started again afterwards for the next tests. The turns
    it was answering are answered by the other server (nginx's
    proxy_next_upstream non_idempotent)."""
    run, citizens, turns = uuid.uuid4().hex[:8], 30, 6
    results, done, in_swing = {}, [], threading.Event()

    def citizen(index):
        sender, outcome = f"kill-{run}-{index}", []
        time.sleep(random.uniform(0, 0.3))  # citizens do not type in step
        for turn in range(turns):
            text, began = f"cài bluezone ở đâu {turn}", time.monotonic()
            try:
                say(nginx(cluster), sender, text, timeout=60, source=citizen_address(index))
                outcome.append((text, "answered", began, time.monotonic()))
            except OSError as error:
                outcome.append((text, str(error), began, time.monotonic()))
            done.append(1)
            if len(done) >= citizens * turns // 3:
                in_swing.set()
            time.sleep(random.uniform(0.1, 0.3))
        results[sender] = outcome

    threads = [threading.Thread(target=citizen, args=(i,)) for i in range(citizens)]
    for thread in threads:
        thread.start()
    assert in_swing.wait(timeout=60)
    while _connections_into(cluster.rasa_ports[0]) < 2 and len(results) < citizens:
        time.sleep(0.002)
    os.killpg(_rasa_pid(cluster, cluster.rasa_ports[0]), signal.SIGKILL)
    killed_at = time.monotonic()
    for thread in threads:
        thread.join()
    _start_again(cluster, cluster.rasa_ports[0])

    outcomes = [(sender, *turn) for sender, outcome in results.items() for turn in outcome]
    answered = [(sender, text) for sender, text, status, _, _ in outcomes if status == "answered"]
    failed = [o for o in outcomes if o[2] != "answered"]
    slowest = sorted(outcomes, key=lambda o: o[4] - o[3])[-5:]
    assert len(results) == citizens  # every conversation went to its end
    cut_short = [o for o in outcomes if o[3] < killed_at < o[4]]
    assert cut_short  # the kill caught turns in flight
    assert [o for o in cut_short if o[2] != "answered"] == []  # and the other server answered them
    stored = set(user_messages(cluster))
    assert [a for a in answered if a not in stored] == []  # nothing a citizen saw answered is lost
    assert slowest[-1][4] - slowest[-1][3] <= 15, slowest  # no one waits long for the dead server
    assert len(answered) >= 0.97 * citizens * turns, failed
    assert ACTION_VERDICT in say(nginx(cluster), f"after-{run}", DEVICE_QUESTION, source=citizen_address(99))


def test_a_web_chat_on_a_dead_server_reconnects_to_the_other_and_keeps_its_conversation(cluster):
    from playwright.sync_api import expect, sync_playwright

    from tests.bot.channels.test_webpage import CHROMIUM, CHROMIUM_ARGS, ask, open_chat, session_id

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        killed = None
        try:
            page = browser.new_page()
            page.goto(f"{nginx(cluster)}/chat/")
            open_chat(page)
            ask(page, "cài bluezone ở đâu")
            expect(page.locator(".rw-reply", has_text="👍").last).to_be_visible()  # the whole answer is shown
            conversation = session_id(page)
            time.sleep(1)
            [killed] = [p for p in cluster.rasa_ports if _connections_into(p)]
            os.killpg(_rasa_pid(cluster, killed), signal.SIGKILL)
            time.sleep(3)  # the widget reconnects, through nginx, to the other server
            page.locator(".rw-new-message").fill("có tốn pin không")
            page.keyboard.press("Enter")
            expect(page.locator(".rw-response", has_text="pin").last).to_be_visible(timeout=30_000)
            # The same conversation, on the screen and in the store.
            expect(page.locator(".rw-messages-container")).to_contain_text("cài bluezone ở đâu")
            assert session_id(page) == conversation
            said = [text for sender, text in user_messages(cluster) if sender == conversation]
            assert [t for t in said if not t.startswith("/")] == ["cài bluezone ở đâu", "có tốn pin không"]
        finally:
            browser.close()
            if killed is not None:  # the next tests need both servers
                _start_again(cluster, killed)


def test_a_web_chat_whose_server_dies_mid_answer_goes_on_on_the_other(cluster):
    """Killed as the first of two bubbles reaches the browser, and the
    citizen asks again at once, before the widget has noticed: that question
    goes into the dead connection. The widget reconnects through nginx and
    sends it again (bot/web/static/start-chat.js); it is answered once the
    dead server's lock has expired (TICKET_LOCK_LIFETIME)."""
    from playwright.sync_api import expect, sync_playwright

    from tests.bot.channels.test_webpage import CHROMIUM, CHROMIUM_ARGS, open_chat, session_id

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        killed, bubbles = None, []
        try:
            page = browser.new_page()
            page.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda frame: bubbles.append("bot_uttered" in str(frame))),
            )
            page.goto(f"{nginx(cluster)}/chat/")
            open_chat(page)
            greeted = sum(bubbles)
            first = "mở bluezone lên là bị văng ra hoài"  # steps, then "đã chạy được chưa?"
            page.locator(".rw-new-message").fill(first)
            page.keyboard.press("Enter")
            while sum(bubbles) == greeted:
                page.wait_for_timeout(10)
            [killed] = [p for p in cluster.rasa_ports if _connections_into(p)]
            os.killpg(_rasa_pid(cluster, killed), signal.SIGKILL)
            began = time.monotonic()
            page.locator(".rw-new-message").fill("có tốn pin không")
            page.keyboard.press("Enter")
            expect(page.locator(".rw-response", has_text="pin").last).to_be_visible(timeout=30_000)
            assert time.monotonic() - began <= production.LOCK_LIFETIME + 5
            conversation = session_id(page)
            said = [text for sender, text in user_messages(cluster) if sender == conversation]
            assert [t for t in said if not t.startswith("/")] == [first, "có tốn pin không"]
        finally:
            browser.close()
            if killed is not None:
                _start_again(cluster, killed)


def test_a_conversation_whose_server_died_mid_turn_waits_only_for_the_lock_lifetime(cluster):
    """A server killed mid-turn leaves its ticket in Redis; the citizen's
    next message, on the other server, waits until it expires
    (TICKET_LOCK_LIFETIME), not Rasa's default minute, and is answered."""
    from rasa.core.lock_store import RedisLockStore

    from bot.settings import redis_settings

    redis = redis_settings(production.redis_env(cluster.redis_url, cluster.redis_key_prefix))
    locks = RedisLockStore(host=redis.host, port=redis.port, db=redis.db, key_prefix=redis.key_prefix)
    sender = f"orphan-{uuid.uuid4().hex}"
    locks.issue_ticket(sender, production.LOCK_LIFETIME)  # as the dead server did, never given back
    began = time.monotonic()
    answer = say(nginx(cluster), sender, "cài bluezone ở đâu", timeout=60, source=citizen_address(98))
    waited = time.monotonic() - began
    assert "bluezone" in answer.lower()
    assert production.LOCK_LIFETIME - 2 <= waited <= production.LOCK_LIFETIME + 5, waited


# Questions a Messenger citizen asks in turn, each with words that only its answer has.
MESSENGER_TURNS = [
    ("bluezone có tốn pin không", "10% pin"),
    ("bluezone có miễn phí không", "Không mất tiền"),
    ("bluezone có cần mạng 4G không", "không cần mạng"),
]


def meta_delivers(cluster, body, headers, give_up_after=60):
    """Meta's delivery through nginx, made again after a failure until it gets its 200."""
    deadline = time.monotonic() + give_up_after
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", cluster.public_port, timeout=20)
        try:
            connection.request(
                "POST", "/webhooks/facebook/webhook", body=body, headers={"Content-Type": "application/json", **headers}
            )
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        assert time.monotonic() < deadline, "Meta could not deliver"
        time.sleep(1)


def test_killing_a_server_loses_no_messenger_message_and_answers_each_once(cluster):
    """10 citizens on Messenger (3 turns; Meta delivers some messages twice
    and retries a failed delivery), through nginx; one Rasa server is killed
    (SIGKILL) while it answers a message: the messages it had taken are
    answered by the other one."""
    run, waits = uuid.uuid4().hex[:8], {}

    def messenger_citizen(index):
        sender, took = f"fb-kill-{run}-{index}", []
        time.sleep(random.uniform(0, 2))
        for turn, (question, answer_words) in enumerate(MESSENGER_TURNS):
            body, headers = _messenger_delivery(sender, question)
            began = time.monotonic()
            meta_delivers(cluster, body, headers)
            if (index + turn) % 2:
                meta_delivers(cluster, body, headers)
            while time.monotonic() - began < 60:
                if any(answer_words in text for text in _messenger_texts(cluster, sender)):
                    break
                time.sleep(0.2)
            took.append(time.monotonic() - began)
            time.sleep(random.uniform(0.1, 0.5))
        waits[sender] = took

    threads = [threading.Thread(target=messenger_citizen, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    # One message is surely in hand when its server dies: Meta is slow to
    # take its "typing" signal, and the server holding it is the one killed.
    caught = f"fb-caught-{run}"
    cluster.graph.slow_for[caught] = 3
    question, answer_words = MESSENGER_TURNS[0]
    _post_to_server(cluster.rasa_ports[0], "/webhooks/facebook/webhook", *_messenger_delivery(caught, question))
    deadline = time.monotonic() + 30
    while not cluster.graph.calls_about(caught):
        assert time.monotonic() < deadline, "the message was never taken"
        time.sleep(0.05)
    dying = _port_holding(cluster, "messenger", caught)
    os.killpg(_rasa_pid(cluster, dying), signal.SIGKILL)
    try:
        for thread in threads:
            thread.join()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _messenger_texts(cluster, caught):
            time.sleep(0.2)
        time.sleep(3)  # a second answer to the same message would come now
        assert len([text for text in _messenger_texts(cluster, caught) if answer_words in text]) == 1
        answers = {
            sender: [sum(words in text for text in _messenger_texts(cluster, sender)) for _, words in MESSENGER_TURNS]
            for sender in waits
        }
        assert len(answers) == 10 and all(counts == [1, 1, 1] for counts in answers.values()), answers
        # A message the dead server had taken waits for the take-over (bot/channels/inbox.py).
        assert max(max(took) for took in waits.values()) <= CLAIM_AFTER_SECONDS + 10, waits
    finally:
        _start_again(cluster, dying)


def _port_holding(cluster, kind, sender):
    """The Rasa server whose inbox consumer (named host-pid-random) holds this citizen's message."""
    import redis

    client, stream = redis.Redis(), f"{cluster.redis_key_prefix}:{kind}-inbox"
    for row in client.xpending_range(stream, "bot", min="-", max="+", count=1000):
        [(_, fields)] = client.xrange(stream, row["message_id"], row["message_id"])
        if json.loads(fields[b"job"])["sender"] == sender:
            pid = int(row["consumer"].decode().split("-")[-2])
            return cluster.rasa_ports[_pids(cluster).index(pid) - cluster.action_servers]
    raise AssertionError("no server holds the message")


def _start_again(cluster, port):
    """The killed server on `port`, started as `make cluster` starts it and
    warmed with a few turns: a cold server's first turns are slow, and the
    next test's load must meet a server like the others."""
    with same_environment_as_at_start(cluster):
        env = production._environment(cluster)
        production._restart(
            cluster,
            _pids(cluster),
            cluster.action_servers + cluster.rasa_ports.index(port),
            lambda: production._start_rasa(cluster, port, env),
            grace=1,
        )
    for turn in range(3):
        say(f"http://127.0.0.1:{port}", f"warm-{uuid.uuid4().hex}", f"cài bluezone ở đâu {turn}")


def _pids(cluster):
    """Action servers, Rasa servers, nginx (bot/cluster.py)."""
    return [int(p) for p in (cluster.state_dir / "pids").read_text().split()]


def _rasa_pid(cluster, port):
    return _pids(cluster)[cluster.action_servers + cluster.rasa_ports.index(port)]


def test_a_cluster_that_cannot_start_leaves_no_server_running(monkeypatch, tmp_path):
    """nginx missing, say: the servers started before it are stopped, not orphaned."""
    started = []
    real_start = production.start_process

    def start_or_fail(command, env, log=None):
        if command[0] == "nginx":
            raise FileNotFoundError(2, "No such file or directory", "nginx")
        process = real_start(command, env, log=log)
        started.append(process)
        return process

    monkeypatch.setattr(production, "start_process", start_or_fail)
    monkeypatch.setattr(production, "ensure_database", lambda url: None)
    rasa_port = _two_free_ports()
    profile = production.Cluster(
        public_port=free_port(),
        first_rasa_port=rasa_port,
        first_action_port=_two_free_ports(avoid={rasa_port, rasa_port + 1}),
        actions_pool_port=free_port(),
        state_dir=tmp_path / "cluster",
        model=str(tmp_path),
    )
    with pytest.raises(FileNotFoundError):
        production.start(profile)
    assert len(started) == 4
    for process in started:
        process.wait(timeout=30)  # raises if it is still running
