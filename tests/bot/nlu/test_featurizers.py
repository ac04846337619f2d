"""The batched featurizers give each message the matrices Rasa's own
CountVectorsFeaturizer gives it, and only the kinds of features asked for."""

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.featurizers import AccentFoldedCountVectorsFeaturizer, BatchedCountVectorsFeaturizer

TRAINING = [
    ("cài đặt bluezone", "ask_install"),
    ("gỡ bluezone", "ask_install"),
    ("bluezone có tốn pin không", "ask_battery_data"),
    ("chào ad", "greet"),
]
# The second message has no word the vocabulary knows; the third is empty.
PARSED = ["cài bluezone tốn pin", "xyz", "", "cai dat bluezone"]


def tokenized(rows):
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    messages = [Message(data={TEXT: text, **({INTENT: intent} if intent else {})}) for text, intent in rows]
    tokenizer.process(messages)
    return messages


def featurizer(cls, tmp_path, **config):
    tmp_path.mkdir(parents=True, exist_ok=True)
    featurizer = cls.create(
        {**cls.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource(cls.__name__),
        ExecutionContext(None),
    )
    training = TrainingData(tokenized(TRAINING))
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    tokenizer.process_training_data(training)
    featurizer.train(training)
    return featurizer


def features(featurizer, texts):
    messages = tokenized([(text, None) for text in texts])
    featurizer.process(messages)
    return [m.get_sparse_features(TEXT) for m in messages]


def dense(feature):
    return None if feature is None else feature.features.toarray().tolist()


@pytest.mark.parametrize("texts", [PARSED, PARSED[:1]], ids=["several", "one"])
@pytest.mark.parametrize(
    "config", [{}, {"analyzer": "char_wb", "min_ngram": 2, "max_ngram": 5}], ids=["words", "character n-grams"]
)
def test_each_message_gets_rasas_own_matrices(tmp_path, texts, config):
    ours = features(featurizer(BatchedCountVectorsFeaturizer, tmp_path / "ours", **config), texts)
    rasas = features(featurizer(CountVectorsFeaturizer, tmp_path / "rasa", **config), texts)
    for (our_sequence, our_sentence), (rasa_sequence, rasa_sentence) in zip(ours, rasas):
        assert dense(our_sentence) == dense(rasa_sentence)
        assert dense(our_sequence) == dense(rasa_sequence)


def test_without_sequence_features_only_the_whole_message_is_counted(tmp_path):
    ours = features(featurizer(BatchedCountVectorsFeaturizer, tmp_path, sequence_features=False), PARSED)
    rasas = features(featurizer(CountVectorsFeaturizer, tmp_path / "rasa"), PARSED)
    assert all(sequence is None for sequence, _ in ours)
    assert [dense(s) for _, s in ours] == [dense(s) for _, s in rasas]
    assert dense(ours[0][1]) != dense(ours[1][1])


def test_words_typed_without_diacritics_count_as_the_accented_ones(tmp_path):
    folded = featurizer(AccentFoldedCountVectorsFeaturizer, tmp_path, sequence_features=False)
    (_, accented), (_, plain) = features(folded, ["cài đặt bluezone", "cai dat bluezone"])
    assert dense(accented) == dense(plain)
    assert sum(dense(accented)[0]) == 3
