"""Components built as Rasa builds them for training: `create` with a
model storage of their own."""

import tempfile
from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource


def for_training(component_class, model_id=None, storage_dir=None, **config):
    folder = Path(storage_dir or tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(folder)
    return component_class.create(
        dict(component_class.get_default_config(), **config),
        storage,
        Resource(component_class.__name__),
        ExecutionContext(GraphSchema({}), model_id=model_id),
    )
