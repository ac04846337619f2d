"""Staff's own test conversations: a conversation tried on the workbench
whose answers were right is kept, with what the bot understood at each
turn, as a `python -m bot check` file in data/checks/ (bot/staff_cases.py
format), so that a new model is tried on it before it is deployed
(bot/shipping.py) and a follow-up that once worked stays working.
"""

from datetime import date
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from bot.privacy import mask
from bot.settings import checks_dir
from bot.staff_cases import TURN, Case, read_conversations
from bot.teaching import LOCK, TeachingError, data_lock

SAVED_FILE = "ban-lam-viec.txt"  # where the workbench appends
MAX_TURNS = 30
MAX_NAME = 80
MAX_MESSAGE = 2000


def _one_line(text: object, limit: int) -> str:
    line = " ".join(mask(str(text)).split())  # no tab, no newline: one turn a line
    return line[:limit]


def save(
    name: str, turns: Sequence[Tuple[str, str]], who: str, folder: Optional[Path] = None, lock: Path = LOCK
) -> Path:
    """Appends a conversation of (message, expected topic or exact
    question) turns; returns the file."""
    from bot.staff_tools import known_names

    if not turns or len(turns) > MAX_TURNS:
        raise TeachingError(f"Một hội thoại kiểm tra có từ 1 đến {MAX_TURNS} lượt.")
    known = known_names()
    saved_by = _one_line(who, MAX_NAME)
    lines = [f"# {_one_line(name, MAX_NAME) or 'Hội thoại'} (lưu bởi {saved_by}, {date.today().isoformat()})"]
    for message, expected in turns:
        text = _one_line(message, MAX_MESSAGE)
        if not text or text.startswith("#"):
            raise TeachingError("Mỗi lượt cần một tin nhắn.")
        if expected and expected not in known:
            raise TeachingError(f"Không có chủ đề / câu hỏi cụ thể '{expected}'.")
        lines.append(f"{TURN} {text}\t{expected}" if expected else f"{TURN} {text}")
    folder = folder or checks_dir()
    path = folder / SAVED_FILE
    with data_lock(lock):
        folder.mkdir(parents=True, exist_ok=True)
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        separator = "\n" if before and not before.endswith("\n\n") else ""
        path.write_text(before + separator + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def conversations(folder: Optional[Path] = None) -> List[Tuple[str, List[Case]]]:
    """Every kept conversation, named by its file and first line."""
    found = []
    for path in sorted((folder or checks_dir()).glob("*.txt")):
        for conversation in read_conversations(path):
            if conversation:
                found.append((f"{path.name}:{conversation[0].line}", conversation))
    return found
