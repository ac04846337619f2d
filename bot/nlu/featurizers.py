"""Rasa's bag-of-words featurizer, faster to train, and a variant that
ignores diacritics.

Rasa's CountVectorsFeaturizer calls scikit-learn once per message and
attribute (twice: words and sentence); on our ten thousand training
examples that is most of the featurizing time.
`BatchedCountVectorsFeaturizer` makes the same two calls once for all
messages and cuts the result per message: the same matrices, a fraction
of the time.

`AccentFoldedCountVectorsFeaturizer` sees "cài_đặt" and "cai_dat" as one
word. Placed beside the normal one, it feeds the vectorizer folded
tokens, so a message typed without accents shares features with the
accented training examples (measured in benchmarks/eval.md).
"""
from typing import Any, Dict, List, Optional, Text, Tuple

import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.text import fold

Features = List[Optional[scipy.sparse.spmatrix]]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class BatchedCountVectorsFeaturizer(CountVectorsFeaturizer):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **CountVectorsFeaturizer.get_default_config(),
            # False: only the whole message's counts (sentence features),
            # not one row per word. A classifier that reads only sentence
            # features (LinearAnswerClassifier) needs no per-word rows, and
            # those of a large vocabulary (character n-grams) cost time.
            "sequence_features": True,
        }

    def process(self, messages: List[Message]) -> List[Message]:
        if self.vectorizers is None:
            return super().process(messages)
        for attribute in self._attributes:
            tokens = [self._get_processed_message_tokens_by_attribute(m, attribute) for m in messages]
            sequences, sentences = self._create_features(attribute, tokens)
            if len(sequences) != len(messages):  # no vectorizer for this attribute
                continue
            keep_sequence = self._config["sequence_features"]
            for message, sequence, sentence in zip(messages, sequences, sentences):
                self.add_features_to_message(sequence if keep_sequence else None, sentence, attribute, message)
        return messages

    def _create_features(self, attribute: Text, all_tokens: List[List[Text]]) -> Tuple[Features, Features]:
        vectorizer = self.vectorizers.get(attribute)
        if not vectorizer:
            return [None], [None]
        flat = [token for tokens in all_tokens for token in tokens]
        if not flat:
            return [None] * len(all_tokens), [None] * len(all_tokens)
        words = vectorizer.transform(flat).tocsr()
        with_sentence = attribute in DENSE_FEATURIZABLE_ATTRIBUTES
        sentences = vectorizer.transform([" ".join(t) for t in all_tokens if t]).tocsr() if with_sentence else None
        sequence_features: Features = []
        sentence_features: Features = []
        row, sentence_row = 0, 0
        for tokens in all_tokens:
            if not tokens:
                sequence_features.append(None)
                sentence_features.append(None)
                continue
            block = words[row:row + len(tokens)]
            block.sort_indices()
            sequence_features.append(block.tocoo())
            row += len(tokens)
            if sentences is not None:
                sentence = sentences[sentence_row:sentence_row + 1]
                sentence.sort_indices()
                sentence_features.append(sentence.tocoo())
                sentence_row += 1
            else:
                sentence_features.append(None)
        return sequence_features, sentence_features


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class AccentFoldedCountVectorsFeaturizer(BatchedCountVectorsFeaturizer):
    def _get_message_tokens_by_attribute(
        self, message: Message, attribute: Text
    ) -> List[Text]:
        return [fold(token) for token in super()._get_message_tokens_by_attribute(message, attribute)]
