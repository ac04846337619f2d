"""Where one turn's time goes: the bot answers held-out questions in this
process (the server's code, its tracker store and a real action server),
and the time spent in each stage of Rasa's turn is added up.

Stages are timed by wrapping Rasa's own methods in this process only; a
stage's time includes the stages it calls (parsing includes the NLU graph,
which is also listed node by node).
"""

import asyncio
import functools
import logging
import os
import random
import tempfile
import time
import uuid
from collections import defaultdict
from typing import Dict, List, Tuple

from bot.paths import project_path

# (label, owner, method, is a coroutine)
STAGES = (
    ("load the conversation (tracker store)", "store", "retrieve", True),
    ("read the message in its conversation (bot.conversation)", "processor", "parse_message", True),
    ("  NLU graph, all parses of the turn", "processor", "_parse_message_with_graph", False),
    ("choose the next actions (policies)", "processor", "_predict_next_with_tracker", False),
    ("run the actions (responses, action server)", "processor", "_run_action", True),
    ("save the conversation (tracker store)", "store", "save", True),
)
TURN = "whole turn (handle_message)"


def _timed(spent: Dict[str, float], label: str, function, is_coroutine: bool):
    if is_coroutine:

        @functools.wraps(function)
        async def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - began
    else:

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - began

    return wrapper


def profile_turns(model: str, questions: List[str], turns: int = 400) -> List[Tuple[str, float]]:
    """(stage, ms per turn), the whole turn first, then the stages, then the
    NLU graph's nodes."""
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.core.utils import AvailableEndpoints
    from rasa.engine.graph import GraphNode
    from rasa.utils.log_utils import configure_structlog

    from bot import rasa_runtime
    from bot.launcher import Ports, action_server_command, free_port, server_env, start, stop, wait_until_up
    from bot.tracker_store import WindowedSQLTrackerStore

    rasa_runtime.apply()
    configure_structlog(logging.WARNING)
    ports = Ports(free_port(), free_port())
    spent: Dict[str, float] = defaultdict(float)
    owners = {"store": WindowedSQLTrackerStore, "processor": MessageProcessor}
    originals = [(owners[o], m, getattr(owners[o], m)) for _, o, m, _ in STAGES]
    originals.append((GraphNode, "__call__", GraphNode.__call__))
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(server_env(ports), TRACKER_DB=os.path.join(tmp, "profile.db"))
        saved_env = dict(os.environ)
        os.environ.update(env)
        actions = start(action_server_command(ports), env, quiet=True)
        try:
            wait_until_up(f"http://127.0.0.1:{ports.actions}/health", actions)
            for label, owner, method, is_coroutine in STAGES:
                setattr(owners[owner], method, _timed(spent, label, getattr(owners[owner], method), is_coroutine))
            node_call = GraphNode.__call__

            def timed_node(node, *args):
                began = time.perf_counter()
                try:
                    return node_call(node, *args)
                finally:
                    spent[f"  node {node._node_name}"] += time.perf_counter() - began

            GraphNode.__call__ = timed_node

            async def run() -> int:
                agent = await load_agent(
                    model_path=model, endpoints=AvailableEndpoints.read_endpoints(str(project_path("endpoints.yml")))
                )
                rng = random.Random(7)

                async def conversations(count: int) -> int:
                    """Turns answered: at least `count`, the last conversation finished."""
                    done = 0
                    while done < count:
                        sender = f"profile-{uuid.uuid4().hex}"
                        for _ in range(rng.randint(1, 8)):
                            began = time.perf_counter()
                            message = UserMessage(rng.choice(questions), CollectingOutputChannel(), sender)
                            await agent.handle_message(message)
                            spent[TURN] += time.perf_counter() - began
                            done += 1
                    return done

                await conversations(50)  # warm-up
                spent.clear()
                return await conversations(turns)

            count = asyncio.run(run())
        finally:
            for owner, method, original in originals:
                setattr(owner, method, original)
            stop([actions])
            os.environ.clear()
            os.environ.update(saved_env)
    nodes = sorted(((k, v) for k, v in spent.items() if k.startswith("  node ")), key=lambda kv: -kv[1])
    stages = [(label, spent[label]) for label, *_ in STAGES]
    return [
        (label, seconds * 1000 / count)
        for label, seconds in [(TURN, spent[TURN]), *stages, *nodes]
        if seconds * 1000 / count >= 0.05
    ]
