"""After the fixes for one app problem ("đã chạy được chưa?"), the citizen
tells of an app problem again. Another specific problem ("cập nhật được
rồi mà giờ nó treo") gets its own fixes; the same one, a bare "still an
error", or anything after the general steps (the classifier's specific
reading of "vẫn bị văng" is a guess there) goes to a person, unless the
citizen names the phone ("máy tôi là iPhone 8") or restates the problem
("ý tôi là nó cứ báo lỗi dù đã bật Bluetooth"): then the fixes for that
phone or that problem are new to them. The rules in
data/rules/help.yml branch on the slot set here, as Rasa branches a
conversation on an action's outcome."""

from typing import Any, Dict, Iterable, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.continue_topic import answer_in
from bot.knowledge import OVERVIEW

PROBLEM_IS_NEW = "problem_is_new"
# The topic of the app problems and their fixes.
APP_PROBLEMS = "report_app_error"
# Entities (bot/nlu/device_entities.py) that say which phone it is.
PHONE_ENTITIES = ("device_os", "phone_brand", "phone_model")
# The entity bot/conversation/understanding.py sets on "ý tôi là...".
RESTATES = "clarifies"


def reported_problem(message: Dict[str, Any]) -> Optional[str]:
    """The exact answer the classifier chose for the citizen's message."""
    return (message.get("intent") or {}).get("full_retrieval_intent_name")


def names_the_phone(message: Dict[str, Any]) -> bool:
    return any(entity.get("entity") in PHONE_ENTITIES for entity in message.get("entities") or [])


def restates(message: Dict[str, Any]) -> bool:
    return any(entity.get("entity") == RESTATES for entity in message.get("entities") or [])


def is_new_problem(reported: Optional[str], just_answered: Optional[str], told_more: bool = False) -> bool:
    """`told_more`: the citizen named the phone or restated the problem."""

    def specific(key: Optional[str]) -> bool:
        # A topic's overview: the citizen says only that something is wrong.
        return bool(key) and key.split("/")[-1] != OVERVIEW

    if told_more and specific(reported) and not specific(just_answered):
        return True
    return specific(reported) and specific(just_answered) and reported != just_answered


def fixes_last_given(events: Iterable[Dict[str, Any]]) -> Optional[str]:
    """The app problem whose fixes the bot gave last: after "nói rõ hơn"
    the bot may have gone on to another topic (after a failed update, what
    PC-Covid is) before asking "đã chạy được chưa?" again."""
    answers = (answer_in(event) for event in reversed(list(events)))
    return next((key for key in answers if key and key.split("/")[0] == APP_PROBLEMS), None)


class ActionCheckProblemAgain(Action):
    def name(self) -> Text:
        return "action_check_problem_again"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        told_more = names_the_phone(message) or restates(message)
        new = is_new_problem(reported_problem(message), fixes_last_given(tracker.events), told_more)
        return [SlotSet(PROBLEM_IS_NEW, new)]
