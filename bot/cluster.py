"""`make cluster` / `make cluster-stop`: the production profile on this
machine. N Rasa servers share a PostgreSQL tracker store and a Redis lock
store, call a pool of action servers, and sit behind nginx (sticky for the
web chat's socket.io, any server for REST and Messenger).

Configured by environment variables: DATABASE_URL, REDIS_URL,
REDIS_KEY_PREFIX, RASA_SERVERS, ACTION_SERVERS, CLUSTER_PORT (nginx),
CLUSTER_DIR (pids, logs, nginx.conf). The processes run in the background;
`stop` ends them. Why by hand: on one machine without Docker this is the
shortest way to run real engines (docs/deploy.md has Compose and Helm).
"""
import os
import signal
import string
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List
from urllib.parse import unquote, urlparse

from bot.launcher import Ports, action_server_command, rasa_server_command, server_env, wait_until_up
from bot.launcher import start as start_process

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/bluezone"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
ENDPOINTS = "deploy/endpoints.cluster.yml"
NGINX_TEMPLATE = Path("deploy/nginx.conf.template")


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
    state_dir: Path = field(default_factory=lambda: Path("var/cluster"))

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
            state_dir=Path(env.get("CLUSTER_DIR", "var/cluster")),
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
        exists = connection.execute(sqlalchemy.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    engine = sqlalchemy.create_engine(url)
    SQLTrackerStore.Base.metadata.create_all(engine)
    engine.dispose()


def nginx_config(cluster: Cluster) -> str:
    def servers(ports: List[int]) -> str:
        return "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in ports)

    return string.Template(NGINX_TEMPLATE.read_text(encoding="utf-8")).substitute(
        state_dir=cluster.state_dir.resolve(),
        max_body="64k",
        ip_rate=20,
        ip_burst=40,
        rasa_servers=servers(cluster.rasa_ports),
        action_servers=servers(cluster.action_ports),
        public_port=cluster.public_port,
        actions_port=cluster.actions_pool_port,
    )


def start(cluster: Cluster) -> List[subprocess.Popen]:
    state = cluster.state_dir
    for folder in ("logs", "tmp"):
        (state / folder).mkdir(parents=True, exist_ok=True)
    ensure_database(cluster.database_url)
    env = dict(server_env(Ports(0, cluster.actions_pool_port)),
               **database_env(cluster.database_url), **redis_env(cluster.redis_url, cluster.redis_key_prefix))
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{cluster.actions_pool_port}/webhook"
    # nginx limits per address and forwards the citizen's address. A server
    # that dies mid-turn leaves its conversation's lock in Redis: it expires
    # after TICKET_LOCK_LIFETIME seconds (Rasa's default, 60, stalls that
    # citizen for a minute; a turn takes well under a second).
    env.update(SANIC_PROXIES_COUNT="1", BOT_PER_ADDRESS_PER_MINUTE="0", TICKET_LOCK_LIFETIME="10")
    (state / "nginx.conf").write_text(nginx_config(cluster), encoding="utf-8")

    processes = []
    for port in cluster.action_ports:
        processes.append(start_process(action_server_command(Ports(0, port)), env, log=state / "logs" / f"actions-{port}.log"))
    for port in cluster.rasa_ports:
        command = rasa_server_command(Ports(port, cluster.actions_pool_port), endpoints=ENDPOINTS)
        processes.append(start_process(command, env, log=state / "logs" / f"rasa-{port}.log"))
    processes.append(start_process(["nginx", "-p", str(state.resolve()), "-c", str((state / "nginx.conf").resolve())],
                                   env, log=state / "logs" / "nginx.log"))
    (state / "pids").write_text("\n".join(str(p.pid) for p in processes) + "\n")
    try:
        for port, process in zip(cluster.action_ports, processes):
            wait_until_up(f"http://127.0.0.1:{port}/health", process)
        for port, process in zip(cluster.rasa_ports, processes[cluster.action_servers:]):
            wait_until_up(f"http://127.0.0.1:{port}/", process)
        wait_until_up(f"http://127.0.0.1:{cluster.public_port}/chat/", processes[-1])
    except RuntimeError:
        stop(cluster)
        raise
    return processes


def stop(cluster: Cluster, grace: float = 20.0) -> None:
    pids_file = cluster.state_dir / "pids"
    if not pids_file.exists():
        return
    pids = [int(line) for line in pids_file.read_text().split()]
    for pid in reversed(pids):  # nginx first, action servers last
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
    pids_file.unlink()


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
    lines = ["", f"Bluezone cluster is running behind nginx: {cluster.url}",
             f"Web chat: {cluster.url}/chat/", f"REST: {cluster.url}/webhooks/rest/webhook"]
    lines += [f"Rasa server {i}: http://localhost:{port}" for i, port in enumerate(cluster.rasa_ports, 1)]
    lines += ["Stop it with: make cluster-stop", ""]
    return "\n".join(lines)
