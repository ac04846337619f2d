"""The evaluation sets, never trained on:

- tests/nlu_heldout/: the first held-out set, one topic (intent) per message;
- tests/nlu_dev/: the real-style dev set, labelled with the answer family
  (ask_install/uninstall), by slice, with two-question messages
  (multi.yml: "a/x+b/y" in the order asked) and conversations with
  follow-ups (conversations.yml). Decisions are made on it and on
  cross-validation;
- tests/nlu_heldout_real/: the same kinds, written by someone else, looked
  at once for the final report.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import yaml

from benchmarks.heldout import read_nlu_examples
from bot.paths import project_path

DEV_DIR = project_path("tests/nlu_dev")
HELDOUT_REAL_DIR = project_path("tests/nlu_heldout_real")
FAMILY_SLICES = {
    "plain": "with diacritics",
    "unaccented": "without diacritics",
    "teencode": "teencode",
    "typos": "typos",
    "long": "long, story first",
    "formal": "formal letters",
    "english": "in English",
}
MULTI = "multi"
OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Example:
    slice: str
    gold: str  # "ask_install/uninstall", "greet", or "a/x+b/y"
    text: str

    @property
    def parts(self) -> List[str]:
        return self.gold.split("+")

    @property
    def intents(self) -> List[str]:
        return [part.split("/")[0] for part in self.parts]

    @property
    def in_scope(self) -> bool:
        return OUT_OF_SCOPE not in self.intents


@dataclass(frozen=True)
class Turn:
    user: str
    expect: str  # a family key, or go_on / yes / no / thank / goodbye / request_human / out_of_scope


def load_examples(folder: Path) -> List[Example]:
    rows = []
    for name in list(FAMILY_SLICES) + [MULTI]:
        path = folder / f"{name}.yml"
        if path.exists():
            rows += [Example(name, gold, text) for gold, text in read_nlu_examples(path)]
    return rows


def load_conversations(folder: Path) -> List[List[Turn]]:
    path = folder / "conversations.yml"
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [[Turn(str(t["user"]), str(t["expect"])) for t in c["turns"]] for c in raw.get("conversations") or []]


def available(folder: Path) -> Optional[Path]:
    return folder if folder.exists() and any(folder.glob("*.yml")) else None
