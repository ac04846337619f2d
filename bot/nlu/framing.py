"""Adds copies of some training examples inside a letter or a story.

Citizens write long: who they are, what happened, then the question; or a
formal letter to the department. Short training examples alone teach the
classifier that every word matters, so a long frame drowns the question.
Framing a share of the examples with topic-free openings and closings
(data/knowledge/frames.yml), the same frames for every topic, teaches it
that the frame carries no topic. Training only; deterministic (a hash of
the example picks whether and how it is framed).
"""

from __future__ import annotations

import hashlib
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.paths import project_path

DEFAULT_FRAMES_PATH = "data/knowledge/frames.yml"


# Marks a framed copy in its message's data: no one types the letter it
# made up, so TaughtAnswers does not look it up.
FRAMED_COPY = "framed_copy"


def _pick(options: List[str], seed: int, salt: int) -> str:
    return options[(seed // (salt + 1)) % len(options)]


def frame(question: str, frames: Dict[str, List[str]], seed: int) -> str:
    template = _pick(frames["frames"], seed, 0)
    fill = {
        name: _pick(values, seed, index + 1) for index, (name, values) in enumerate(frames.items()) if name != "frames"
    }
    return template.format(q=question.rstrip(" ?.!"), **fill)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class FramedCopies(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "frames_path": DEFAULT_FRAMES_PATH,
            # Share of examples copied into a frame (0-1).
            "share": 0.25,
            # Intents whose examples are framed: questions, not chit-chat.
            "intents_with_prefix": ["ask_", "report_", "request_", "out_of_scope"],
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        return hashlib.sha256(project_path(config["frames_path"]).read_bytes()).hexdigest()

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FramedCopies:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        with open(project_path(self.config["frames_path"]), encoding="utf-8") as handle:
            frames = yaml.safe_load(handle)
        prefixes = tuple(self.config["intents_with_prefix"])
        limit = int(self.config["share"] * 1000)
        copies = []
        for message in training_data.intent_examples:
            intent = message.get(INTENT) or ""
            if not intent.startswith(prefixes):
                continue
            seed = int(hashlib.md5(message.get(TEXT).encode("utf-8")).hexdigest(), 16)
            if seed % 1000 >= limit:
                continue
            framed = frame(message.get(TEXT), frames, seed // 1000)
            copies.append(Message(data={**message.data, TEXT: framed, FRAMED_COPY: True}))
        return training_data.merge(TrainingData(training_examples=copies))

    def process(self, messages: List[Message]) -> List[Message]:
        return messages
