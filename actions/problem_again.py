"""After the fixes for one app problem ("đã chạy được chưa?"), the citizen
tells of an app problem again. Another specific problem ("cập nhật được
rồi mà giờ nó treo") gets its own fixes; the same one, a bare "still an
error", or anything after the general steps (the classifier's specific
reading of "vẫn bị văng" is a guess there) goes to a person. The rules in
data/rules/help.yml branch on the slot set here, as Rasa branches a
conversation on an action's outcome."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.continue_topic import answer_just_given
from bot.knowledge import OVERVIEW

PROBLEM_IS_NEW = "problem_is_new"


def reported_problem(message: Dict[str, Any]) -> Optional[str]:
    """The exact answer the classifier chose for the citizen's message."""
    return (message.get("intent") or {}).get("full_retrieval_intent_name")


def is_new_problem(reported: Optional[str], just_answered: Optional[str]) -> bool:
    # A topic's overview: the citizen says only that something is wrong.
    specific = [key for key in (reported, just_answered) if key and key.split("/")[-1] != OVERVIEW]
    return len(specific) == 2 and reported != just_answered


class ActionCheckProblemAgain(Action):
    def name(self) -> Text:
        return "action_check_problem_again"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        new = is_new_problem(reported_problem(tracker.latest_message or {}), answer_just_given(tracker.events))
        return [SlotSet(PROBLEM_IS_NEW, new)]
