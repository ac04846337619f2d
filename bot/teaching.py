"""Staff teach the bot a question it missed: the question is added as an
example of the right question family (or of out_of_scope) in that topic's
file under data/nlu/, at the end of the family's block, exactly as a
developer would write it; the next training learns it.

Edited as text, not re-dumped by a YAML library, so the files keep their
layout and comments. The change is made under a lock (two staff saving at
once both get theirs), read back with Rasa's own reader, and undone if
Rasa would not see the example where it was meant to go.
"""

import fcntl
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

from bot.analytics.grouping import key
from bot.knowledge import load_families
from bot.paths import project_path
from bot.privacy import mask
from bot.settings import nlu_data_dir

LOCK = project_path("var/data.lock")
OUT_OF_SCOPE = "out_of_scope"
MAX_EXAMPLE = 300  # characters; a longer message is a story, not an example
_EXAMPLE = re.compile(r"^    - (.*)$")


class TeachingError(ValueError):
    """A staff change to the training data (a label, an answer's text) that
    cannot be saved, said in Vietnamese for staff."""


@dataclass(frozen=True)
class Label:
    key: str  # "ask_install/uninstall" or "out_of_scope"
    topic: str
    question: str  # what the family asks, for staff to choose by


def labels() -> List[Label]:
    found = [Label(f.key, f.topic, f.question) for f in load_families().values()]
    return found + [Label(OUT_OF_SCOPE, OUT_OF_SCOPE, "Ngoài phạm vi: không liên quan Bluezone / PC-Covid")]


@contextmanager
def data_lock(lock: Path = LOCK) -> Iterator[None]:
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def example_line(text: str) -> str:
    """The question as one example line, phone numbers and e-mail
    addresses masked (training data holds no one's contact); raises if it
    cannot be one."""
    one_line = " ".join(mask(str(text)).split())
    if not any(c.isalnum() for c in one_line):
        raise TeachingError("Câu này không có chữ nào để bot học.")
    if len(one_line) > MAX_EXAMPLE:
        raise TeachingError(f"Câu dài hơn {MAX_EXAMPLE} ký tự: hãy chép phần câu hỏi thôi.")
    return one_line


def taught(nlu_dir: Optional[Path] = None) -> Dict[str, Path]:
    """Every example already in the training data (folded) and its file."""
    nlu_dir = nlu_dir or nlu_data_dir()
    found = {}
    for path in sorted(nlu_dir.glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _EXAMPLE.match(line)
            if match:
                found[key(match.group(1))] = path
    return found


def _insert(lines: List[str], intent: str, example: str) -> Optional[List[str]]:
    """The file's lines with the example after the last one of `intent`'s block."""
    start = next((i for i, line in enumerate(lines) if line.strip() == f"- intent: {intent}"), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and not lines[end].startswith("- "):
        end += 1
    last = max((i for i in range(start, end) if _EXAMPLE.match(lines[i])), default=None)
    if last is None:
        return None
    return [*lines[: last + 1], f"    - {example}", *lines[last + 1 :]]


def _rasa_reads(path: Path, intent: str, example: str) -> bool:
    from rasa.shared.nlu.training_data.loading import load_data

    try:
        data = load_data(str(path))
    except Exception:  # Rasa's reader raises many kinds on a broken file
        return False
    return any(
        m.get("text") == example and (m.get("intent_response_key") or m.get("intent")) == intent
        for m in data.intent_examples
    )


def teach(text: str, label: str, nlu_dir: Optional[Path] = None, lock: Path = LOCK) -> Path:
    """Adds `text` as an example of `label`; returns the file it went into."""
    nlu_dir = nlu_dir or nlu_data_dir()
    known = {item.key: item for item in labels()}
    if label not in known:
        raise TeachingError(f"Không có nhóm câu hỏi '{label}'.")
    example = example_line(text)
    path = nlu_dir / f"{known[label].topic}.yml"
    with data_lock(lock):
        already = taught(nlu_dir).get(key(example))
        if already is not None:
            raise TeachingError(f"Bot đã học câu này rồi ({already.name}).")
        before = path.read_text(encoding="utf-8")
        lines = _insert(before.splitlines(), label, example)
        if lines is None:
            raise TeachingError(f"{path.name} không có khối '{label}' để thêm vào.")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if not _rasa_reads(path, label, example):
            path.write_text(before, encoding="utf-8")
            raise TeachingError("Không lưu được câu này vào dữ liệu; hãy báo bộ phận kỹ thuật.")
    return path
