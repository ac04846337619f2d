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
from typing import List, Set

# Rasa's false alarm for responses that custom actions send (it cannot see them).
UNUSED_RESPONSE = re.compile(r"UserWarning: The utterance '(\w+)' is not used in any story or rule\.")
# utter_default is sent by Rasa's own action_default_fallback.
RASA_SENDS = {"utter_default"}


def responses_sent_by_actions(actions_dir: Path = Path("actions")) -> Set[str]:
    names = set(RASA_SENDS)
    for path in actions_dir.glob("*.py"):
        names.update(re.findall(r"\"(utter_\w+)\"", path.read_text(encoding="utf-8")))
    return names


def problems_in(output: str, sent_by_actions: Set[str]) -> List[str]:
    """Rasa's warnings that are real problems (the message lines, ANSI colours removed)."""
    problems = []
    for line in re.sub(r"\x1b\[[0-9;]*m", "", output).splitlines():
        if "UserWarning" not in line:
            continue
        unused = UNUSED_RESPONSE.search(line)
        if unused and unused.group(1) in sent_by_actions:
            continue
        problems.append(line.split("UserWarning: ", 1)[-1].strip())
    return problems


def main() -> int:
    from bot.settings import SettingsError, load_settings

    problems = []
    try:
        load_settings()
    except SettingsError as error:
        problems.append(str(error))
    rasa = Path(sys.executable).with_name("rasa")
    result = subprocess.run([str(rasa), "data", "validate"], capture_output=True, text=True, encoding="utf-8")
    output = result.stdout + result.stderr
    problems += problems_in(output, responses_sent_by_actions())
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
