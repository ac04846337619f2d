"""`make cluster` / `make cluster-stop`: the production profile on this
machine. N Rasa servers share a PostgreSQL tracker store and a Redis lock
store, call a pool of action servers, and sit behind nginx (sticky for the
web chat's socket.io, any server for REST, Messenger and Zalo).

Configured by environment variables: DATABASE_URL, REDIS_URL,
REDIS_KEY_PREFIX, RASA_SERVERS, ACTION_SERVERS, CLUSTER_PORT (nginx),
CLUSTER_MODEL (default: the newest model in models/), CLUSTER_DIR (pids,
logs, nginx.conf). The processes run in the background; `stop` ends them;
`rollout` restarts the servers one at a time onto a new model and settings. Why by
hand: on one machine without Docker this is the shortest way to run real
engines (docs/deploy.md has Compose and Helm).
"""

import json
import os
import signal
import string
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Collection, Dict, List
from urllib.parse import unquote, urlparse

from bot.channels import registry
from bot.launcher import ADMIN_ENV, Ports, action_server_command, rasa_server_command, server_env, wait_until_up
from bot.launcher import start as start_process
from bot.paths import project_path
from bot.settings import models_dir

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/bluezone"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
ENDPOINTS = "deploy/endpoints.cluster.yml"
NGINX_TEMPLATE = project_path("deploy/nginx.conf.template")
# nginx leaves a server that refused a connection alone for this many seconds.
UPSTREAM_FAIL_TIMEOUT = 5
# Seconds nginx may take to start workers on a new configuration, and to
# tell the old ones to stop taking connections once the new ones run
# (its master waits a tenth of a second in between).
NGINX_RELOAD_TIMEOUT = 15
NGINX_HANDOVER = 0.5
# Seconds a dead server's conversation lock holds its citizens up (Rasa's
# default, 60, would stall them for a minute; a turn takes well under a
# second), and how long nginx waits for a turn: that, plus time to answer.
LOCK_LIFETIME = 10
TURN_TIMEOUT = LOCK_LIFETIME + 10


@dataclass
class Cluster:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS_URL
    redis_key_prefix: str = "bluezone"
    rasa_servers: int = 2
    action_servers: int = 2
    public_port: int = 8080
    first_rasa_port: int = 5011
    first_action_port: int = 5061
    actions_pool_port: int = 5060
    # A model file, or a folder whose newest model the servers load.
    model: str = field(default_factory=lambda: str(models_dir()))
    state_dir: Path = field(default_factory=lambda: project_path("var/cluster"))

    @classmethod
    def from_env(cls) -> "Cluster":
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            redis_url=env.get("REDIS_URL", DEFAULT_REDIS_URL),
            redis_key_prefix=env.get("REDIS_KEY_PREFIX", "bluezone"),
            rasa_servers=int(env.get("RASA_SERVERS", 2)),
            action_servers=int(env.get("ACTION_SERVERS", 2)),
            public_port=int(env.get("CLUSTER_PORT", 8080)),
            first_rasa_port=int(env.get("CLUSTER_FIRST_RASA_PORT", 5011)),
            first_action_port=int(env.get("CLUSTER_FIRST_ACTION_PORT", 5061)),
            actions_pool_port=int(env.get("CLUSTER_ACTIONS_PORT", 5060)),
            model=env.get("CLUSTER_MODEL") or str(models_dir()),
            state_dir=project_path(env.get("CLUSTER_DIR", "var/cluster")),
        )

    @property
    def rasa_ports(self) -> List[int]:
        return [self.first_rasa_port + i for i in range(self.rasa_servers)]

    @property
    def action_ports(self) -> List[int]:
        return [self.first_action_port + i for i in range(self.action_servers)]

    @property
    def url(self) -> str:
        return f"http://localhost:{self.public_port}"


def database_env(url: str) -> Dict[str, str]:
    """DATABASE_URL split into what Rasa's SQL tracker store takes."""
    parts = urlparse(url)
    return {
        "DB_HOST": parts.hostname or "127.0.0.1",
        "DB_PORT": str(parts.port or 5432),
        "DB_NAME": parts.path.lstrip("/") or "bluezone",
        "DB_USER": unquote(parts.username or "postgres"),
        "DB_PASSWORD": unquote(parts.password or ""),
    }


def redis_env(url: str, key_prefix: str) -> Dict[str, str]:
    """REDIS_URL split into what Rasa's Redis lock store takes."""
    parts = urlparse(url)
    return {
        "REDIS_HOST": parts.hostname or "127.0.0.1",
        "REDIS_PORT": str(parts.port or 6379),
        "REDIS_DB": parts.path.lstrip("/") or "0",
        "REDIS_PASSWORD": unquote(parts.password or ""),
        "REDIS_KEY_PREFIX": key_prefix,
    }


def ensure_database(url: str) -> None:
    """Create the database and the events table once, before the servers
    start (several servers creating them at once would race)."""
    import sqlalchemy
    from rasa.core.tracker_store import SQLTrackerStore

    parts = urlparse(url)
    name = database_env(url)["DB_NAME"]
    admin = sqlalchemy.create_engine(parts._replace(path="/postgres").geturl(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            sqlalchemy.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    engine = sqlalchemy.create_engine(url)
    SQLTrackerStore.Base.metadata.create_all(engine)
    engine.dispose()


def nginx_config(cluster: Cluster, draining: Collection[int] = (), config_id: str = "start") -> str:
    """nginx sends nothing new to a `draining` server."""

    def servers(ports: List[int]) -> str:
        return "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout={UPSTREAM_FAIL_TIMEOUT}s"
            f"{' down' if port in draining else ''};"
            for port in ports
        )

    return string.Template(NGINX_TEMPLATE.read_text(encoding="utf-8")).substitute(
        state_dir=cluster.state_dir.resolve(),
        max_body="64k",
        ip_rate=20,
        ip_burst=40,
        turn_timeout=TURN_TIMEOUT,
        rasa_servers=servers(cluster.rasa_ports),
        action_servers=servers(cluster.action_ports),
        public_port=cluster.public_port,
        actions_port=cluster.actions_pool_port,
        config_id=config_id,
        platform_locations="\n".join(
            f"        location {path} {{ proxy_pass http://rasa_any; }}" for path in registry.platform_paths()
        ),
    )


def _environment(cluster: Cluster) -> Dict[str, str]:
    env = dict(
        server_env(Ports(0, cluster.actions_pool_port)),
        **database_env(cluster.database_url),
        **redis_env(cluster.redis_url, cluster.redis_key_prefix),
    )
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{cluster.actions_pool_port}/webhook"
    # nginx limits per address and forwards the citizen's address. A server
    # that dies mid-turn leaves its conversation's lock in Redis: it expires
    # after TICKET_LOCK_LIFETIME seconds.
    env.update(SANIC_PROXIES_COUNT="1", BOT_PER_ADDRESS_PER_MINUTE="0", TICKET_LOCK_LIFETIME=str(LOCK_LIFETIME))
    # A deploy from one server's workbench reaches the others (bot/rolling_deploy.py)
    # through the models folder they all load from.
    env["BOT_PEERS"] = ",".join(f"http://127.0.0.1:{port}" for port in cluster.rasa_ports)
    if Path(cluster.model).is_dir():
        env["BOT_MODELS_DIR"] = str(Path(cluster.model).resolve())
    return env


def _start_actions(cluster: Cluster, port: int, env: Dict[str, str]) -> subprocess.Popen:
    return start_process(
        action_server_command(Ports(0, port)), env, log=cluster.state_dir / "logs" / f"actions-{port}.log"
    )


def _start_rasa(cluster: Cluster, port: int, env: Dict[str, str]) -> subprocess.Popen:
    command = rasa_server_command(Ports(port, cluster.actions_pool_port), model=cluster.model, endpoints=ENDPOINTS)
    return start_process(command, env, log=cluster.state_dir / "logs" / f"rasa-{port}.log")


def start(cluster: Cluster) -> List[subprocess.Popen]:
    state = cluster.state_dir
    for folder in ("logs", "tmp"):
        (state / folder).mkdir(parents=True, exist_ok=True)
    ensure_database(cluster.database_url)
    env = _environment(cluster)
    (state / "nginx.conf").write_text(nginx_config(cluster), encoding="utf-8")

    processes: List[subprocess.Popen] = []
    try:
        for port in cluster.action_ports:
            processes.append(_start_actions(cluster, port, env))
        for port in cluster.rasa_ports:
            processes.append(_start_rasa(cluster, port, env))
        processes.append(
            start_process(
                ["nginx", "-p", str(state.resolve()), "-c", str((state / "nginx.conf").resolve())],
                env,
                log=state / "logs" / "nginx.log",
            )
        )
    except OSError:  # nginx missing, say: the servers already started must not outlive this
        _terminate([p.pid for p in processes], grace=5.0)
        raise
    _write_pids(cluster, [p.pid for p in processes])
    (state / "secrets-set").write_text("\n".join(_secrets_set(env)) + "\n")
    (state / "cluster.json").write_text(json.dumps(_shape(cluster), indent=1), encoding="utf-8")
    try:
        for port, process in zip([*cluster.action_ports, *cluster.rasa_ports], processes):
            wait_until_up(_health_url(cluster, port), process)
        wait_until_up(f"http://127.0.0.1:{cluster.public_port}/chat/", processes[-1])
    except RuntimeError:
        stop(cluster)
        raise
    return processes


def rollout(cluster: Cluster, grace: float = 20.0) -> None:
    """Restarts the action servers, then the Rasa servers, one at a time: the
    Rasa servers load the newest model in `cluster.model`, and both read
    data/settings.yml afresh. nginx stops sending new requests to a server
    before it stops, and the stopped server finishes those in flight
    (SIGTERM is Sanic's graceful stop); it gets requests again once it
    answers. Leaving it to nginx to notice the server gone would not do:
    nginx then holds back a restarted server until a first request to it
    has come back, so stopping the next server meanwhile leaves none."""
    pids = _read_pids(cluster)
    shape_file = cluster.state_dir / "cluster.json"
    # A cluster started before its settings were kept in cluster.json is not checked.
    started = json.loads(shape_file.read_text(encoding="utf-8")) if shape_file.exists() else _shape(cluster)
    changed = sorted(name for name, value in _shape(cluster).items() if started.get(name) != value)
    if changed:
        raise RuntimeError(
            f"{', '.join(changed)} differ from when the cluster started: run the rollout with the same "
            "settings (RASA_SERVERS, CLUSTER_PORT, DATABASE_URL...), or stop the cluster and start it again."
        )
    env = _environment(cluster)
    missing = set((cluster.state_dir / "secrets-set").read_text().split()) - set(_secrets_set(env))
    if missing:
        raise RuntimeError(
            f"{', '.join(sorted(missing))} was set when the cluster started but is not now: "
            "run the rollout with the same environment, or the new servers would lose it."
        )
    for slot, port in enumerate(cluster.action_ports):
        _restart(cluster, pids, slot, lambda: _start_actions(cluster, port, env), grace)
    for index, port in enumerate(cluster.rasa_ports):
        _restart(cluster, pids, cluster.action_servers + index, lambda: _start_rasa(cluster, port, env), grace)


def _restart(cluster: Cluster, pids: List[int], slot: int, start: Callable[[], subprocess.Popen], grace: float) -> None:
    """The server in `slot` (the pids file's order), out of nginx while it restarts."""
    port = [*cluster.action_ports, *cluster.rasa_ports][slot]
    _reload_nginx(cluster, pids, draining={port})
    _terminate([pids[slot]], grace)
    process = start()
    pids[slot] = process.pid
    _write_pids(cluster, pids)
    wait_until_up(_health_url(cluster, port), process)
    _reload_nginx(cluster, pids)


def _health_url(cluster: Cluster, port: int) -> str:
    """Where a server answers once it is up: an action server's /health, a Rasa server's root."""
    return f"http://127.0.0.1:{port}/health" if port in cluster.action_ports else f"http://127.0.0.1:{port}/"


def _reload_nginx(cluster: Cluster, pids: List[int], draining: Collection[int] = ()) -> None:
    """Returns once nginx's workers run the new configuration (requests in
    flight finish on the old workers). A configuration nginx rejects is
    never put in place: the running one stays."""
    config_id = uuid.uuid4().hex
    config, candidate = cluster.state_dir / "nginx.conf", cluster.state_dir / "nginx.conf.new"
    candidate.write_text(nginx_config(cluster, draining, config_id), encoding="utf-8")
    test = subprocess.run(
        ["nginx", "-t", "-q", "-p", str(cluster.state_dir.resolve()), "-c", str(candidate.resolve())],
        capture_output=True,
        text=True,
    )
    if test.returncode != 0:
        raise RuntimeError(f"nginx rejects its new configuration ({candidate}): {test.stderr.strip()}")
    os.replace(candidate, config)
    os.kill(pids[-1], signal.SIGHUP)
    deadline = time.monotonic() + NGINX_RELOAD_TIMEOUT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{cluster.actions_pool_port}/nginx-config", timeout=2
            ) as reply:
                if reply.read().decode() == config_id:
                    # The master tells the old workers to stop taking
                    # connections a moment after the new ones start.
                    time.sleep(NGINX_HANDOVER)
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(
        f"nginx did not take its new configuration: see {cluster.state_dir / 'logs' / 'nginx-error.log'}"
    )


def _shape(cluster: Cluster) -> Dict[str, str]:
    """What the servers and nginx were started with, secrets aside."""
    return {f.name: str(getattr(cluster, f.name)) for f in fields(cluster) if f.name != "state_dir"}


def _secrets_set(env: Dict[str, str]) -> List[str]:
    """Which secrets the servers got (names only, never values): a rollout
    from a shell that lacks one would silently turn a channel or the
    report off."""
    return [name for name in (*registry.secrets(), ADMIN_ENV) if env.get(name)]


def _write_pids(cluster: Cluster, pids: List[int]) -> None:
    """Action servers, then Rasa servers, then nginx."""
    (cluster.state_dir / "pids").write_text("\n".join(map(str, pids)) + "\n")


def _read_pids(cluster: Cluster) -> List[int]:
    pids_file = cluster.state_dir / "pids"
    if not pids_file.exists():
        raise RuntimeError(f"No cluster runs from {cluster.state_dir} (start it with `make cluster`).")
    return [int(line) for line in pids_file.read_text().split()]


def stop(cluster: Cluster, grace: float = 20.0) -> None:
    if not (cluster.state_dir / "pids").exists():
        return
    _terminate(list(reversed(_read_pids(cluster))), grace)  # nginx first, action servers last
    (cluster.state_dir / "pids").unlink()


def _terminate(pids: List[int], grace: float) -> None:
    """SIGTERM to each process group, SIGKILL to any still alive after `grace` seconds."""
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    for pid in pids:
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a child of ours that has exited but not been reaped
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


def banner(cluster: Cluster) -> str:
    lines = [
        "",
        f"Bluezone cluster is running behind nginx: {cluster.url}",
        f"Web chat: {cluster.url}/chat/",
        f"REST: {cluster.url}/webhooks/rest/webhook",
    ]
    lines += [f"Rasa server {i}: http://localhost:{port}" for i, port in enumerate(cluster.rasa_ports, 1)]
    lines += ["New model: make train, then make cluster-rollout", "Stop it with: make cluster-stop", ""]
    return "\n".join(lines)
