"""Staff change the text of an answer from the workbench: the response of
a question family in data/responses/, with its {placeholders} (hotline,
links, hours...) filled from data/settings.yml when the bot says it.

The same rules as `make validate` apply (bot/data_check.py): only known
placeholders, at most MAX_ANSWER_CHARS once filled. The file is edited as
text: only the answer's line changes, its "# facts:" comment and the
rest of the file stay as they were; the change is read back and undone if
the file would not read as intended. Answers with buttons or channel
variants are left to developers.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from bot.data_check import MAX_ANSWER_CHARS
from bot.knowledge import load_families
from bot.settings import load_settings, responses_dir
from bot.teaching import TeachingError, data_lock

_KEY = re.compile(r"^  (utter_\S+/\S+):\s*$")
_TEXT = re.compile(r"^    - text: (.*)$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Answer:
    key: str  # "utter_ask_install/uninstall"
    family: str
    topic: str
    question: str
    text: str
    file: str


def _blocks(lines: List[str]) -> Dict[str, List[int]]:
    """response key -> the line numbers of its body (up to the next key or blank line)."""
    found: Dict[str, List[int]] = {}
    current: Optional[str] = None
    for number, line in enumerate(lines):
        key = _KEY.match(line)
        if key:
            current = key.group(1)
            found[current] = []
        elif current and line.startswith("    "):
            found[current].append(number)
        else:
            current = None
    return found


def _editable_line(lines: List[str], body: List[int]) -> Optional[int]:
    """The line of an answer made of one text and nothing else."""
    if len(body) == 1 and _TEXT.match(lines[body[0]]):
        return body[0]
    return None


def answers(folder: Optional[Path] = None) -> List[Answer]:
    folder = folder or responses_dir()
    families = load_families()
    found = []
    for path in sorted(folder.glob("*.yml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        texts = (yaml.safe_load("\n".join(lines)) or {}).get("responses") or {}
        for key, body in _blocks(lines).items():
            family = key[len("utter_") :]
            if _editable_line(lines, body) is None or family not in families:
                continue
            text = str(texts[key][0]["text"])
            found.append(Answer(key, family, families[family].topic, families[family].question, text, path.name))
    return found


def problems(text: str, variables: Dict[str, str]) -> List[str]:
    said = []
    if not text.strip():
        said.append("Câu trả lời không được để trống.")
    unknown = sorted(set(_PLACEHOLDER.findall(text)) - set(variables))
    if unknown:
        said.append("Chỗ điền không có trong cài đặt: " + ", ".join("{" + u + "}" for u in unknown))
    filled = _PLACEHOLDER.sub(lambda m: variables.get(m.group(1), m.group(0)), text)
    if len(filled) > MAX_ANSWER_CHARS:
        said.append(f"Câu trả lời dài {len(filled)} ký tự khi điền xong; tối đa {MAX_ANSWER_CHARS}.")
    return said


def change(key: str, text: str, folder: Optional[Path] = None) -> Tuple[str, str]:
    """Replaces the answer's text; returns (file name, the text before)."""
    folder = folder or responses_dir()
    text = "\n".join(line.rstrip() for line in str(text).strip().splitlines())
    said = problems(text, load_settings().response_variables())
    if said:
        raise TeachingError(" ".join(said))
    with data_lock():
        for path in sorted(folder.glob("*.yml")):
            before = path.read_text(encoding="utf-8")
            lines = before.splitlines()
            body = _blocks(lines).get(key)
            if body is None:
                continue
            line = _editable_line(lines, body)
            if line is None:
                raise TeachingError("Câu trả lời này có nút hoặc nhiều biến thể: nhờ bộ phận kỹ thuật sửa.")
            old = str(yaml.safe_load(before)["responses"][key][0]["text"])
            lines[line] = "    - text: " + json.dumps(text, ensure_ascii=False)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            try:
                reread = yaml.safe_load(path.read_text(encoding="utf-8"))["responses"][key][0]["text"]
            except (yaml.YAMLError, KeyError, IndexError, TypeError):
                reread = None
            if reread != text:
                path.write_text(before, encoding="utf-8")
                raise TeachingError("Không lưu được câu trả lời này; hãy báo bộ phận kỹ thuật.")
            return path.name, old
    raise TeachingError(f"Không có câu trả lời {key}.")
