"""Goes on with the topic of the last answer when the citizen asks for more
without naming anything ("vậy thì sao", "nói rõ hơn đi", "rồi sao nữa"):
the answer that follows it in data/knowledge/questions.yml, or the topic
buttons when the bot has not answered anything yet."""

from typing import Any, Dict, Iterable, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import answer_of, load_families, next_answer


def answer_in(event: Dict[str, Any]) -> Optional[str]:
    """The knowledge answer a bot event says ("ask_install/uninstall"), if any."""
    if event.get("event") != "bot":
        return None
    return answer_of((event.get("metadata") or {}).get("utter_action", ""))


def answer_just_given(events: Iterable[Dict[str, Any]]) -> Optional[str]:
    """The knowledge answer of the bot's turn before the citizen's message."""
    seen_message = False
    for event in reversed(list(events)):
        if event.get("event") == "user":
            if seen_message:
                return None
            seen_message = True
        elif seen_message and answer_in(event):
            return answer_in(event)
    return None


class ActionContinueTopic(Action):
    def name(self) -> Text:
        return "action_continue_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        last = answer_just_given(tracker.events)
        following = next_answer(last, load_families()) if last else None
        dispatcher.utter_message(response=f"utter_{following}" if following else "utter_affirm")
        return []
