"""Sends the official page that fits the question, as a link and, on
channels that show them, a button."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import Settings, load_settings

# Channels whose widgets render URL buttons (rasa-webchat, Messenger).
# The terminal shell and plain REST clients get the link as text only.
BUTTON_CHANNELS = {"socketio", "facebook"}
APPLE_BRANDS = {"iphone", "ipad"}


def phone_platform(tracker: Tracker) -> Optional[str]:
    """"android", "ios" or None, from what the citizen said about the phone."""
    os_name = tracker.get_slot("device_os")
    if os_name in ("android", "ios"):
        return os_name
    brand = tracker.get_slot("phone_brand")
    if brand:
        return "ios" if brand in APPLE_BRANDS else "android"
    return None


def link_keys(settings: Settings, intent: Optional[str], platform: Optional[str]) -> List[str]:
    key = settings.topic_links.get(intent or "", "home")
    if key != "download":
        return [key]
    if platform == "ios":
        return ["app_store"]
    if platform == "android":
        return ["google_play"]
    return ["download"]


class ActionOfficialLink(Action):
    def name(self) -> Text:
        return "action_official_link"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        settings = load_settings()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        with_button = tracker.get_latest_input_channel() in BUTTON_CHANNELS
        for key in link_keys(settings, intent, phone_platform(tracker)):
            title = settings.link_titles.get(key, key)
            url = settings.links[key]
            buttons = [{"title": title, "type": "web_url", "url": url}] if with_button else None
            dispatcher.utter_message(
                response="utter_official_link", link_title=title, link_url=url, buttons=buttons
            )
        return []
