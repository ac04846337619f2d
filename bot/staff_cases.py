"""The files of test messages staff write for `python -m bot check`.

- Questions, one a line, each asked afresh: `câu hỏi<TAB>mong đợi`.
- Conversations: turns start with `>`, one a line, and a blank line starts
  the next conversation: `> thế còn gỡ thì sao<TAB>mong đợi`, so a
  follow-up failure can be kept as a regression test.
- A Rasa NLU file (.yml), such as the labelled `export-missed` file.

What is expected (optional, after a tab): a topic (`ask_install`), an
exact question (`ask_install/uninstall`), or a phrase in double quotes
that the answer must contain (`"7 giờ"`). Lines starting with # are
comments.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

# "      - question" in an NLU file, but not "- intent: ..." and its siblings.
_EXAMPLE_LINE = re.compile(r"\s*- (?!(?:intent|synonym|regex|lookup):)")
TURN = ">"


@dataclass
class Case:
    line: int
    question: str
    expected: Optional[str] = None  # a topic or an exact question
    phrase: Optional[str] = None  # the answer must contain it


def expectation(text: str) -> dict:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return {"phrase": text[1:-1]}
    return {"expected": text or None}


def read_conversations(path: Path) -> List[List[Case]]:
    """Each conversation's cases, in order; a question file gives one
    conversation per question."""
    if path.suffix in (".yml", ".yaml"):
        return [[case] for case in read_nlu_cases(path)]
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    turns = any(line.lstrip().startswith(TURN) for line in lines)
    conversations: List[List[Case]] = []
    current: List[Case] = []
    for number, raw in enumerate(lines, 1):
        if raw.lstrip().startswith("#"):
            continue
        if not raw.strip():
            if current:
                conversations.append(current)
            current = []
            continue
        text = raw.strip()
        if turns:
            if not text.startswith(TURN):
                continue
            text = text[len(TURN) :]
        question, _, expected = text.partition("\t")
        case = Case(number, question.strip(), **expectation(expected))
        if turns:
            current.append(case)
        else:
            conversations.append([case])
    if current:
        conversations.append(current)
    return conversations


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
