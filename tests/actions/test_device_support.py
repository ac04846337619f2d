import pytest

from actions.device_support import ActionDeviceSupport, verdict
from bot.knowledge import PhoneModel
from bot.settings import load_settings
from tests.actions.conftest import entity


def verdict_for(dispatcher, tracker):
    ActionDeviceSupport().run(dispatcher, tracker, {})
    return [(m["response"], m.get("device")) for m in dispatcher.messages]


def model(name, os_name, shipped, latest):
    return PhoneModel(name, os_name, shipped, latest, (name.lower(),))


@pytest.mark.parametrize(
    "entities, expected",
    [
        ([("device_os", "android"), ("os_version", "5.1")], ("utter_device_unsupported", "Android 5.1")),
        ([("device_os", "android"), ("os_version", "6")], ("utter_device_supported", "Android 6")),
        ([("device_os", "ios"), ("os_version", "9.3")], ("utter_device_unsupported", "iOS 9.3")),
        # The app's build target is iOS 10.3: versions compare in full.
        ([("device_os", "ios"), ("os_version", "10.2")], ("utter_device_unsupported", "iOS 10.2")),
        ([("device_os", "ios"), ("os_version", "10.3.1")], ("utter_device_supported", "iOS 10.3.1")),
        ([("device_os", "android"), ("os_version", "6.0.1")], ("utter_device_supported", "Android 6.0.1")),
        ([("device_os", "ios"), ("os_version", "12")], ("utter_device_supported", "iOS 12")),
        ([("phone_brand", "iphone"), ("phone_model", "4s")], ("utter_device_unsupported", "iPhone 4s")),
        ([("phone_brand", "iphone"), ("phone_model", "7")], ("utter_device_check_version", "iPhone 7")),
        ([("phone_brand", "samsung")], ("utter_device_check_version", "Samsung")),
        ([("phone_kind", "feature_phone"), ("phone_brand", "nokia")], ("utter_device_feature_phone", None)),
        ([("phone_kind", "tablet")], ("utter_device_tablet", None)),
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


@pytest.mark.parametrize(
    "text, expected",
    [
        ("máy tui là j2 prime xài được hông", ("utter_device_supported", "Samsung Galaxy J2 Prime")),
        # Shipped with iOS 8, updates to iOS 12: usable once updated.
        ("ip 6 co cai dc ko", ("utter_device_needs_update", "iPhone 6")),
        ("iphone 4s của ông nội", ("utter_device_unsupported", "iPhone 4s (iOS 9)")),
    ],
)
def test_a_phone_from_the_table_is_judged_by_its_versions(dispatcher, make_tracker, text, expected):
    assert verdict_for(dispatcher, make_tracker(intent="ask_device_support", text=text)) == [expected]


def test_a_phone_that_can_be_updated_is_told_to_update():
    settings = load_settings()
    result = verdict({}, settings, model("Galaxy X", "android", "5.1", "7.0"))
    assert result == (
        "utter_device_needs_update",
        {"device": "Galaxy X", "latest": "Android 7.0", "minimum": "Android 6.0"},
    )
    assert verdict({}, settings, model("Galaxy Y", "android", "5.1", None))[0] == "utter_device_check_version"
