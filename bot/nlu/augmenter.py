"""Adds an unaccented copy of every accented training example.

About a quarter of citizens type without diacritics. The accent-folded
featurizer lets both spellings share features, but the classifier only
learns to rely on those features alone if it sees unaccented examples;
writing each example twice by hand would be busywork. Training only: at
prediction time this component does nothing.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.text import fold


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class UnaccentedCopies(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnaccentedCopies:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        known = {m.get(TEXT) for m in training_data.intent_examples}
        copies = []
        for message in training_data.intent_examples:
            folded = fold(message.get(TEXT))
            if folded not in known:
                known.add(folded)
                # Every attribute is kept: a retrieval example's answer key
                # (intent_response_key) trains the ResponseSelector too.
                copies.append(Message(data={**message.data, TEXT: folded}))
        return training_data.merge(TrainingData(training_examples=copies))

    def process(self, messages: List[Message]) -> List[Message]:
        return messages
