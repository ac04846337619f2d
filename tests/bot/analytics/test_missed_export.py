from datetime import datetime

import yaml
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.analytics.conversations import Turn
from bot.analytics.missed_export import PLACEHOLDER_INTENT, known_examples, missed_yaml

NOW = datetime(2021, 3, 1, 9, 30)


def turn(text, intent="nlu_fallback"):
    return Turn("s", 0.0, "Web", text, intent, 0.3)


def test_groups_become_placeholder_blocks_that_rasa_reads_once_labelled():
    turns = [
        turn("khong nhan duoc ma otp"),
        turn("không nhận được mã OTP", "ask_registration"),
        turn("giá vàng hôm nay", "out_of_scope"),
        turn("- giá:  vàng?\tnay #1"),
    ]
    text = missed_yaml(turns, 0.5, known=set(), now=NOW)
    assert "xuất lúc 09:30 01/03/2021" in text
    blocks = yaml.safe_load(text)["nlu"]
    assert [b["intent"] for b in blocks] == [PLACEHOLDER_INTENT] * 3  # OTP (2 spellings), gold, the odd one
    block = f"- intent: {PLACEHOLDER_INTENT}"  # staff label the first group, then the others
    labelled = RasaYAMLReader().reads(
        text.replace(block, "- intent: ask_registration", 1).replace(block, "- intent: out_of_scope")
    )
    examples = {(m.get("intent"), m.get("text")) for m in labelled.intent_examples}
    assert {
        ("ask_registration", "không nhận được mã OTP"),
        ("ask_registration", "khong nhan duoc ma otp"),
        ("out_of_scope", "giá vàng hôm nay"),
        ("out_of_scope", "- giá: vàng? nay #1"),
    } == examples
    assert (
        "bot đã đoán: nlu_fallback, ask_registration" in text or "bot đã đoán: ask_registration, nlu_fallback" in text
    )


def test_questions_already_taught_and_ones_without_words_are_left_out():
    taught = next(iter(known_examples()))
    text = missed_yaml([turn(taught), turn("😀😀"), turn("???")], 0.5, known_examples(), NOW)
    assert yaml.safe_load(text)["nlu"] == []


def test_the_training_data_is_read_for_known_questions():
    # data/nlu/ask_install.yml, folded and lower-cased
    assert "tai bluezone o dau vay ad" in known_examples()
