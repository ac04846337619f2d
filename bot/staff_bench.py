"""Where the staff commands (`python -m bot ask`, `check`) try messages:
the bot running on this machine, through the workbench's API, when
ADMIN_TOKEN is set and it answers; otherwise the trained model loaded in
this process, with an action server of its own. Either way a trial is a
conversation kept in memory, never in the citizens' store.
"""

import asyncio
import json
import logging
import os
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional, Tuple

from bot.paths import project_path
from bot.settings import models_dir


class RunningBot:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def say(self, conversation: str, text: str) -> Dict[str, Any]:
        request = urllib.request.Request(
            f"{self.url}/admin/api/say",
            data=json.dumps({"conversation": conversation, "message": text}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            return json.loads(reply.read())

    @classmethod
    def here(cls) -> Optional["RunningBot"]:
        """The bot on this machine's RASA_PORT, if ADMIN_TOKEN lets us in."""
        from bot.channels.staff_access import usable_token
        from bot.launcher import Ports

        token = usable_token(os.environ.get("ADMIN_TOKEN"))
        if not token:
            return None
        bot = cls(f"http://localhost:{Ports.from_env().rasa}", token)
        request = urllib.request.Request(f"{bot.url}/admin/", headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=5):
                return bot
        except (OSError, ValueError):
            return None


class LoadedModel:
    def __init__(self, agent: Any) -> None:
        from bot.staff_trial import Workbench

        self.workbench = Workbench(agent)
        self.loop = asyncio.new_event_loop()

    def say(self, conversation: str, text: str) -> Dict[str, Any]:
        return self.loop.run_until_complete(self.workbench.say(conversation, text)).as_json()


def quiet_rasa() -> None:
    """Staff see our output only, not Rasa's and TensorFlow's logs."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)


def load_agent(action_endpoint: Optional[str] = None, model: Optional[Path] = None) -> Any:
    """The trained bot (the live model unless `model`) with our answers
    (NLG) and an in-memory tracker, reading messages as the server does
    (bot.rasa_runtime)."""
    quiet_rasa()
    from bot import rasa_runtime

    rasa_runtime.apply()
    from rasa.core.agent import load_agent as rasa_load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from bot.launcher import Ports, server_env

    # endpoints.yml names these variables; only its NLG is used here.
    for name, value in server_env(Ports.from_env()).items():
        os.environ.setdefault(name, value)
    configured = AvailableEndpoints.read_endpoints(str(project_path("endpoints.yml")))
    endpoints = AvailableEndpoints(
        nlg=configured.nlg, action=EndpointConfig(action_endpoint) if action_endpoint else None
    )
    model = model or models_dir() / "bluezone.tar.gz"
    return asyncio.run(rasa_load_agent(model_path=str(model), endpoints=endpoints))


@contextmanager
def action_server() -> Iterator[Tuple[str, Callable[[], None]]]:
    """An action server of our own: its webhook URL, and a function that
    waits until it answers (a model can load meanwhile)."""
    from bot.launcher import Ports, action_server_command, free_port, server_env, start, stop, wait_until_up

    ports = Ports(rasa=0, actions=free_port())
    actions = start(action_server_command(ports), server_env(ports), quiet=True)
    try:
        yield (
            f"http://localhost:{ports.actions}/webhook",
            lambda: wait_until_up(f"http://localhost:{ports.actions}/health", actions),
        )
    finally:
        stop([actions])


@contextmanager
def open_bench() -> Iterator[Any]:
    """Something with `say(conversation, text)` returning a workbench turn."""
    running = RunningBot.here()
    if running is not None:
        yield running
        return
    print("(Bot chưa chạy trên máy này: đang tải mô hình, khoảng nửa phút...)", file=sys.stderr)
    with action_server() as (url, wait):
        agent = load_agent(url)
        wait()
        yield LoadedModel(agent)
