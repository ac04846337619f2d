"""Training only: the intent classifier learns the exact answers.

Every example of a retrieval intent carries its answer key
("ask_install/uninstall"); this copies the key into the example's intent,
so one classifier (LinearAnswerClassifier) ranks all answers and
TopicAnswer (after it) adds them up into the 22 topics of the intent
contract. One model instead of an intent classifier plus Rasa's
ResponseSelector, a second network over the same features that made
training several times slower here (docs/nlu.md).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, RESPONSE
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class AnswerLabels(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> AnswerLabels:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.intent_examples:
            key = message.get(INTENT_RESPONSE_KEY)
            if key:
                message.set(INTENT, key)
                # The answer's text is not learnt from (no ResponseSelector):
                # nothing downstream needs to tokenize or featurize it.
                message.data.pop(RESPONSE, None)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        return messages
