"""`python -m bot train` (`make train`): Rasa's training, told in plain
steps for whoever runs `make run` the first time.

Rasa prints a few hundred lines of progress bars and library deprecation
warnings; here each component is one line with the time so far, against
how long the last full training took on this machine. Everything Rasa
printed goes to var/logs/train.log, and its last lines are shown when
training fails, so real errors are never hidden.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

from bot.paths import PROJECT_ROOT, project_path

LOG = project_path("var/logs/train.log")
# How long the last training from scratch took here, and its steps.
LAST_FULL = project_path("var/logs/last-full-training.json")
_STARTED = re.compile(r"Starting to train component '(\w+)'")
_CACHED = re.compile(r"Restored component '(\w+)' from cache")
_SHOWN_ERRORS = re.compile(r"\b(ERROR|CRITICAL|Traceback)\b")
TAIL_LINES = 40
RASA_TRAIN = [sys.executable, "-m", "bot.rasa_runtime", "train"]


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} phút" if seconds >= 90 else f"{seconds:.0f} giây"


def _last_full() -> Dict[str, float]:
    try:
        last = json.loads(LAST_FULL.read_text())
        return {"seconds": float(last["seconds"]), "steps": int(last["steps"])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


Progress = Callable[[int, Optional[int], str, float], None]  # step, steps, component, seconds


def train(
    args: Optional[List[str]] = None, progress: Optional[Progress] = None, log_path: Optional[Path] = None
) -> int:
    """Rasa's training with `args`; `progress` hears of each component."""
    args = args or ["--fixed-model-name", "bluezone", "--out", "models"]
    log_path = log_path or LOG
    log_path.parent.mkdir(parents=True, exist_ok=True)
    last = _last_full()
    total = f"/{last['steps']}" if last else ""
    estimate = f" (từ đầu mất khoảng {_minutes(last['seconds'])})" if last else " (lần đầu thường vài phút)"
    print(f"Huấn luyện mô hình nếu dữ liệu đã đổi{estimate}...", flush=True)
    began, step, trained = time.monotonic(), 0, 0
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [*RASA_TRAIN, *args],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        for line in process.stdout:
            log.write(line)
            started, cached = _STARTED.search(line), _CACHED.search(line)
            if started or cached:
                step += 1
                trained += bool(started)
                what = "huấn luyện" if started else "dùng lại"
                name = (started or cached).group(1)
                print(f"  [{step}{total}] {what} {name} ({_minutes(time.monotonic() - began)})", flush=True)
                if progress is not None:
                    progress(step, last.get("steps"), name, time.monotonic() - began)
            elif _SHOWN_ERRORS.search(line):
                print(f"  {line.rstrip()}", flush=True)
        code = process.wait()
    seconds = time.monotonic() - began
    if code != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-TAIL_LINES:]
        print("\n".join(["Huấn luyện thất bại. Cuối nhật ký:", *tail, f"(toàn bộ: {log_path})"]), file=sys.stderr)
        return code
    if step and trained == step:  # nothing came from the cache
        LAST_FULL.write_text(json.dumps({"seconds": round(seconds), "steps": step}))
    print(f"Xong ({_minutes(seconds)}). Mô hình: models/bluezone.tar.gz", flush=True)
    return 0
