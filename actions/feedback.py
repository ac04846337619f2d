"""Stores the citizen's verdict on the last answer ("Câu trả lời có hữu ích
không?") in the `feedback` slot, where the staff report counts it, and
thanks them; a "no" also gets the hotline."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

# The buttons send /affirm{"helpful": "yes"} and /deny{"helpful": "no"}; a
# typed yes/no right after the question counts the same.
VERDICTS = {"affirm": "yes", "deny": "no"}


def verdict(message: Dict[Text, Any]) -> Optional[Text]:
    """yes / no from the buttons' payload or a typed yes/no; None otherwise."""
    buttons = [e.get("value") for e in message.get("entities") or [] if e.get("entity") == "helpful"]
    if buttons:
        return buttons[-1] if buttons[-1] in VERDICTS.values() else None
    return VERDICTS.get((message.get("intent") or {}).get("name"))


class ActionRecordFeedback(Action):
    def name(self) -> Text:
        return "action_record_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        helpful = verdict(tracker.latest_message)
        if helpful is None:  # a hand-made payload: nothing to store
            dispatcher.utter_message(response="utter_feedback_thanks")
            return []
        dispatcher.utter_message(response="utter_feedback_thanks" if helpful == "yes" else "utter_feedback_sorry")
        return [SlotSet("feedback", helpful)]
