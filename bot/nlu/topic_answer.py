"""From answers to topics: the intent classifier ranks exact answers
("ask_install/uninstall", trained so by AnswerLabels) and plain intents
("greet"); this adds the answers of each topic up into the topic's
confidence, reports the topic as the intent (the 22 names of the contract,
which the rules follow and `/model/parse` shows) and the answers in Rasa's
response-selector format, where Rasa's retrieval action finds the one to
say: the best answer of the chosen topic, never one from another topic.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.retrieval import DEFAULT_SELECTOR, best_within, choose

RESPONSE_SELECTOR = "response_selector"


def topic_of(label: str) -> str:
    return label.split("/")[0]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class TopicAnswer(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TopicAnswer:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not ranking:
                continue
            topics: Dict[str, float] = defaultdict(float)
            for label in ranking:
                topics[topic_of(label["name"])] += float(label["confidence"])
            topic_ranking = [{"name": t, "confidence": c} for t, c in sorted(topics.items(), key=lambda i: -i[1])]
            answers = [{"intent_response_key": r["name"], "confidence": float(r["confidence"])}
                       for r in ranking if "/" in r["name"]]
            selector: Dict[str, Any] = {
                "all_retrieval_intents": sorted({topic_of(a["intent_response_key"]) for a in answers}),
                DEFAULT_SELECTOR: {"ranking": answers},
            }
            intent = topic_ranking[0]
            if intent["name"] in selector["all_retrieval_intents"]:
                key, confidence = best_within(selector, intent["name"])
                selector = choose(selector, intent["name"], key, confidence)
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, topic_ranking, add_to_output=True)
            message.set(RESPONSE_SELECTOR, selector, add_to_output=True)
        return messages
