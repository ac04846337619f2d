"""The held-out evaluation set (tests/nlu_heldout/), one file per slice."""

from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.paths import project_path

HELDOUT_DIR = project_path("tests/nlu_heldout")
SLICE_NAMES = {
    "accented": "with diacritics",
    "unaccented": "without diacritics",
    "teencode": "teencode",
    "typos": "typos",
    "long": "long messages",
}

Example = Tuple[str, str]  # (intent, text)


def read_nlu_examples(path: Path) -> List[Example]:
    rows = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                rows.append((block["intent"], line.strip()[2:].strip()))
    return rows


def load_slices() -> Dict[str, List[Example]]:
    return {name: read_nlu_examples(HELDOUT_DIR / f"{name}.yml") for name in SLICE_NAMES}


def load_training_examples(folder: str = "data/nlu") -> List[Example]:
    return [row for path in sorted(project_path(folder).glob("*.yml")) for row in read_nlu_examples(path)]
