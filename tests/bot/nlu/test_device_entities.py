import pytest
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.device_entities import DeviceEntityExtractor
from bot.nlu.tokenizer import VietnameseTokenizer
from tests.bot.nlu.building import for_training


@pytest.fixture(scope="module")
def pipeline():
    tokenizer = for_training(VietnameseTokenizer)
    extractor = for_training(DeviceEntityExtractor)

    def run(text):
        message = Message(data={TEXT: text})
        extractor.process(tokenizer.process([message]))
        return {(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in message.get(ENTITIES)}

    return run


def test_os_and_version(pipeline):
    assert pipeline("máy tui android 5.1 cài được hông") == {
        ("device_os", "android", "android 5.1"),
        ("os_version", "5.1", "android 5.1"),
    }


def test_glued_version_without_diacritics(pipeline):
    assert ("os_version", "9", "ios9") in pipeline("ios9 co cai duoc ko")


def test_brand_and_model(pipeline):
    found = pipeline("iPhone 4s có xài Bluezone được không")
    assert ("phone_brand", "iphone", "iPhone 4s") in found
    assert ("phone_model", "4s", "iPhone 4s") in found


def test_feature_phone_with_or_without_accents(pipeline):
    assert ("phone_kind", "feature_phone", "máy bàn phím") in pipeline("máy bàn phím có cài được không")
    assert ("phone_kind", "feature_phone", "dien thoai cuc gach") in pipeline("dien thoai cuc gach thi sao")


@pytest.mark.parametrize(
    "text", ["Máy có cài được Bluezone không", "may co cai duoc bluezone ko", "điện thoại có bluetooth"]
)
def test_an_old_phone_is_not_read_into_everyday_words(pipeline, text):
    # "máy cổ" (an old phone) without its diacritics is "máy có" (the phone has).
    assert ("phone_kind", "feature_phone") not in {(kind, value) for kind, value, _ in pipeline(text)}


def test_an_old_phone_typed_with_diacritics_is_found(pipeline):
    assert ("phone_kind", "feature_phone", "máy cổ") in pipeline("máy cổ của tui có cài được không")


def test_phone_number_through_teencode(pipeline):
    assert pipeline("sdt cua toi co bi lo ko") == {("data_item", "phone_number", "sdt")}


def test_word_segmentation_prevents_false_matches(pipeline):
    # "ảnh hưởng" (influence) and "màn hình" (screen) are not photos.
    assert pipeline("bluezone có ảnh hưởng pin không, màn hình bị tối") == set()


def test_no_tokens_no_entities(pipeline):
    assert pipeline("") == set()
