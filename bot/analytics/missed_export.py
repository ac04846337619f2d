"""`python -m bot export-missed`: the questions the bot could not answer as
a Rasa NLU file, one block per group of similar questions, each under a
placeholder intent that staff replace with the right one before moving the
block into data/nlu/ (docs/staff-guide.md).

Written by hand rather than with a YAML library: the file must carry
Vietnamese comments for staff (what the bot guessed, how often it was
asked), which PyYAML cannot write.
"""

from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Dict, Iterable, List, Set

from bot.analytics.conversations import Turn
from bot.analytics.grouping import group_similar, key
from bot.paths import project_path

# Not an intent of the domain: `make train` (rasa data validate) refuses a
# block still carrying it, so nothing unlabelled reaches the model.
PLACEHOLDER_INTENT = "CHUA_GAN_NHAN"


def known_examples(nlu_dir: Path = project_path("data/nlu")) -> Set[str]:
    """The training examples, folded, so questions already taught are
    skipped; read by Rasa's own loader (entity annotations removed)."""
    from rasa.shared.nlu.training_data.loading import load_data

    return {key(example.get("text")) for example in load_data(str(nlu_dir)).intent_examples}


def _example(text: str) -> str:
    """One line of a literal block: no line breaks, no leading YAML markers."""
    return " ".join(text.split())


def missed_yaml(missed: Iterable[Turn], similarity: float, known: Set[str], now: datetime) -> str:
    # Emoji or punctuation alone teach nothing (and an empty example breaks training).
    turns = [t for t in missed if key(t.text) not in known and any(c.isalnum() for c in t.text)]
    guesses: Dict[str, Counter] = {}
    for turn in turns:
        guesses.setdefault(key(turn.text), Counter())[turn.intent] += 1
    lines = [
        f"# Câu hỏi bot chưa trả lời được, xuất lúc {now.strftime('%H:%M %d/%m/%Y')} (python -m bot export-missed).",
        f"# Với mỗi nhóm: thay {PLACEHOLDER_INTENT} bằng tên ý định đúng (bảng trong docs/staff-guide.md),",
        '# xoá câu không phù hợp, rồi chép các dòng "    - ..." vào cuối data/nlu/<tên ý định>.yml.',
        "# Số điện thoại và e-mail đã được che thành <phone> / <email>.",
        'version: "3.1"',
        "nlu:",
    ]
    groups = group_similar([t.text for t in turns], similarity)
    if not groups:
        lines[-1] = "nlu: []"
    for number, group in enumerate(groups, 1):
        guessed = Counter()
        for text, _ in group.texts:
            guessed.update(guesses[key(text)])
        guess = ", ".join(intent for intent, _ in guessed.most_common(2))
        # Indented exactly as in data/nlu/*.yml, so lines can be copied as they are.
        lines += [
            f"# Nhóm {number}: hỏi {group.count} lần; bot đã đoán: {guess}",
            f"- intent: {PLACEHOLDER_INTENT}",
            "  examples: |",
            *[f"    - {_example(text)}" for text, _ in group.texts],
        ]
    return "\n".join(lines) + "\n"


def write_missed(path: Path, missed: List[Turn], similarity: float, now: datetime) -> int:
    """Writes the file; returns how many distinct questions it holds."""
    text = missed_yaml(missed, similarity, known_examples(), now)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return sum(1 for line in text.splitlines() if line.startswith("    - "))
