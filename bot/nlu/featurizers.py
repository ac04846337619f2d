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

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.text import fold

Features = List[Optional[scipy.sparse.spmatrix]]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
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
            for message, sequence, sentence in zip(messages, sequences, sentences):
                self.add_features_to_message(sequence, sentence, attribute, message)
        return messages

    def _create_features(self, attribute: Text, all_tokens: List[List[Text]]) -> Tuple[Features, Features]:
        """Per message: its words' rows (only when `sequence_features` is on,
        as counting every word alone costs as much as the whole message) and
        its whole-message row."""
        vectorizer = self.vectorizers.get(attribute)
        if not vectorizer:
            return [None], [None]
        if not any(all_tokens):
            return [None] * len(all_tokens), [None] * len(all_tokens)
        sequence_features: Features = [None] * len(all_tokens)
        if self._config["sequence_features"]:
            words = vectorizer.transform([token for tokens in all_tokens for token in tokens]).tocsr()
            _cut(words, [len(tokens) for tokens in all_tokens], sequence_features)
        sentence_features: Features = [None] * len(all_tokens)
        if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            sentences = vectorizer.transform([" ".join(tokens) for tokens in all_tokens if tokens]).tocsr()
            _cut(sentences, [1 if tokens else 0 for tokens in all_tokens], sentence_features)
        return sequence_features, sentence_features


def _cut(matrix: scipy.sparse.csr_matrix, row_counts: List[int], into: Features) -> None:
    """Each message's rows of `matrix` (the next `row_counts[i]` rows) into
    `into[i]`, with sorted columns; a message with no rows keeps None.
    Built from the matrix's arrays: scipy's row slicing, once per message,
    cost more than counting the words. A parse has one message: its rows
    are the whole matrix."""
    matrix.sort_indices()
    starts, columns, values = matrix.indptr, matrix.indices, matrix.data
    width = matrix.shape[1]
    row = 0
    for index, count in enumerate(row_counts):
        if not count:
            continue
        if count == matrix.shape[0]:
            into[index] = matrix.tocoo()
        else:
            first, last = starts[row], starts[row + count]
            rows = np.repeat(np.arange(count, dtype=columns.dtype), np.diff(starts[row : row + count + 1]))
            into[index] = scipy.sparse.coo_matrix(
                (values[first:last], (rows, columns[first:last])), shape=(count, width)
            )
        row += count


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class AccentFoldedCountVectorsFeaturizer(BatchedCountVectorsFeaturizer):
    def _get_message_tokens_by_attribute(self, message: Message, attribute: Text) -> List[Text]:
        return [fold(token) for token in super()._get_message_tokens_by_attribute(message, attribute)]
