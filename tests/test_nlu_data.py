"""The training data keeps the intent contract (answer families are
retrieval intents under its 22 names) and never leaks into the evaluation
sets."""

import re

import pytest
import yaml

from bot.nlu.text import fold
from bot.paths import PROJECT_ROOT, project_path

CONTRACT = PROJECT_ROOT.parent / "shared" / "knowledge" / "intents.md"
CHITCHAT = {"greet", "goodbye", "thank", "affirm", "deny", "bot_challenge"}


def examples(pattern):
    found = []
    for path in sorted(PROJECT_ROOT.glob(pattern)):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    found.append((block["intent"], line.strip()[2:].strip()))
    return found


def contract_intents():
    if not CONTRACT.exists():
        pytest.fail(f"{CONTRACT} (the shared intent contract) is missing")
    return set(re.findall(r"^\| (\w+) \|", CONTRACT.read_text(encoding="utf-8"), re.M)) - {"intent"}


def top(intent):
    return intent.split("/")[0]


def test_domain_and_data_use_exactly_the_contract_intents():
    contract = contract_intents()
    assert len(contract) == 22
    domain = yaml.safe_load(project_path("domain.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) == contract
    assert {top(intent) for intent, _ in examples("data/nlu/*.yml")} == contract
    assert {intent for intent, _ in examples("tests/nlu_heldout/*.yml")} == contract


def test_a_topic_with_answer_families_has_no_example_outside_them():
    """Rasa trains the ResponseSelector only on examples with an answer key."""
    found = examples("data/nlu/*.yml")
    retrieval = {top(intent) for intent, _ in found if "/" in intent}
    assert [text for intent, text in found if intent in retrieval] == []


def test_every_answer_family_has_at_least_20_examples_and_every_topic_40():
    families, topics = {}, {}
    for intent, _ in examples("data/nlu/*.yml"):
        families[intent] = families.get(intent, 0) + 1
        topics[top(intent)] = topics.get(top(intent), 0) + 1
    assert {f: n for f, n in families.items() if "/" in f and n < 20} == {}
    assert {i: n for i, n in topics.items() if i not in CHITCHAT and n < 40} == {}


def test_held_out_set_has_15_per_intent_and_is_never_trained_on():
    held = examples("tests/nlu_heldout/*.yml")
    per_intent = {}
    for intent, _ in held:
        per_intent[intent] = per_intent.get(intent, 0) + 1
    assert min(per_intent.values()) >= 15
    trained = {fold(text).lower() for _, text in examples("data/nlu/*.yml")}
    leaked = [text for _, text in held if fold(text).lower() in trained]
    assert leaked == []


@pytest.mark.parametrize("folder", ["tests/nlu_dev", "tests/nlu_heldout_real"])
def test_the_real_style_sets_are_never_trained_on(folder):
    written = examples(f"{folder}/[!c]*.yml")  # conversations.yml holds conversations
    assert len(written) > 300
    trained = {fold(text).lower() for _, text in examples("data/nlu/*.yml")}
    assert [text for _, text in written if fold(text).lower() in trained] == []
