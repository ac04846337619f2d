"""Who changed what in the bot from the staff pages, and when: one JSON
line per change in var/audit.log, appended under a lock so that two staff
saving at once both get their line."""

import fcntl
import json
import time
from pathlib import Path
from typing import Any, Dict, List

from bot.paths import project_path

AUDIT_LOG = project_path("var/audit.log")


def record(who: str, action: str, details: Dict[str, Any], log: Path = AUDIT_LOG) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"at": time.time(), "who": who, "action": action, **details}, ensure_ascii=False)
    with open(log, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line + "\n")


def entries(log: Path = AUDIT_LOG) -> List[Dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
