"""Bag-of-words features that ignore diacritics.

Rasa's CountVectorsFeaturizer sees "cài_đặt" and "cai_dat" as unrelated
words. Placed beside the normal one, this subclass feeds it folded tokens,
so a message typed without accents shares features with the accented
training examples (measured in benchmarks/eval.md).
"""
from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.text import fold


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class AccentFoldedCountVectorsFeaturizer(CountVectorsFeaturizer):
    def _get_message_tokens_by_attribute(
        self, message: Message, attribute: Text
    ) -> List[Text]:
        return [fold(token) for token in super()._get_message_tokens_by_attribute(message, attribute)]
