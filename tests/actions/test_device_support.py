import pytest

from actions.device_support import ActionDeviceSupport
from tests.actions.conftest import entity


def verdict_for(dispatcher, tracker):
    ActionDeviceSupport().run(dispatcher, tracker, {})
    return [(m["response"], m.get("device")) for m in dispatcher.messages]


@pytest.mark.parametrize(
    "entities, expected",
    [
        ([("device_os", "android"), ("os_version", "5.1")], ("utter_device_unsupported", "Android 5.1")),
        ([("device_os", "android"), ("os_version", "6")], ("utter_device_supported", "Android 6")),
        ([("device_os", "ios"), ("os_version", "9.3")], ("utter_device_unsupported", "iOS 9.3")),
        ([("device_os", "ios"), ("os_version", "12")], ("utter_device_supported", "iOS 12")),
        ([("phone_brand", "iphone"), ("phone_model", "4s")], ("utter_device_unsupported", "iPhone 4s")),
        ([("phone_brand", "iphone"), ("phone_model", "7")], ("utter_device_check_version", "iPhone 7")),
        ([("phone_brand", "samsung")], ("utter_device_check_version", "Samsung")),
        ([("phone_kind", "feature_phone"), ("phone_brand", "nokia")], ("utter_device_feature_phone", "")),
        ([("phone_kind", "tablet")], ("utter_device_tablet", "")),
    ],
)
def test_verdict_for_the_named_phone(dispatcher, make_tracker, entities, expected):
    tracker = make_tracker(intent="ask_device_support", entities=[entity(n, v) for n, v in entities])
    assert verdict_for(dispatcher, tracker) == [expected]


def test_earlier_turns_count_when_this_one_names_no_phone(dispatcher, make_tracker):
    tracker = make_tracker(slots={"device_os": "android", "os_version": "4.4"})
    assert verdict_for(dispatcher, tracker) == [("utter_device_unsupported", "Android 4.4")]


def test_nothing_extra_when_no_phone_is_named(dispatcher, make_tracker):
    assert verdict_for(dispatcher, make_tracker(intent="ask_device_support")) == []
