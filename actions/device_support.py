"""Judges the phone the citizen named against Bluezone's requirements: an
OS version ("android 5.1", "ios 10.2", compared in full), or a phone model
from the table of common phones (data/knowledge/devices.yml: the OS each
shipped with and the newest it can get, with sources). The general
requirements are in the answer said just before; this adds the verdict for
that phone, or nothing when no phone was named."""

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import PhoneModel, find_phone_model, load_phone_models
from bot.settings import Settings, load_settings, parse_version, version_at_least

DEVICE_ENTITIES = ("device_os", "os_version", "phone_brand", "phone_model", "phone_kind")
OS_LABELS = {"android": "Android", "ios": "iOS"}

Verdict = Tuple[str, Dict[str, str]]


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


def _minimum(settings: Settings, os_name: str) -> Tuple[int, ...]:
    return parse_version(settings.min_android if os_name == "android" else settings.min_ios) or (0,)


def model_verdict(model: PhoneModel, settings: Settings) -> Verdict:
    """Supported if it shipped with a recent enough OS; not supported if
    even its newest update is too old; otherwise it needs that update, or,
    when no source gives its newest version, the citizen checks."""
    minimum = _minimum(settings, model.os)
    if version_at_least(parse_version(model.shipped_os) or (0,), minimum):
        return "utter_device_supported", {"device": model.name}
    if model.latest_os is None:
        return "utter_device_check_version", {"device": model.name}
    latest = f"{OS_LABELS[model.os]} {model.latest_os}"
    if not version_at_least(parse_version(model.latest_os) or (0,), minimum):
        return "utter_device_unsupported", {"device": f"{model.name} ({latest})"}
    minimum_label = f"{OS_LABELS[model.os]} {settings.min_android if model.os == 'android' else settings.min_ios}"
    return "utter_device_needs_update", {"device": model.name, "latest": latest, "minimum": minimum_label}


def verdict(device: Dict[str, str], settings: Settings, model: Optional[PhoneModel] = None) -> Optional[Verdict]:
    """(response name, its variables) for the phone, or None if none named."""
    kind, brand = device.get("phone_kind"), device.get("phone_brand")
    os_name, version = device.get("device_os"), device.get("os_version")
    if kind == "feature_phone":
        return "utter_device_feature_phone", {}
    if kind == "tablet" or brand == "ipad":
        return "utter_device_tablet", {}
    parsed = parse_version(version) if version else None
    if os_name in OS_LABELS and parsed:
        ok = version_at_least(parsed, _minimum(settings, os_name))
        return ("utter_device_supported" if ok else "utter_device_unsupported"), {
            "device": f"{OS_LABELS[os_name]} {version}"
        }
    if model is not None:
        return model_verdict(model, settings)
    phone_model = device.get("phone_model", "")
    if brand == "iphone" and phone_model.lower() in settings.iphones_below_min_ios:
        return "utter_device_unsupported", {"device": f"iPhone {phone_model}"}
    if brand or os_name:
        if brand == "iphone":
            name = "iPhone"
        elif brand:
            name = brand.title()
        else:
            name = OS_LABELS.get(str(os_name), str(os_name))
        return "utter_device_check_version", {"device": f"{name} {phone_model}".strip()}
    return None


class ActionDeviceSupport(Action):
    def name(self) -> Text:
        return "action_device_support"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        model = find_phone_model(tracker.latest_message.get("text") or "", load_phone_models())
        result = verdict(mentioned_device(tracker), load_settings(), model)
        if result:
            response, variables = result
            dispatcher.utter_message(response=response, **variables)
        return []
