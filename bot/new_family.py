"""Staff add a question family the bot has no answer for, from citizens'
missed questions: the question it answers, the answer, and the public
source the answer rests on. Four files change as a developer would change
them (appended, layout and comments kept): the fact in
data/knowledge/facts.yml (with its source and date, and who added it),
the family in data/knowledge/questions.yml, the answer with its
"# facts:" comment in data/responses/<topic>.yml, and the examples in
data/nlu/<topic>.yml. `make validate`'s knowledge rules are run on the
result; anything wrong and all four files are put back.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import List, Optional, Sequence
from urllib.parse import urlparse

from bot.analytics.grouping import key as folded
from bot.answer_editing import problems as answer_problems
from bot.data_check import knowledge_problems, nlu_answer_keys
from bot.settings import load_settings, training_data_dir
from bot.teaching import LOCK, TeachingError, data_lock, example_line, taught

NAME = re.compile(r"^[a-z][a-z0-9_]{2,39}$")
MAX_QUESTION = 200
MAX_FACT = 600
MAX_EXAMPLES = 50  # a group of missed questions, not a data dump


@dataclass(frozen=True)
class NewFamily:
    topic: str  # a topic with question families: "ask_install"
    name: str  # the family's code name: "on_tablet_of_child"
    question: str  # what it asks, in Vietnamese, for staff to choose by
    answer: str  # the answer's text ({hotline}... allowed)
    fact: str  # what the public source says, that the answer rests on
    source: str  # https address of that source
    published: str  # the source's date, YYYY-MM-DD
    examples: Sequence[str]  # citizens' questions it answers

    @property
    def key(self) -> str:
        return f"{self.topic}/{self.name}"

    @property
    def fact_id(self) -> str:
        return f"staff.{self.topic}.{self.name}"


def _quoted(text: str) -> str:
    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


def _problems(new: NewFamily, data_dir: Path) -> List[str]:
    said = []
    keys = nlu_answer_keys(data_dir / "nlu")
    if new.topic not in {key.split("/")[0] for key in keys}:
        said.append(f"Không có chủ đề '{new.topic}'.")
    if not NAME.match(new.name):
        said.append("Tên nhóm: 3 đến 40 chữ thường không dấu, số hoặc _, bắt đầu bằng chữ (vd. cai_cho_tre_em).")
    elif new.key in keys:
        said.append(f"Nhóm {new.key} đã có.")
    if not new.question.strip() or len(new.question) > MAX_QUESTION:
        said.append(f"Câu hỏi của nhóm: 1 đến {MAX_QUESTION} ký tự.")
    if not new.fact.strip() or len(new.fact) > MAX_FACT:
        said.append(f"Dữ kiện làm căn cứ: 1 đến {MAX_FACT} ký tự, chép đúng điều nguồn nói.")
    address = urlparse(new.source.strip())
    if address.scheme != "https" or not address.netloc:
        said.append("Nguồn phải là địa chỉ trang công khai bắt đầu bằng https://.")
    try:
        if date.fromisoformat(new.published) > date.today():
            said.append("Ngày của nguồn không thể ở tương lai.")
    except ValueError:
        said.append("Ngày của nguồn phải có dạng YYYY-MM-DD.")
    if len(new.examples) > MAX_EXAMPLES:
        said.append(f"Tối đa {MAX_EXAMPLES} câu ví dụ một lần.")
    said += answer_problems(new.answer, load_settings().response_variables())
    return said


def _appended(path: Path, text: str) -> str:
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n" + text, encoding="utf-8")
    return before


def add(new: NewFamily, who: str, data_dir: Optional[Path] = None, lock: Path = LOCK) -> str:
    """Adds the family; returns its key ("ask_install/on_tablet")."""
    data_dir = data_dir or training_data_dir()
    said = _problems(new, data_dir)
    if said:
        raise TeachingError(" ".join(said))
    examples = [example_line(new.question), *(example_line(e) for e in new.examples)]
    examples = list({folded(e): e for e in examples}.values())
    today = date.today().isoformat()
    files = {
        "facts": data_dir / "knowledge" / "facts.yml",
        "questions": data_dir / "knowledge" / "questions.yml",
        "responses": data_dir / "responses" / f"{new.topic}.yml",
        "nlu": data_dir / "nlu" / f"{new.topic}.yml",
    }
    additions = {
        "facts": (
            f"- id: {new.fact_id}\n  statement: {_quoted(new.fact)}\n  source: {new.source.strip()}\n"
            f"  published: '{new.published}'\n  added_by: {_quoted(who)}\n"
        ),
        "questions": (
            f"- key: {new.key}\n  question: {_quoted(new.question)}\n  facts:\n  - {new.fact_id}\n"
            f"  evidence_note: {_quoted(f'Câu hỏi của người dân; {who} thêm từ bàn làm việc ngày {today}.')}\n"
        ),
        "responses": f"\n  # facts: {new.fact_id}\n  utter_{new.key}:\n    - text: {_quoted(new.answer)}\n",
        "nlu": f"\n- intent: {new.key}\n  examples: |\n" + "".join(f"    - {e}\n" for e in examples),
    }
    with data_lock(lock):
        already = taught(data_dir / "nlu")
        repeated = [e for e in examples[1:] if folded(e) in already]
        if repeated:
            raise TeachingError(f"Bot đã học câu này ở nhóm khác: {repeated[0]}")
        variables = load_settings().response_variables()
        known = set(knowledge_problems(variables, data_dir))
        before = {name: _appended(files[name], text) for name, text in additions.items()}
        new_problems = [p for p in knowledge_problems(variables, data_dir) if p not in known]
        if new_problems or not _rasa_reads(files["nlu"], new.key, len(examples)):
            for name, text in before.items():
                files[name].write_text(text, encoding="utf-8")
            raise TeachingError("Không thêm được nhóm này: " + ("; ".join(new_problems) or "lỗi dữ liệu") + ".")
    return new.key


def _rasa_reads(path: Path, key: str, count: int) -> bool:
    from rasa.shared.nlu.training_data.loading import load_data

    try:
        data = load_data(str(path))
    except Exception:  # Rasa's reader raises many kinds on a broken file
        return False
    return sum(m.get("intent_response_key") == key for m in data.intent_examples) == count
