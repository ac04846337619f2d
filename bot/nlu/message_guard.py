"""Sends messages the classifier cannot judge to fallback, whatever it
guessed: no letter at all (empty, only emoji, digits or punctuation), longer than
`max_chars` (a pasted document, not a question), or a button payload for
an intent the bot does not have ("/delete_all_data": Rasa's payload
handler leaves those to the classifier). The fallback answer asks the
citizen to ask again briefly and offers the topics and the hotline.

Why: on such input the classifier still ranks some intent, sometimes
confidently; a citizen who sends "👍👍" must not get an answer about privacy.
"""

from __future__ import annotations

import re
from typing import Any, Collection, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

FALLBACK_INTENT = DEFAULT_NLU_FALLBACK_INTENT_NAME
_PAYLOAD = re.compile(r"^/(\w+)")


def unreadable(text: str, max_chars: int, known_intents: Collection[str] = ()) -> bool:
    text = text or ""
    payload = _PAYLOAD.match(text)
    if payload and known_intents and payload.group(1) not in known_intents:
        return True
    return len(text) > max_chars or not any(char.isalpha() for char in text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_chars": 1000}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.max_chars = int(config["max_chars"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageGuard:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT]
            if unreadable(message.get(TEXT), self.max_chars, {r[INTENT_NAME_KEY] for r in ranking}):
                fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback] + ranking, add_to_output=True)
        return messages
