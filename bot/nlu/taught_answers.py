"""A question asked exactly as it was taught is answered as it was taught.

The classifier generalises from thousands of examples, so one question
that staff label from the workbench may still lose to the crowd around it
(a rare word, an unusual phrasing). Staff expect a question they taught
to be answered, so this looks each message up among the training
examples as written or typed without accents (their labels as
AnswerLabels set them: exact answers, plain intents; not the letters
FramedCopies makes up), compared without case, punctuation or extra spaces; on a match
the taught label gets all the confidence. Anything else is left to the
classifier. Examples taught with two different labels are left out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.framing import FRAMED_COPY

FILE_NAME = "taught.json"
_NOT_WORD = re.compile(r"[^\w]+")


def lookup_key(text: str) -> str:
    """ "Cài Bluezone ở đâu?" and "cài bluezone ở  đâu" alike; accents kept."""
    return " ".join(_NOT_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).split())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TaughtAnswers(GraphComponent):
    def __init__(self, taught: Dict[str, str], model_storage: ModelStorage, resource: Resource) -> None:
        self.taught = taught
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TaughtAnswers:
        return cls({}, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TaughtAnswers:
        with model_storage.read_from(resource) as folder:
            taught = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
        return cls(taught, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        labels: Dict[str, Optional[str]] = {}
        for example in training_data.intent_examples:
            if example.get(FRAMED_COPY):
                continue
            key, label = lookup_key(example.get(TEXT) or ""), example.get(INTENT)
            if key and label:
                labels[key] = label if labels.get(key, label) == label else None
        self.taught = {key: label for key, label in labels.items() if label}
        with self._model_storage.write_to(self._resource) as folder:
            (folder / FILE_NAME).write_text(json.dumps(self.taught, ensure_ascii=False), encoding="utf-8")
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            label = self.taught.get(lookup_key(message.get(TEXT) or ""))
            if label is None:
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != label]
            certain = {INTENT_NAME_KEY: label, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, certain, add_to_output=True)
            message.set(
                INTENT_RANKING_KEY,
                [certain, *({**r, PREDICTED_CONFIDENCE_KEY: 0.0} for r in ranking)],
                add_to_output=True,
            )
        return messages
