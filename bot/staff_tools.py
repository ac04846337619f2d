"""Answer-testing tools for department staff, on the trained model.

`python -m bot ask "câu hỏi"`: what the bot understands (the text as it
reads it, the topic in Vietnamese, the exact question, runner-up topics,
which action answered) and the answer. It asks the bot running on this
machine when ADMIN_TOKEN is set (the workbench's API, bot/staff_trial.py),
and loads the model itself otherwise.
`python -m bot check questions.txt`: a batch of real questions, one per
line, optionally followed by a tab and the expected intent; prints a table
and a summary and exits with 1 when an expected intent is missed.

Either way the trial conversation is kept in memory: nothing is written
to the citizens' conversation store.
"""

import asyncio
import logging
import os
import re
import sys
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, TextIO, Tuple

from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK_INTENT

from bot.paths import project_path

MODEL = str(project_path("models/bluezone.tar.gz"))
OUT_OF_SCOPE = ("out_of_scope", FALLBACK_INTENT)  # the contract scores these alike
# "      - question" in an NLU file, but not "- intent: ..." and its siblings.
_EXAMPLE_LINE = re.compile(r"\s*- (?!(?:intent|synonym|regex|lookup):)")


@dataclass
class Understanding:
    text: str
    normalised: str
    tokens: List[str]
    ranking: List[Tuple[str, float]]  # best first
    entities: List[Tuple[str, str]]
    # The exact answer chosen ("ask_install/uninstall"), for a topic with answers.
    answer: Optional[str] = None

    @property
    def intent(self) -> str:
        return self.ranking[0][0] if self.ranking else FALLBACK_INTENT


def _quiet_rasa() -> None:
    """Staff see our output only, not Rasa's and TensorFlow's logs."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)


def load_agent(action_endpoint: Optional[str] = None) -> Any:
    """The trained bot with our answers (NLG) and an in-memory tracker,
    reading messages as the server does (bot.rasa_runtime)."""
    _quiet_rasa()
    from bot import rasa_runtime

    rasa_runtime.apply()
    from rasa.core.agent import load_agent as rasa_load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from bot.launcher import Ports, server_env

    # endpoints.yml names these variables; only its NLG is used here.
    for name, value in server_env(Ports.from_env()).items():
        os.environ.setdefault(name, value)
    configured = AvailableEndpoints.read_endpoints(str(project_path("endpoints.yml")))
    endpoints = AvailableEndpoints(
        nlg=configured.nlg, action=EndpointConfig(action_endpoint) if action_endpoint else None
    )
    return asyncio.run(rasa_load_agent(model_path=MODEL, endpoints=endpoints))


async def understand(agent: Any, text: str) -> Understanding:
    from rasa.core.channels.channel import UserMessage

    from bot.nlu.lexicon_storage import lexicon_of_model
    from bot.nlu.normalizer import normalized_text
    from bot.staff_trial import ranking

    parsed = await agent.processor.parse_message(UserMessage(text), only_output_properties=False)
    intent = parsed.get("intent") or {}
    return Understanding(
        text=text,
        normalised=normalized_text(text, lexicon_of_model(agent.processor.model_metadata.model_id)),
        tokens=[t.text for t in parsed.get("text_tokens") or []],
        ranking=ranking(parsed),
        entities=[(e["entity"], str(e["value"])) for e in parsed.get("entities") or []],
        answer=intent.get("full_retrieval_intent_name"),
    )


def format_turn(turn: Dict[str, Any]) -> List[str]:
    """A workbench turn (bot/staff_trial.py, as JSON) for the terminal."""

    def named(ranked: Dict[str, Any]) -> str:
        return f"{ranked['topic']} [{ranked['intent']}] {ranked['confidence']:.0%}"

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


def ask_running_bot(question: str) -> Optional[Dict[str, Any]]:
    """The running bot's workbench answer, or None when no bot runs here or
    ADMIN_TOKEN is not set (then the model is loaded in this process)."""
    import json
    import urllib.error
    import urllib.request

    from bot.channels.staff_access import usable_token
    from bot.launcher import Ports

    token = usable_token(os.environ.get("ADMIN_TOKEN"))
    if not token:
        return None
    request = urllib.request.Request(
        f"http://localhost:{Ports.from_env().rasa}/admin/api/say",
        data=json.dumps({"conversation": f"ask-{uuid.uuid4().hex}", "message": question}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read())
    except (OSError, ValueError):
        return None


def ask(question: str, out: TextIO = sys.stdout) -> int:
    turn = ask_running_bot(question)
    if turn is None:
        turn = ask_loaded_model(question)
    print("\n".join(format_turn(turn)), file=out)
    return 0


def ask_loaded_model(question: str) -> Dict[str, Any]:
    from bot.launcher import Ports, action_server_command, free_port, server_env, start, stop, wait_until_up
    from bot.staff_trial import Workbench

    print("(Bot chưa chạy trên máy này: đang tải mô hình, khoảng nửa phút...)", file=sys.stderr)
    ports = Ports(rasa=0, actions=free_port())
    actions = start(action_server_command(ports), server_env(ports), quiet=True)
    try:
        agent = load_agent(f"http://localhost:{ports.actions}/webhook")
        wait_until_up(f"http://localhost:{ports.actions}/health", actions)
        return asyncio.run(Workbench(agent).say("ask", question)).as_json()
    finally:
        stop([actions])


@dataclass
class Case:
    line: int
    question: str
    expected: Optional[str]


def read_cases(path: Path) -> List[Case]:
    """One question per line, optional tab + expected intent; # comments.
    Or a Rasa NLU file (.yml), such as the labelled `export-missed` file."""
    if path.suffix in (".yml", ".yaml"):
        return read_nlu_cases(path)
    cases = []
    for number, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        question, _, expected = raw.partition("\t")
        cases.append(Case(number, question.strip(), expected.strip() or None))
    return cases


def read_nlu_cases(path: Path) -> List[Case]:
    """The examples of an NLU file with their intents, read by Rasa's own
    reader (entity annotations removed); line numbers found in the file."""
    from rasa.shared.nlu.training_data.loading import load_data

    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cases, cursor = [], 0
    for example in load_data(str(path)).intent_examples:
        text, intent = example.get("text"), example.get("intent_response_key") or example.get("intent")
        number = next((i for i in range(cursor, len(lines)) if _EXAMPLE_LINE.match(lines[i])), cursor)
        cursor = number + 1
        cases.append(Case(number + 1, text, intent))
    return cases


def matches(expected: str, understood: "Understanding") -> bool:
    """An expected topic matches the topic; an expected answer
    ("ask_install/uninstall") must be the exact answer."""
    predicted = understood.answer if "/" in expected else understood.intent
    return expected == predicted or (expected in OUT_OF_SCOPE and predicted in OUT_OF_SCOPE)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def check(path: Path, out: TextIO = sys.stdout) -> int:
    if not path.is_file():
        print(f"Không tìm thấy tệp {path}", file=out)
        return 2
    cases = read_cases(path)
    agent = load_agent()
    answers = {name[len("utter_") :] for name in agent.domain.responses if "/" in name}
    known = set(agent.domain.intents) | answers | {FALLBACK_INTENT}
    unknown = sorted({c.expected for c in cases if c.expected and c.expected not in known})
    if unknown:
        print(f"Ý định không có trong domain.yml: {', '.join(unknown)}", file=out)
        return 2

    async def all_cases():
        return [await understand(agent, case.question) for case in cases]

    results = asyncio.run(all_cases())
    print(f"{'dòng':>4}  {'câu hỏi':<48}  {'bot hiểu là':<24} {'độ tin cậy':>10}  {'mong đợi':<24} kết quả", file=out)
    missed = []
    for case, u in zip(cases, results):
        confidence = u.ranking[0][1] if u.ranking else 0.0
        verdict = "" if not case.expected else ("đúng" if matches(case.expected, u) else "SAI")
        if verdict == "SAI":
            missed.append(case)
        understood_as = u.answer if case.expected and "/" in case.expected and u.answer else u.intent
        print(
            f"{case.line:>4}  {_clip(case.question, 48):<48}  {understood_as:<24} {confidence:10.1%}  "
            f"{case.expected or '-':<24} {verdict}",
            file=out,
        )
    graded = [c for c in cases if c.expected]
    print(
        f"\n{len(cases)} câu hỏi; {len(graded)} có ý định mong đợi: "
        f"{len(graded) - len(missed)} đúng, {len(missed)} sai.",
        file=out,
    )
    for case in missed:
        print(f"  SAI dòng {case.line}: {case.question}", file=out)
    return 1 if missed else 0
