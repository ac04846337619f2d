"""The lexicon travels inside the model: what a loaded model reads is the
lexicon it was trained with, not the file beside it."""

from rasa.engine.graph import ExecutionContext, GraphSchema

from bot.nlu.device_entities import DeviceEntityExtractor
from bot.nlu.lexicon import Lexicon
from bot.nlu.lexicon_storage import lexicon_of_model
from bot.nlu.tokenizer import VietnameseTokenizer
from tests.bot.nlu.building import for_training

TRAINED_WITH = "teencode:\n  ko: không\ncompounds:\n  - mã xác thực\n"
EDITED_SINCE = "teencode:\n  ko: có\n"


def train_then_load(component_class, tmp_path, model_id):
    lexicon = tmp_path / "lexicon.yml"
    lexicon.write_text(TRAINED_WITH, encoding="utf-8")
    trained = for_training(component_class, storage_dir=tmp_path / "model", lexicon_path=str(lexicon))
    resource = trained.train(training_data=None)
    lexicon.write_text(EDITED_SINCE, encoding="utf-8")
    return component_class.load(
        dict(component_class.get_default_config(), lexicon_path=str(lexicon)),
        trained._lexicon_storage,
        resource,
        ExecutionContext(GraphSchema({}), model_id=model_id),
    )


def test_a_loaded_tokenizer_reads_the_lexicon_it_was_trained_with(tmp_path):
    loaded = train_then_load(VietnameseTokenizer, tmp_path, "model-a")
    assert loaded.lexicon.teencode[("ko",)] == ("không",)
    assert "mã xác thực" in loaded.fixed_words


def test_the_loaded_models_lexicon_is_found_by_model_id(tmp_path):
    loaded = train_then_load(DeviceEntityExtractor, tmp_path, "model-b")
    assert lexicon_of_model("model-b") == loaded.lexicon
    assert lexicon_of_model("model-b").teencode[("ko",)] == ("không",)


def test_a_model_without_our_lexicon_reads_with_an_empty_one():
    assert lexicon_of_model("stock-model") == Lexicon()
    assert lexicon_of_model(None) == Lexicon()


def test_the_lexicon_file_still_decides_the_fingerprint(tmp_path):
    lexicon = tmp_path / "lexicon.yml"
    lexicon.write_text(TRAINED_WITH, encoding="utf-8")
    before = VietnameseTokenizer.fingerprint_addon({"lexicon_path": str(lexicon)})
    lexicon.write_text(EDITED_SINCE, encoding="utf-8")
    assert VietnameseTokenizer.fingerprint_addon({"lexicon_path": str(lexicon)}) != before


def test_a_step_rasa_took_from_its_cache_still_fingerprints():
    """Rasa's training hook passes the cache's config for such a step."""
    assert VietnameseTokenizer.fingerprint_addon({"output": None}) == VietnameseTokenizer.fingerprint_addon(
        VietnameseTokenizer.get_default_config()
    )
