"""Starts the action server and the Rasa server (or `rasa shell`) together
and stops both cleanly on Ctrl-C, or when either one dies.

Why by hand: Rasa has no command that runs both servers; a few lines of
subprocess handling beat asking staff to juggle two terminals.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from bot.channels import registry
from bot.paths import PROJECT_ROOT, project_path
from bot.settings import DEFAULT_TRACKER_DB, MIN_ADMIN_TOKEN_LENGTH, models_dir

# The staff report's password (credentials.yml); empty means the report is off.
ADMIN_ENV = "ADMIN_TOKEN"


@dataclass(frozen=True)
class Ports:
    rasa: int
    actions: int

    @classmethod
    def from_env(cls) -> "Ports":
        return cls(int(os.environ.get("RASA_PORT", 5005)), int(os.environ.get("ACTIONS_PORT", 5055)))


def free_port() -> int:
    """A port free on every address (the servers listen on 0.0.0.0)."""
    with socket.socket() as s:
        s.bind(("", 0))
        return s.getsockname()[1]


def _rasa() -> str:
    """The `rasa` script of the running interpreter's venv."""
    return str(Path(sys.executable).with_name("rasa"))


def server_env(ports: Ports) -> dict:
    env = dict(os.environ)
    env["ACTION_ENDPOINT_URL"] = f"http://localhost:{ports.actions}/webhook"
    env["TRACKER_DB"] = str(project_path(env.get("TRACKER_DB") or DEFAULT_TRACKER_DB))
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    # The action server's library deprecation warnings (rasa_runtime hides the Rasa server's).
    env.setdefault("PYTHONWARNINGS", "ignore")
    # credentials.yml references these; empty means that channel (the report) is off.
    for name in (*registry.secrets(), ADMIN_ENV):
        env.setdefault(name, "")
    # Conversations live in a SQLite file (endpoints.yml); make its folder.
    Path(env["TRACKER_DB"]).parent.mkdir(parents=True, exist_ok=True)
    return env


def action_server_command(ports: Ports) -> List[str]:
    return [_rasa(), "run", "actions", "--actions", "actions", "--port", str(ports.actions)]


def _patched_rasa() -> List[str]:
    """Rasa's command line with bot.rasa_runtime's fixes applied."""
    return [sys.executable, "-m", "bot.rasa_runtime"]


def rasa_server_command(ports: Ports, model: Optional[str] = None, endpoints: str = "endpoints.yml") -> List[str]:
    # No --enable-api: the model and tracker endpoints stay closed.
    return [
        *_patched_rasa(),
        "run",
        "--model",
        model or str(models_dir()),
        "--port",
        str(ports.rasa),
        "--endpoints",
        endpoints,
        "--credentials",
        "credentials.yml",
    ]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{' '.join(process.args[:3])} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def stop(processes: List[subprocess.Popen], grace: float = 15.0) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start(command: List[str], env: dict, quiet: bool = False, log: Optional[Path] = None) -> subprocess.Popen:
    """Output to the terminal, nowhere (`quiet`) or appended to `log`. Rasa's
    command line reads its files (endpoints, credentials, actions) from the
    current directory, so the servers start in the project root."""
    # Own process group: Ctrl-C reaches only us, and we stop children in order.
    if log is not None:
        with open(log, "ab") as output:
            return subprocess.Popen(
                command, env=env, cwd=PROJECT_ROOT, start_new_session=True, stdout=output, stderr=output
            )
    output = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, start_new_session=True, stdout=output, stderr=output)


def report_status(ports: Ports, env: dict) -> str:
    if len(env.get(ADMIN_ENV) or "") < MIN_ADMIN_TOKEN_LENGTH:
        return f"Staff pages: off (set {ADMIN_ENV}, at least {MIN_ADMIN_TOKEN_LENGTH} characters, to turn them on)"
    return (
        f"Staff workbench: http://localhost:{ports.rasa}/admin/ and report: "
        f"http://localhost:{ports.rasa}/admin/report (password: ${ADMIN_ENV})"
    )


def banner(ports: Ports, env: Optional[dict] = None) -> str:
    return "\n".join(
        [
            "",
            "Bluezone assistant is running. Talk to it at:",
            f"Web chat: http://localhost:{ports.rasa}/chat/",
            f"REST: http://localhost:{ports.rasa}/webhooks/rest/webhook",
            *registry.status_lines(env if env is not None else os.environ),
            report_status(ports, env if env is not None else os.environ),
            f"Action server: http://localhost:{ports.actions}/webhook",
            "Terminal chat for staff: make shell",
            "Press Ctrl-C to stop.",
            "",
        ]
    )


def _stop_on_signals() -> None:
    # Ctrl-C even when started in the background (where SIGINT is ignored
    # by default), and SIGTERM (docker stop, systemd) stop the bot alike.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def run(ports: Optional[Ports] = None) -> int:
    ports = ports or Ports.from_env()
    env = server_env(ports)
    processes: List[subprocess.Popen] = []
    _stop_on_signals()
    try:
        print("Khởi động máy chủ hành động và máy chủ trợ lý (khoảng nửa phút)...", flush=True)
        actions = start(action_server_command(ports), env)
        processes.append(actions)
        rasa = start(rasa_server_command(ports), env)
        processes.append(rasa)
        wait_until_up(f"http://localhost:{ports.actions}/health", actions)
        wait_until_up(f"http://localhost:{ports.rasa}/", rasa)
        print(banner(ports, env), flush=True)
        while all(p.poll() is None for p in processes):
            time.sleep(0.3)
        dead = next(p for p in processes if p.poll() is not None)
        print(f"{' '.join(dead.args[:3])} stopped unexpectedly ({dead.returncode}).", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(f"Could not start the bot: {error}", file=sys.stderr)
        return 1
    finally:
        print("Stopping the bot...", flush=True)
        stop(list(reversed(processes)))


def shell(ports: Optional[Ports] = None) -> int:
    """`rasa shell` in this terminal, with the action server behind it."""
    ports = ports or Ports.from_env()
    env = server_env(ports)
    _stop_on_signals()
    print("Khởi động máy chủ hành động và tải mô hình (khoảng nửa phút)...", flush=True)
    actions = start(action_server_command(ports), env)
    try:
        wait_until_up(f"http://localhost:{ports.actions}/health", actions)
        command = [
            *_patched_rasa(),
            "shell",
            "--model",
            str(models_dir()),
            "--endpoints",
            "endpoints.yml",
            "--port",
            str(ports.rasa),
        ]
        return subprocess.call(command, env=env, cwd=PROJECT_ROOT)
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(f"Could not start the action server: {error}", file=sys.stderr)
        return 1
    finally:
        stop([actions])
