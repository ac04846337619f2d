"""`make validate` (and so `make train`): `rasa data validate` plus our own
rules, failing on any problem, with a summary for the staff who edit the
data (docs/staff-guide.md).

Why not Rasa alone: Rasa 3.6 only warns, and exits 0, when an example line
is skipped (a wrong indent) or an example's intent is not in the domain (an
unlabelled export-missed block): the question would silently not be
learnt. Its one false alarm, a response that only custom actions send, is
accepted for exactly the responses named in actions/.
"""

import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import yaml

from bot.nlu.lexicon import load_lexicon
from bot.paths import PROJECT_ROOT, project_path

# Rasa's false alarm for responses that custom actions send (it cannot see them).
UNUSED_RESPONSE = re.compile(r"UserWarning: The utterance '(\w+)' is not used in any story or rule\.")
# Rasa's false alarm for retrieval intents: listed in domain.yml (the
# contract's 22 names), Rasa adds them again from the NLU data and warns.
DUPLICATED_INTENTS = re.compile(r"duplicated intents have been found across multiple domain files: ([\w, ]+)")
# utter_default is sent by Rasa's own action_default_fallback.
RASA_SENDS = {"utter_default"}


def responses_sent_by_actions(actions_dir: Path = project_path("actions")) -> Set[str]:
    names = set(RASA_SENDS)
    for path in actions_dir.glob("*.py"):
        names.update(re.findall(r"\"(utter_\w+)\"", path.read_text(encoding="utf-8")))
    return names


def problems_in(output: str, sent_by_actions: Set[str], retrieval_intents: Set[str] = frozenset()) -> List[str]:
    """Rasa's warnings that are real problems (the message lines, ANSI colours removed)."""
    problems = []
    for line in re.sub(r"\x1b\[[0-9;]*m", "", output).splitlines():
        if "UserWarning" not in line:
            continue
        unused = UNUSED_RESPONSE.search(line)
        if unused and unused.group(1) in sent_by_actions:
            continue
        duplicated = DUPLICATED_INTENTS.search(line)
        if duplicated and {i.strip() for i in duplicated.group(1).split(",")} <= retrieval_intents:
            continue
        problems.append(line.split("UserWarning: ", 1)[-1].strip())
    return problems


# An answer says the answer in its first sentence and stays short enough
# to read on a phone (placeholders filled).
MAX_ANSWER_CHARS = 400
SHARED_FACTS = PROJECT_ROOT.parent / "shared" / "knowledge" / "bluezone-facts.md"
_RESPONSE_KEY = re.compile(r"^  (utter_\S+):\s*$")
_FACTS_COMMENT = re.compile(r"^  # facts:(.*)$")


def cited_facts(comment: str) -> List[str]:
    """Fact ids of a "# facts:" comment: separated by ";", each maybe
    followed by a note in parentheses ("shared:Privacy (storage permission)")."""
    ids, depth, current = [], 0, ""
    for char in comment + ";":
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth <= 0:
            fact = re.sub(r"\s*\(.*$", "", current).strip()
            if fact:
                ids.append(fact)
            current, depth = "", 0
        else:
            current += char
    return ids


def shared_sections(path: Path = SHARED_FACTS) -> List[str]:
    """The section headings of the shared facts file ("How it works"...)."""
    if not path.exists():
        return []
    return re.findall(r"^## (.+?)\s*$", path.read_text(encoding="utf-8"), re.M)


def responses_with_facts(folder: Path = project_path("data/responses")) -> Dict[str, Tuple[str, Path, List[str]]]:
    """response name -> (text, file, fact ids named in the comment above it)."""
    found = {}
    for path in sorted(folder.glob("*.yml")):
        texts = yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}
        comment: List[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            fact_line = _FACTS_COMMENT.match(line)
            key = _RESPONSE_KEY.match(line)
            if fact_line:
                comment = cited_facts(fact_line.group(1))
            elif key:
                name = key.group(1)
                variations = texts.get(name) or [{}]
                found[name] = (str(variations[0].get("text", "")), path, comment)
                comment = []
    return found


def nlu_answer_keys(folder: Path = project_path("data/nlu")) -> Dict[str, Path]:
    keys = {}
    for path in sorted(folder.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "/" in str(block.get("intent", "")):
                keys[block["intent"]] = path
    return keys


def knowledge_problems(variables: Dict[str, str], data_dir: Optional[Path] = None) -> List[str]:
    """Every answer key has its family (questions.yml), its examples, its
    response under MAX_ANSWER_CHARS and the facts it rests on (facts.yml or
    a section of the shared facts); every fact has its source."""
    from bot.settings import training_data_dir

    data_dir = data_dir or training_data_dir()
    problems = []
    questions = yaml.safe_load((data_dir / "knowledge/questions.yml").read_text(encoding="utf-8")) or {}
    families = {str(f["key"]): f for f in questions.get("families") or []}
    facts = yaml.safe_load((data_dir / "knowledge/facts.yml").read_text(encoding="utf-8")) or {}
    fact_ids = set()
    for fact in facts.get("facts") or []:
        fact_ids.add(str(fact.get("id")))
        for field in ("id", "statement", "source", "published"):
            if not fact.get(field):
                problems.append(f"data/knowledge/facts.yml: dữ kiện {fact.get('id', '?')} thiếu mục {field}")
    sections = shared_sections()
    responses = responses_with_facts(data_dir / "responses")
    examples = nlu_answer_keys(data_dir / "nlu")
    for key, path in examples.items():
        if key not in families:
            problems.append(f"{path}: nhóm câu hỏi {key} chưa có trong data/knowledge/questions.yml")
    apps = sorted(load_lexicon().app_names)
    for key, family in families.items():
        response = f"utter_{key}"
        if key not in examples:
            problems.append(f"data/knowledge/questions.yml: nhóm {key} chưa có câu ví dụ nào trong data/nlu/")
        if not family.get("evidence") and not family.get("evidence_note"):
            problems.append(
                f"data/knowledge/questions.yml: nhóm {key} thiếu địa chỉ nguồn (evidence) "
                "hoặc ghi chú vì sao chưa có (evidence_note)"
            )
        follow_up = family.get("follow_up")
        if follow_up and follow_up not in families:
            problems.append(f"data/knowledge/questions.yml: nhóm {key} có follow_up {follow_up} không tồn tại")
        problems += _phone_pair_problems(key, family, families)
        problems += _app_pair_problems(key, family, families, apps)
        if response not in responses:
            problems.append(f"data/responses/: thiếu câu trả lời {response}")
            continue
        text, path, cited = responses[response]
        filled = re.sub(r"\{(\w+)\}", lambda m: variables.get(m.group(1), m.group(0)), text)
        if len(filled) > MAX_ANSWER_CHARS:
            problems.append(f"{path}: {response} dài {len(filled)} ký tự (tối đa {MAX_ANSWER_CHARS})")
        if not cited:
            problems.append(f'{path}: {response} thiếu dòng "# facts: ..." nêu dữ kiện làm căn cứ')
        for fact in cited:
            if fact.startswith("shared:"):
                if sections and not any(s.startswith(fact[len("shared:") :].strip()) for s in sections):
                    problems.append(f"{path}: {response} dẫn mục {fact} không có trong {SHARED_FACTS}")
            elif fact not in fact_ids:
                problems.append(f"{path}: {response} dẫn dữ kiện {fact} không có trong data/knowledge/facts.yml")
    for intent in sorted({key.split("/")[0] for key in examples}):
        if f"{intent}/overview" not in families:
            problems.append(f"data/knowledge/questions.yml: chủ đề {intent} thiếu nhóm {intent}/overview")
    return problems


PHONES = ("ios", "android")


def _phone_pair_problems(key: str, family: Dict[str, Any], families: Dict[str, Dict[str, Any]]) -> List[str]:
    """`phone` and `other_phone` name two families asking the same for the
    two kinds of phone; each must point back at the other."""
    phone, other = family.get("phone"), family.get("other_phone")
    if not phone and not other:
        return []
    where = f"data/knowledge/questions.yml: nhóm {key}"
    if phone not in PHONES:
        return [f"{where} có phone {phone}, phải là một trong {', '.join(PHONES)}"]
    if other not in families:
        return [f"{where} có other_phone {other} không tồn tại"]
    pair = families[other]
    if pair.get("other_phone") != key or pair.get("phone") in (None, phone):
        return [f"{where} và {other} phải chỉ về nhau (other_phone) và dành cho hai loại máy khác nhau (phone)"]
    return []


def _app_pair_problems(
    key: str, family: Dict[str, Any], families: Dict[str, Dict[str, Any]], apps: List[str]
) -> List[str]:
    """`app` names the app an answer is about (one of `app_names` in the
    lexicon); `other_app` the family asking the same about the other app,
    which says its own app."""
    app, other = family.get("app"), family.get("other_app")
    where = f"data/knowledge/questions.yml: nhóm {key}"
    if app is None and other is None:
        return []
    if app not in apps:
        return [f"{where} cần app là một trong {', '.join(apps)} (đang là {app})"]
    if other is None:
        return []
    if other not in families:
        return [f"{where} có other_app {other} không tồn tại"]
    if families[other].get("app") in (None, app):
        return [f"{where} và {other} phải dành cho hai ứng dụng khác nhau (app)"]
    return []


def main() -> int:
    from bot.settings import SettingsError, load_settings

    problems = []
    try:
        problems += knowledge_problems(load_settings().response_variables())
    except SettingsError as error:
        problems.append(str(error))
    rasa = Path(sys.executable).with_name("rasa")
    result = subprocess.run(
        [str(rasa), "data", "validate"], capture_output=True, text=True, encoding="utf-8", cwd=PROJECT_ROOT
    )
    output = result.stdout + result.stderr
    problems += problems_in(output, responses_sent_by_actions(), {k.split("/")[0] for k in nlu_answer_keys()})
    if result.returncode != 0 and not problems:
        problems.append(output.strip().splitlines()[-1] if output.strip() else "rasa data validate failed")
    if not problems:
        print("Dữ liệu hợp lệ.")
        return 0
    print(output[-4000:] if result.returncode != 0 else "", file=sys.stderr)
    print(f"\nDữ liệu có {len(problems)} lỗi, cần sửa trước khi huấn luyện:")
    for problem in problems:
        print(f"  - {problem}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
