"""The last cross-validation's results, kept with a fingerprint of what they
depend on: the training data, the pipelines' configs, the NLU components
and the locked packages. Cross-validation takes about an hour here, longer
than the rest of `make eval`; a run without it (`--skip-cv`) reports the
kept results when nothing they depend on has changed since, and says so,
instead of leaving the section empty."""

import datetime
import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any, Dict, Iterable, Optional

from bot.paths import PROJECT_ROOT

RECORD = PROJECT_ROOT / "benchmarks" / "eval_cv.json"
# Everything cross-validation reads or runs: data/ as a whole (components
# read the lexicon and the question families, not only data/nlu).
INPUTS = ("config.yml", "benchmarks/configs", "data", "bot/nlu", "requirements.lock")


def _files(root: Path, names: Iterable[str]) -> Iterable[Path]:
    for name in names:
        path = root / name
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        elif path.exists():
            yield path


def fingerprint(root: Path = PROJECT_ROOT, extra: str = "") -> str:
    """A hash of the inputs' paths and contents, and of `extra` (the
    cross-validation code itself)."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for path in _files(root, INPUTS):
        digest.update(str(path.relative_to(root)).encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _commit(root: Path) -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
        return done.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def save(results: Dict[str, Any], inputs: str, path: Path = RECORD, root: Path = PROJECT_ROOT) -> None:
    record = {
        "fingerprint": inputs,
        "date": datetime.date.today().isoformat(),
        "commit": _commit(root),
        "results": results,
    }
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def kept(inputs: str, path: Path = RECORD) -> Optional[Dict[str, Any]]:
    """The kept record when its inputs are the same as now, else None."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("fingerprint") == inputs and record.get("results") else None
