"""Answer-testing commands for department staff.

`python -m bot ask "câu hỏi"`: what the bot understands (the text as it
reads it, the topic in Vietnamese with its code name, the exact question,
runner-up topics, which action answered) and the answer.
`python -m bot check FILE`: a file of questions or of conversations
(bot/staff_cases.py); prints what the bot understood and the start of
each answer, a summary, and exits with 1 when an expectation is missed.

Both ask the bot running on this machine when they can, and load the
model otherwise (bot/staff_bench.py).
"""

import sys
import uuid
from pathlib import Path
from typing import Any, Dict, List, Set, TextIO

from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK_INTENT

from bot.staff_bench import open_bench
from bot.staff_cases import Case, read_conversations

OUT_OF_SCOPE = ("out_of_scope", FALLBACK_INTENT)  # the contract scores these alike
Turn = Dict[str, Any]  # a workbench turn as JSON (bot/staff_trial.py)


def named(ranked: Dict[str, Any]) -> str:
    """Vietnamese topic name first, the code name in brackets."""
    return f"{ranked['topic']} [{ranked['intent']}] {ranked['confidence']:.0%}"


def answer_text(turn: Turn) -> str:
    return " ".join(str(reply.get("text") or "") for reply in turn["answers"]).strip()


def format_turn(turn: Turn) -> List[str]:
    lines: List[str] = []
    for question in turn["questions"]:
        lines += [f"Câu hỏi:         {question['text']}", f"Bot đọc là:      {question['normalised']}"]
        lines.append(f"Chủ đề:          {named(question['topic'])}")
        if question.get("family"):
            asked = f"{question['family_question']} " if question.get("family_question") else ""
            lines.append(f"Câu hỏi cụ thể:  {asked}[{question['family']}]")
        if question["runners_up"]:
            lines.append("Chủ đề gần nhất:")
            lines += [f"  {n}. {named(r)}" for n, r in enumerate(question["runners_up"], 2)]
        if question["entities"]:
            lines.append("Thông tin:       " + ", ".join(f"{name}={value}" for name, value in question["entities"]))
    steps = [s["action"] + (f" ({s['policy']})" if s.get("policy") else "") for s in turn["steps"]]
    lines.append("Trả lời bởi:     " + (", ".join(steps) or "-"))
    lines.append("Câu trả lời:")
    for reply in turn["answers"]:
        if reply.get("text"):
            lines += [f"  {line}" for line in reply["text"].splitlines()]
        for button in reply.get("buttons") or []:
            target = button.get("url") or button.get("payload", "")
            lines.append(f"  [{button.get('title')}] → {target}")
    if not turn["answers"]:
        lines.append("  (không có câu trả lời)")
    return lines


def ask(question: str, out: TextIO = sys.stdout) -> int:
    with open_bench() as bench:
        turn = bench.say(f"ask-{uuid.uuid4().hex}", question)
    print("\n".join(format_turn(turn)), file=out)
    return 0


def understood(turn: Turn, exact: bool = True) -> str:
    """The (last) question's exact question, else its topic; "-" if none."""
    question = turn["questions"][-1] if turn["questions"] else None
    if question is None:
        return "-"
    return (question.get("family") if exact else None) or question["topic"]["intent"]


def matches(case: Case, turn: Turn) -> bool:
    """A topic must be the (last) question's topic, an exact question its
    family, a phrase must be in the answer."""
    if case.phrase is not None:
        return case.phrase.lower() in answer_text(turn).lower()
    question = turn["questions"][-1] if turn["questions"] else None
    if question is None:
        return False
    predicted = question.get("family") if "/" in case.expected else question["topic"]["intent"]
    return case.expected == predicted or (case.expected in OUT_OF_SCOPE and predicted in OUT_OF_SCOPE)


def known_names() -> Set[str]:
    """Topics (domain.yml) and exact questions (the NLU data) a file may expect."""
    import yaml

    from bot.data_check import nlu_answer_keys
    from bot.paths import project_path

    domain = yaml.safe_load(project_path("domain.yml").read_text(encoding="utf-8"))
    return set(domain.get("intents") or []) | set(nlu_answer_keys()) | {FALLBACK_INTENT}


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def check(path: Path, out: TextIO = sys.stdout) -> int:
    if not path.is_file():
        print(f"Không tìm thấy tệp {path}", file=out)
        return 2
    conversations = read_conversations(path)
    cases = [case for conversation in conversations for case in conversation]
    unknown = sorted({c.expected for c in cases if c.expected} - known_names())
    if unknown:
        print(f"Chủ đề / câu hỏi cụ thể không có trong dữ liệu: {', '.join(unknown)}", file=out)
        return 2
    with open_bench() as bench:
        results = []
        for conversation in conversations:
            thread = f"check-{uuid.uuid4().hex}"
            results += [(case, bench.say(thread, case.question)) for case in conversation]
    print(
        f"{'dòng':>4}  {'tin nhắn':<34}  {'bot hiểu là':<34}  {'câu trả lời':<34}  {'mong đợi':<22} kết quả", file=out
    )
    missed = []
    for case, turn in results:
        wanted = case.expected or (f'"{case.phrase}"' if case.phrase is not None else None)
        verdict = "" if wanted is None else ("đúng" if matches(case, turn) else "SAI")
        if verdict == "SAI":
            missed.append(case)
        question = turn["questions"][-1] if turn["questions"] else None
        read_as = "-"
        if question:
            read_as = question.get("family") if case.expected and "/" in case.expected else None
            read_as = read_as or named(question["topic"])
        print(
            f"{case.line:>4}  {_clip(case.question, 34):<34}  {_clip(read_as, 34):<34}  "
            f"{_clip(answer_text(turn), 34):<34}  {_clip(wanted or '-', 22):<22} {verdict}",
            file=out,
        )
    graded = [c for c in cases if c.expected or c.phrase is not None]
    print(
        f"\n{len(cases)} câu hỏi; {len(graded)} có ý định mong đợi: "
        f"{len(graded) - len(missed)} đúng, {len(missed)} sai.",
        file=out,
    )
    for case in missed:
        print(f"  SAI dòng {case.line}: {case.question}", file=out)
    return 1 if missed else 0
