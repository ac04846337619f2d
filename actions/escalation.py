"""Tells the citizen whether the hotline is staffed right now, and when to
call or where to write otherwise. On Messenger, a citizen who asks for a
person is handed to page staff: the bot pauses that conversation until
staff resume it (bot/channels/facebook.py). The hotline number itself is in the
static response said just before (utter_hotline / utter_handover), so it
reaches the citizen even when this server is down."""
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import load_settings

# The channel whose staff can take over a conversation (the page inbox).
HANDOVER_CHANNEL = "facebook"


class ActionEscalate(Action):
    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.clock = clock

    def name(self) -> Text:
        return "action_escalate"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        hours = load_settings().office_hours
        now = self.clock()
        if hours.is_open(now):
            dispatcher.utter_message(response="utter_office_open")
        else:
            opening = hours.describe_opening(hours.next_opening(now), now)
            holiday = hours.holiday(now.astimezone(ZoneInfo(hours.timezone)).date())
            if holiday:
                dispatcher.utter_message(response="utter_office_closed_holiday", next_opening=opening, holiday=holiday)
            else:
                dispatcher.utter_message(response="utter_office_closed", next_opening=opening)
        if self._hand_to_page_staff(tracker):
            return [ConversationPaused()]
        return []

    @staticmethod
    def _hand_to_page_staff(tracker: Tracker) -> bool:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return intent == "request_human" and tracker.get_latest_input_channel() == HANDOVER_CHANNEL
