"""The lexicon inside the trained model.

A deployed model must answer the same whatever lexicon file lies beside it.
The components that read the lexicon are trained from the file and store
the text in Rasa's ModelStorage; a loaded model reads it back from there.
Reading a message outside the pipeline (splitting it into questions) asks
for the lexicon of the model that is loaded, by the model's id.
"""

from collections import OrderedDict
from typing import Any, Dict, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.lexicon import DEFAULT_LEXICON_PATH, Lexicon, lexicon_fingerprint, parse_lexicon, read_lexicon_text

FILE_NAME = "lexicon.yml"
# Models loaded in this process, newest last (a server reloading its model
# keeps a few, not one per reload).
_LOADED: "OrderedDict[str, Lexicon]" = OrderedDict()
_KEEP = 4


def lexicon_of_model(model_id: Optional[str]) -> Lexicon:
    """The lexicon the loaded model was trained with; an empty one for a
    model whose pipeline has none (stock Rasa)."""
    return _LOADED.get(model_id or "", Lexicon())


def _remember(model_id: Optional[str], lexicon: Lexicon) -> None:
    if not model_id:
        return
    _LOADED[model_id] = lexicon
    _LOADED.move_to_end(model_id)
    while len(_LOADED) > _KEEP:
        _LOADED.popitem(last=False)


class CarriesLexicon:
    """For a graph component that reads the lexicon: `create` (training)
    reads the file, `train` stores its text in the model, `load` reads it
    back. The component's __init__ takes (config, lexicon_text,
    model_storage, resource) and hands the last three to `_carry`."""

    lexicon_text: str
    lexicon: Lexicon

    def _carry(self, lexicon_text: str, model_storage: ModelStorage, resource: Resource) -> None:
        self.lexicon_text = lexicon_text
        self.lexicon = parse_lexicon(lexicon_text)
        self._lexicon_storage = model_storage
        self._lexicon_resource = resource

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        # Rasa's training hook also calls this for a step it took from the
        # cache, with the cache's config in place of the component's.
        return lexicon_fingerprint(config.get("lexicon_path", DEFAULT_LEXICON_PATH))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CarriesLexicon":
        return cls(config, read_lexicon_text(config["lexicon_path"]), model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CarriesLexicon":
        with model_storage.read_from(resource) as folder:
            text = (folder / FILE_NAME).read_text(encoding="utf-8")
        _remember(execution_context.model_id, parse_lexicon(text))
        return cls(config, text, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        with self._lexicon_storage.write_to(self._lexicon_resource) as folder:
            (folder / FILE_NAME).write_text(self.lexicon_text, encoding="utf-8")
        return self._lexicon_resource
