"""From staff labels to the bot citizens talk to, on one machine: train a
candidate model in the background, compare it with the live one, deploy
it, and roll back to the model before.

- The live model is models/bluezone.tar.gz (what `make run` loads at start).
- `python -m bot.shipping prepare` (started by the workbench, detached)
  trains models/candidates/candidate.tar.gz from the training data staff
  edit (bot.settings.training_data_dir), then compares both models on the
  project's evaluation set (tests/nlu_dev), on the questions labelled
  since the live model was made and on staff's own test conversations
  (data/checks/, bot/staff_checks.py). Its progress is var/shipping.json.
- Deploying keeps the live model in models/previous/ and moves the
  candidate in; the running server loads it without a restart (Rasa's
  Agent.load_model), so no conversation is lost: they live in the store.
"""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from bot import staff_checks
from bot.nlu import retrieval
from bot.paths import PROJECT_ROOT, project_path
from bot.settings import models_dir, training_data_dir

MODELS = models_dir()
LIVE = MODELS / "bluezone.tar.gz"
CANDIDATES = MODELS / "candidates"
CANDIDATE = CANDIDATES / "candidate.tar.gz"
PREVIOUS = MODELS / "previous"
STATUS = project_path("var/shipping.json")
LOG = project_path("var/logs/candidate-train.log")
EVALUATION_SET = project_path("tests/nlu_dev")
EVALUATION_SLICES = ("plain", "unaccented", "teencode", "typos", "long", "formal")
FLIPS_SHOWN = 20


def status(path: Path = STATUS) -> Dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"state": "idle"}


def _write_status(update: Dict[str, Any], path: Path = STATUS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    current = {**status(path), **update, "updated": time.time()}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(current, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)  # readers never see half a file


def busy() -> bool:
    state = status()
    pid = state.get("pid")
    if state.get("state") not in ("training", "comparing") or not pid:
        return False
    try:
        os.kill(int(pid), 0)
        return True
    except (ProcessLookupError, ValueError):
        return False


def start_preparing() -> bool:
    """Starts `prepare` in the background; False when one is already running."""
    if busy():
        return False
    STATUS.unlink(missing_ok=True)
    _write_status({"state": "training", "started": time.time(), "step": 0})
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.shipping", "prepare"],
        cwd=PROJECT_ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _write_status({"pid": process.pid})
    return True


def current_status() -> Dict[str, Any]:
    """The status, saying "failed" for a preparation whose process died."""
    state = status()
    if state.get("state") in ("training", "comparing") and state.get("pid") and not busy():
        return {**state, "state": "failed", "log": ["Tiến trình huấn luyện đã dừng giữa chừng."]}
    return state


def training_args() -> List[str]:
    data = [str(training_data_dir() / part) for part in ("nlu", "responses", "rules", "stories")]
    return [
        "--config", str(project_path("config.yml")),
        "--domain", str(project_path("domain.yml")),
        "--data", *data,
        "--out", str(CANDIDATES),
        "--fixed-model-name", "candidate",
    ]  # fmt: skip


def evaluation_cases() -> List[Tuple[str, str]]:
    """(text, expected exact question) of the evaluation set."""
    import yaml

    cases = []
    for name in EVALUATION_SLICES:
        path = EVALUATION_SET / f"{name}.yml"
        if not path.exists():
            continue
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    cases.append((line.strip()[2:].strip(), str(block["intent"])))
    return cases


def recently_labelled(since: float) -> List[Tuple[str, str]]:
    from bot import audit

    return [(e["text"], e["label"]) for e in audit.entries() if e.get("action") == "label" and e["at"] >= since]


def _right(expected: str, answer: str) -> bool:
    return answer == expected or answer.split("/")[0] == expected


async def _parse_all(model: Path, texts: List[str]) -> List[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [retrieval.answer_of(await agent.parse_message(text)) for text in texts]


def compare(live: Path, candidate: Path, cases: List[Tuple[str, str]], labelled: List[Tuple[str, str]]) -> Dict:
    """Right answers of both models and the questions that flipped."""
    import asyncio

    from bot import rasa_runtime

    rasa_runtime.apply()
    texts = [t for t, _ in cases] + [t for t, _ in labelled]
    before = asyncio.run(_parse_all(live, texts)) if live.exists() else [""] * len(texts)
    after = asyncio.run(_parse_all(candidate, texts))
    rows = [
        {"text": text, "expected": expected, "before": b, "after": a}
        for (text, expected), b, a in zip([*cases, *labelled], before, after)
    ]
    evaluation, taught = rows[: len(cases)], rows[len(cases) :]
    for row in rows:
        row["right_before"], row["right_after"] = (
            _right(row["expected"], row["before"]),
            _right(row["expected"], row["after"]),
        )
    return {"evaluation": summary(evaluation), "labelled": [{**r, "learnt": r["right_after"]} for r in taught]}


def summary(rows: List[Dict[str, Any]]) -> Dict[str, Any]:
    """How many rows each model got right, and the rows that flipped."""
    return {
        "cases": len(rows),
        "right_before": sum(r["right_before"] for r in rows),
        "right_after": sum(r["right_after"] for r in rows),
        "better": [r for r in rows if r["right_after"] and not r["right_before"]][:FLIPS_SHOWN],
        "worse": [r for r in rows if r["right_before"] and not r["right_after"]][:FLIPS_SHOWN],
    }


def compare_checks(live: Path, candidate: Path, kept: List[Tuple[str, List[Any]]]) -> Dict[str, Any]:
    """Both models on staff's own test conversations (bot/staff_checks.py),
    each run whole, with the action server, as the citizens' bot runs."""
    from bot.staff_bench import LoadedModel, action_server, load_agent
    from bot.staff_tools import matches, understood

    def run(model: Path, url: str) -> List[Tuple[str, bool]]:
        bench = LoadedModel(load_agent(url, model))
        results = []
        for _, conversation in kept:
            thread = f"check-{uuid.uuid4().hex}"
            for case in conversation:
                turn = bench.say(thread, case.question)
                results.append(
                    (understood(turn, exact=bool(case.expected and "/" in case.expected)), matches(case, turn))
                )
        return results

    with action_server() as (url, wait):
        wait()
        after = run(candidate, url)
        before = run(live, url) if live.exists() else [("", False)] * len(after)
    cases = [(name, case) for name, conversation in kept for case in conversation]
    rows = [
        {
            "conversation": name,
            "text": case.question,
            "expected": case.expected or f'"{case.phrase}"',
            "before": b[0],
            "after": a[0],
            "right_before": b[1],
            "right_after": a[1],
        }
        for (name, case), b, a in zip(cases, before, after)
        if case.expected or case.phrase is not None
    ]
    return summary(rows)


def prepare() -> int:
    """Trains the candidate and compares it (run in the background)."""
    from bot.training import train

    def progress(step: int, steps: Optional[int], component: str, seconds: float) -> None:
        _write_status({"step": step, "steps": steps, "component": component, "seconds": round(seconds)})

    CANDIDATES.mkdir(parents=True, exist_ok=True)
    code = train(training_args(), progress, LOG)
    if code != 0 or not CANDIDATE.exists():
        tail = LOG.read_text(encoding="utf-8", errors="replace").splitlines()[-20:] if LOG.exists() else []
        _write_status({"state": "failed", "log": tail})
        return 1
    _write_status({"state": "comparing"})
    since = LIVE.stat().st_mtime if LIVE.exists() else 0.0
    comparison = compare(LIVE, CANDIDATE, evaluation_cases(), recently_labelled(since))
    kept = staff_checks.conversations()
    comparison["checks"] = compare_checks(LIVE, CANDIDATE, kept) if kept else None
    _write_status({"state": "ready", "comparison": comparison, "model": CANDIDATE.name})
    return 0


def deploy() -> Path:
    """Moves the candidate in as the live model, keeping the live one."""
    if not CANDIDATE.exists():
        raise FileNotFoundError("Chưa có mô hình mới: hãy huấn luyện lại trước.")
    PREVIOUS.mkdir(parents=True, exist_ok=True)
    if LIVE.exists():
        LIVE.replace(PREVIOUS / f"bluezone-{time.strftime('%Y%m%d-%H%M%S')}.tar.gz")
    CANDIDATE.replace(LIVE)
    _write_status({"state": "deployed", "deployed": time.time()})
    return LIVE


def rollback() -> Path:
    """The newest kept model becomes live again."""
    kept = sorted(PREVIOUS.glob("bluezone-*.tar.gz"))
    if not kept:
        raise FileNotFoundError("Không có mô hình trước để quay lại.")
    kept[-1].replace(LIVE)
    os.utime(LIVE)
    _write_status({"state": "rolled_back", "rolled_back": time.time()})
    return LIVE


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        sys.exit(prepare())
    print("usage: python -m bot.shipping prepare", file=sys.stderr)
    sys.exit(2)
