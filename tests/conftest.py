"""Shared fixtures: one trained model per test run (trained only if `make
train` has not built it), and the real stack for the channel tests."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.stack import FakeGraphApi, FakeZaloApi, RunningBot

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "bluezone.tar.gz"

os.environ.setdefault("ACTION_ENDPOINT_URL", "http://localhost:5055/webhook")
os.environ.setdefault("TRACKER_DB", str(ROOT / "var" / "tracker.db"))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


# Tests that need the trained model (and the servers started from it) are
# marked `stack`; `make test-fast` runs the others.
NEEDS_THE_STACK = {"trained_model"}


def pytest_collection_modifyitems(items):
    for item in items:
        if NEEDS_THE_STACK & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.stack)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL.exists():
        rasa = Path(sys.executable).with_name("rasa")
        subprocess.run([str(rasa), "train", "--fixed-model-name", "bluezone", "--out", "models"], check=True, cwd=ROOT)
    return MODEL


@pytest.fixture(scope="session")
def running_bot(trained_model, tmp_path_factory):
    """One real stack for the channel tests: REST, socket.io with the web
    page, Messenger and Zalo pointed at local fakes of their APIs."""
    graph, zalo = FakeGraphApi(), FakeZaloApi()
    bot = RunningBot(tmp_path_factory.mktemp("stack"), graph, zalo)
    try:
        yield bot.wait()
    finally:
        bot.stop()
        graph.close()
        zalo.close()
