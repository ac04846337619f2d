"""Sends messages the classifier cannot judge to fallback, whatever it
guessed: no letter at all (empty, only emoji, digits or punctuation), longer than
`max_chars` (a pasted document, not a question), or a button payload for
an intent the bot does not have ("/delete_all_data": Rasa's payload
handler leaves those to the classifier), a message in which a featurizer
before the classifier knows nothing (no word of it was ever taught: only
stray letter sequences match), or out_of_scope with less than
`out_of_scope_threshold` confidence. The fallback answer asks the
citizen to ask again briefly and offers the topics and the hotline.

Why: on such input the classifier still ranks some intent, sometimes
confidently; a citizen who sends "👍👍" must not get an answer about privacy.
Keyboard noise ("xzqw plmk") shares a few character n-grams with real
words and none of their words: its ranking is chance, at times above the
FallbackClassifier's threshold, which is kept low for real questions. A
weak out_of_scope means that nothing fits, which is not the same as
"this is another office's matter".
"""

from __future__ import annotations

import re
from typing import Any, Collection, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

FALLBACK_INTENT = DEFAULT_NLU_FALLBACK_INTENT_NAME
OUT_OF_SCOPE = "out_of_scope"
_PAYLOAD = re.compile(r"^/(\w+)")


def unreadable(text: str, max_chars: int, known_intents: Collection[str] = ()) -> bool:
    text = text or ""
    payload = _PAYLOAD.match(text)
    if payload and known_intents and payload.group(1) not in known_intents:
        return True
    return len(text) > max_chars or not any(char.isalpha() for char in text)


def knows_nothing(message: Message) -> bool:
    """Whether some featurizer found none of its vocabulary in the text: its
    whole-message features are all zero."""
    return any(
        feature.features.nnz == 0
        for feature in message.features
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE and feature.is_sparse()
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_chars": 1000, "out_of_scope_threshold": 0.2}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.max_chars = int(config["max_chars"])
        self.out_of_scope_threshold = float(config["out_of_scope_threshold"])

    def _weak_out_of_scope(self, message: Message) -> bool:
        intent = message.get(INTENT) or {}
        return (
            intent.get(INTENT_NAME_KEY) == OUT_OF_SCOPE
            and float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0) < self.out_of_scope_threshold
        )

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
            known = {r[INTENT_NAME_KEY] for r in ranking}
            if unreadable(message.get(TEXT), self.max_chars, known) or knows_nothing(message):
                confidence = 1.0
            elif self._weak_out_of_scope(message):
                # As Rasa's FallbackClassifier: the fallback scores the threshold it fell below.
                confidence = self.out_of_scope_threshold
            else:
                continue
            fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [fallback] + ranking, add_to_output=True)
        return messages
