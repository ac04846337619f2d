"""The question families (data/knowledge/questions.yml): for each answer,
the question it answers, the answer that naturally follows it, the facts
it rests on and where real people asked it.

Read by the action that goes on with a topic ("vậy thì sao") and by the
checks and reports; the answers' texts themselves are Rasa responses.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from bot.paths import project_path
from bot.settings import training_data_dir
from bot.text import fold

OVERVIEW = "overview"
# utter_<topic>/<answer>: the responses of the retrieval intents.
_ANSWER = re.compile(r"^utter_(?P<intent>\w+)/(?P<key>\w+)$")


@dataclass(frozen=True)
class Family:
    key: str  # "ask_install/uninstall"
    question: str
    follow_up: Optional[str]
    facts: Tuple[str, ...]
    evidence: Tuple[str, ...]
    # The kind of phone the answer is for ("ios" or "android") and the
    # family asking the same about the other kind ("thế còn Android?").
    phone: Optional[str] = None
    other_phone: Optional[str] = None
    # The app the answer is about ("bluezone" or "pc-covid") and the family
    # asking the same about the other app ("còn PC-Covid thì sao?").
    app: Optional[str] = None
    other_app: Optional[str] = None

    @property
    def topic(self) -> str:
        return self.key.split("/")[0]


def answer_of(response: str) -> Optional[str]:
    """ "ask_install/uninstall" for utter_ask_install/uninstall, else None."""
    match = _ANSWER.match(response or "")
    return f"{match['intent']}/{match['key']}" if match else None


def questions_path() -> Path:
    """data/knowledge/questions.yml of the training data staff edit."""
    return training_data_dir() / "knowledge" / "questions.yml"


def load_families(path: str = "") -> Dict[str, Family]:
    """The families, read again when the file changes (staff add one from
    the workbench)."""
    resolved = project_path(path) if path else questions_path()
    return _load_families(str(resolved), resolved.stat().st_mtime_ns)


def load_families_if_present() -> Dict[str, Family]:
    """The families, or none where a model is served without the project's
    data beside it: it then reads each message without them (a phone's
    counterpart answer stays unknown) rather than failing every parse."""
    try:
        return load_families()
    except FileNotFoundError:
        return {}


@lru_cache(maxsize=4)
def _load_families(path: str, modified: int) -> Dict[str, Family]:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    families = {}
    for entry in raw.get("families") or ():
        family = Family(
            key=str(entry["key"]),
            question=str(entry.get("question", "")),
            follow_up=entry.get("follow_up") or None,
            facts=tuple(str(f) for f in entry.get("facts") or ()),
            evidence=tuple(str(e) for e in entry.get("evidence") or ()),
            phone=entry.get("phone") or None,
            other_phone=entry.get("other_phone") or None,
            app=entry.get("app") or None,
            other_app=entry.get("other_app") or None,
        )
        families[family.key] = family
    return families


def next_answer(key: str, families: Dict[str, Family]) -> Optional[str]:
    """What to say when the citizen asks to go on after the answer `key`:
    its family's follow-up, else its topic's overview (None after the
    overview itself)."""
    family = families.get(key)
    if family and family.follow_up and family.follow_up != key:
        return family.follow_up
    overview = f"{key.split('/')[0]}/{OVERVIEW}"
    return overview if key != overview and overview in families else None


DEFAULT_DEVICES_PATH = "data/knowledge/devices.yml"


@dataclass(frozen=True)
class PhoneModel:
    """A phone model people name, with the OS it shipped with and the
    newest official update it can get (data/knowledge/devices.yml)."""

    name: str  # as shown to citizens: "Samsung Galaxy J2 Prime"
    os: str  # "android" / "ios"
    shipped_os: str
    latest_os: Optional[str]  # None when no source says
    aliases: Tuple[str, ...]  # folded, lowercase: "j2 prime", "galaxy j2 prime"


def _fold(text: str) -> str:
    text = text.replace("+", " plus ")
    return " ".join(re.findall(r"[a-z0-9]+", fold(text).lower()))


@lru_cache(maxsize=4)
def load_phone_models(path: str = DEFAULT_DEVICES_PATH) -> Tuple[PhoneModel, ...]:
    with open(project_path(path), encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    models = []
    for entry in raw.get("phones") or ():
        brand, model = str(entry["brand"]), str(entry["model"])
        names = {f"{brand} {model}", model, *(str(a) for a in entry.get("aliases") or ())}
        models.append(
            PhoneModel(
                name=str(entry.get("display") or f"{brand.title()} {model.title()}"),
                os=str(entry["os"]),
                shipped_os=str(entry["shipped_os"]),
                latest_os=str(entry["latest_official_os"]) if entry.get("latest_official_os") else None,
                aliases=tuple(sorted({_fold(n) for n in names}, key=len, reverse=True)),
            )
        )
    return tuple(models)


def find_phone_model(text: str, models: Tuple[PhoneModel, ...]) -> Optional[PhoneModel]:
    """The model named in the message; the longest name wins ("iphone 6s"
    over "iphone 6"), matched on whole words without diacritics."""
    words = f" {_fold(text)} "
    best: Optional[Tuple[int, PhoneModel]] = None
    for model in models:
        for alias in model.aliases:
            if f" {alias} " in words and (best is None or len(alias) > best[0]):
                best = (len(alias), model)
    return best[1] if best else None
