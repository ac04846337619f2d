"""From answers to topics: the intent classifier ranks exact answers
("ask_install/uninstall", trained so by AnswerLabels) and plain intents
("greet"); this adds the answers of each topic up into the topic's
confidence, reports the topic as the intent (the 22 names of the contract,
which the rules follow and `/model/parse` shows) and the answers in Rasa's
response-selector format, where Rasa's retrieval action finds the one to
say: the best answer of the chosen topic, never one from another topic.

Only the best `ranking_length` topics and answers (and every answer of the
chosen topic, for "ý tôi là..." to pick the next one) are kept: each
message's parse is stored in the conversation and sent to the action
server on every turn, and a ranking of every answer would make it many
times larger.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any, Callable, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.retrieval import DEFAULT_SELECTOR, best_within, choose

RESPONSE_SELECTOR = "response_selector"


@functools.lru_cache(maxsize=None)  # the model's labels, a few hundred
def topic_of(label: str) -> str:
    return label.split("/")[0]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TopicAnswer(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # As Rasa's classifiers and ResponseSelector: 0 keeps every label.
        return {"ranking_length": LABEL_RANKING_LENGTH}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.ranking_length = int(config["ranking_length"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TopicAnswer:
        return cls(config)

    def _shortened(self, ranking: List[Any], keep: Callable[[Any], bool] = lambda _: False) -> List[Any]:
        if not self.ranking_length:
            return ranking
        return [r for index, r in enumerate(ranking) if index < self.ranking_length or keep(r)]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not ranking:
                continue
            topics: Dict[str, float] = defaultdict(float)
            for label in ranking:
                topics[topic_of(label["name"])] += float(label["confidence"])
            topic_ranking = [{"name": t, "confidence": c} for t, c in sorted(topics.items(), key=lambda i: -i[1])]
            answers = [
                {"intent_response_key": r["name"], "confidence": float(r["confidence"])}
                for r in ranking
                if "/" in r["name"]
            ]
            selector: Dict[str, Any] = {
                "all_retrieval_intents": sorted({topic_of(a["intent_response_key"]) for a in answers}),
                DEFAULT_SELECTOR: {"ranking": answers},
            }
            intent = topic_ranking[0]
            chosen = intent["name"] + "/"
            selector[DEFAULT_SELECTOR]["ranking"] = self._shortened(
                answers, lambda a: a["intent_response_key"].startswith(chosen)
            )
            if intent["name"] in selector["all_retrieval_intents"]:
                key, confidence = best_within(selector, intent["name"])
                selector = choose(selector, intent["name"], key, confidence)
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, self._shortened(topic_ranking), add_to_output=True)
            message.set(RESPONSE_SELECTOR, selector, add_to_output=True)
        return messages
