"""The linear classifier trained and reloaded through Rasa's model storage."""

import pytest
import scipy.sparse
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_classifier import LinearAnswerClassifier, sentence_features, tfidf_weighted

VOCABULARY = ["cài", "gỡ", "pin", "chào"]


def message(text, intent=None):
    counts = [[text.split().count(word) for word in VOCABULARY]]
    m = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    m.add_features(Features(scipy.sparse.coo_matrix(counts), "sentence", TEXT, "test"))
    return m


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def train(storage):
    config = LinearAnswerClassifier.get_default_config()
    classifier = LinearAnswerClassifier.create(config, storage, Resource("linear"), ExecutionContext(None))
    rows = [
        ("cài cài", "ask_install/overview"),
        ("gỡ gỡ", "ask_install/uninstall"),
        ("pin pin", "ask_battery_data/battery_drain"),
        ("chào chào", "greet"),
    ] * 5
    classifier.train(TrainingData([message(t, i) for t, i in rows]))
    return config


def test_ranks_every_label_and_survives_a_reload(storage):
    config = train(storage)
    loaded = LinearAnswerClassifier.load(config, storage, Resource("linear"), ExecutionContext(None))
    [m] = loaded.process([message("gỡ")])
    assert m.get(INTENT)["name"] == "ask_install/uninstall"
    ranking = m.get(INTENT_RANKING_KEY)
    assert len(ranking) == 4 and sum(r["confidence"] for r in ranking) == pytest.approx(1.0)


def test_a_message_without_features_still_gets_a_ranking(storage):
    config = train(storage)
    loaded = LinearAnswerClassifier.load(config, storage, Resource("linear"), ExecutionContext(None))
    [m] = loaded.process([Message(data={TEXT: "😀"})])
    assert len(m.get(INTENT_RANKING_KEY)) == 4


def test_without_a_trained_model_it_classifies_nothing(storage):
    classifier = LinearAnswerClassifier.load({}, storage, Resource("missing"), ExecutionContext(None))
    [m] = classifier.process([message("cài")])
    assert m.get(INTENT) is None


def test_a_loaded_model_multiplies_messages_without_copying_its_weights(storage):
    config = train(storage)
    loaded = LinearAnswerClassifier.load(config, storage, Resource("linear"), ExecutionContext(None))
    weights = loaded.model.steps[-1][1].coef_
    assert weights.T.flags["C_CONTIGUOUS"]


def test_features_are_rasas_combined_sentence_features_one_row_per_message():
    messages = [message("cài pin"), Message(data={TEXT: "😀"}), message("gỡ gỡ chào")]
    for m in messages[::2]:
        m.add_features(Features(scipy.sparse.coo_matrix([[0, 3, 0]]), "sentence", TEXT, "second"))
        m.add_features(Features(scipy.sparse.coo_matrix([[1, 1]]), "sequence", TEXT, "second"))
    rows = sentence_features(messages).toarray().tolist()
    expected = [m.get_sparse_features(TEXT)[1].features.toarray().tolist()[0] for m in messages[::2]]
    assert rows == [expected[0], [0] * 7, expected[1]]
    assert rows[2] == [0, 2, 0, 1, 0, 3, 0]


def test_the_tfidf_weights_are_scikit_learns():
    from sklearn.feature_extraction.text import TfidfTransformer

    counts = scipy.sparse.csr_matrix([[3, 0, 1, 0], [0, 0, 0, 0], [1, 2, 0, 5], [0, 1, 1, 1]])
    fitted = TfidfTransformer(sublinear_tf=True).fit(counts)
    ours = tfidf_weighted(counts, fitted.idf_).toarray()
    assert ours == pytest.approx(fitted.transform(counts).toarray())
    assert counts.toarray()[0].tolist() == [3, 0, 1, 0]  # the counts themselves are left alone
