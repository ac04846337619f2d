"""Tells the citizen whether the hotline is staffed right now, and when to
call or where to write otherwise. Where the channel says its staff can
answer in the platform's inbox (the message's metadata), a citizen who
asks for a person is handed to them: the bot pauses that conversation
until staff give it back (action_give_back_to_bot, run by the channel:
bot/channels/handover.py). The hotline number itself is in the
static response said just before (utter_hotline / utter_handover), so it
reaches the citizen even when this server is down."""

from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, ConversationResumed
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import load_settings

# Set in a message's metadata by channels whose staff can take over
# (bot.channels.handover.STAFF_CAN_TAKE_OVER; actions stay free of bot.channels).
STAFF_CAN_TAKE_OVER = "staff_can_take_over"


class ActionEscalate(Action):
    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.clock = clock

    def name(self) -> Text:
        return "action_escalate"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
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
        if self._hand_to_staff(tracker):
            return [ConversationPaused()]
        return []

    @staticmethod
    def _hand_to_staff(tracker: Tracker) -> bool:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        return intent == "request_human" and bool((message.get("metadata") or {}).get(STAFF_CAN_TAKE_OVER))


class ActionGiveBackToBot(Action):
    """Ends a staff take-over. What the citizen wrote to staff meanwhile stays
    in the conversation, but the bot listens afresh instead of answering it
    as a question left open."""

    def name(self) -> Text:
        return "action_give_back_to_bot"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        return [ConversationResumed(), ActionExecuted("action_listen")]
