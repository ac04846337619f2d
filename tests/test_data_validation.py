"""`rasa data validate` is clean. Its one false alarm is a response that
only custom actions send (Rasa cannot know that), so that warning is
accepted for exactly the responses named in actions/ (and utter_default,
which Rasa's own action_default_fallback sends)."""
import re
import subprocess
import sys
from pathlib import Path

UNUSED = re.compile(r"UserWarning: The utterance '(\w+)' is not used in any story or rule\.")


def responses_sent_by_actions():
    names = {"utter_default"}
    for path in Path("actions").glob("*.py"):
        names.update(re.findall(r"\"(utter_\w+)\"", path.read_text(encoding="utf-8")))
    return names


def test_rasa_data_validate_is_clean():
    rasa = Path(sys.executable).with_name("rasa")
    result = subprocess.run(
        [str(rasa), "data", "validate"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    warnings = [line for line in output.splitlines() if "UserWarning" in line]
    unexplained = [w for w in warnings if not UNUSED.search(w)]
    assert unexplained == []
    unused = {UNUSED.search(w).group(1) for w in warnings}
    assert unused <= responses_sent_by_actions()
