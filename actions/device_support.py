"""Judges the phone the citizen named (entities from the NLU's spaCy ruler)
against Bluezone's requirements. The general requirements are a static
answer said just before; this adds the verdict for that phone, or nothing
when no phone was named."""
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import Settings, load_settings

DEVICE_ENTITIES = ("device_os", "os_version", "phone_brand", "phone_model", "phone_kind")
OS_LABELS = {"android": "Android", "ios": "iOS"}


def mentioned_device(tracker: Tracker) -> Dict[str, str]:
    """Device entities of this message, else what earlier turns said."""
    latest = {
        e["entity"]: str(e["value"])
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") in DEVICE_ENTITIES
    }
    if latest:
        return latest
    return {name: str(tracker.get_slot(name)) for name in DEVICE_ENTITIES if tracker.get_slot(name)}


def _major(version: str) -> Optional[int]:
    head = version.split(".")[0]
    return int(head) if head.isdigit() else None


def verdict(device: Dict[str, str], settings: Settings) -> Optional[Tuple[str, str]]:
    """(response name, device label) for the phone, or None if none named."""
    kind, brand = device.get("phone_kind"), device.get("phone_brand")
    os_name, version = device.get("device_os"), device.get("os_version")
    model = device.get("phone_model", "")
    if kind == "feature_phone":
        return "utter_device_feature_phone", ""
    if kind == "tablet" or brand == "ipad":
        return "utter_device_tablet", ""
    if os_name in OS_LABELS and version and _major(version) is not None:
        label = f"{OS_LABELS[os_name]} {version}"
        minimum = settings.min_android if os_name == "android" else settings.min_ios
        ok = _major(version) >= minimum
        return ("utter_device_supported" if ok else "utter_device_unsupported"), label
    if brand == "iphone" and model.lower() in settings.iphones_below_min_ios:
        return "utter_device_unsupported", f"iPhone {model}"
    if brand or os_name:
        if brand == "iphone":
            name = "iPhone"
        elif brand:
            name = brand.title()
        else:
            name = OS_LABELS[os_name] if os_name in OS_LABELS else str(os_name)
        return "utter_device_check_version", f"{name} {model}".strip()
    return None


class ActionDeviceSupport(Action):
    def name(self) -> Text:
        return "action_device_support"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        result = verdict(mentioned_device(tracker), load_settings())
        if result:
            response, label = result
            dispatcher.utter_message(response=response, device=label)
        return []
