"""A question about the disease is not a question about the app.

Many words belong to both: "tiếp xúc", "nhiễm lại", "bao lâu", "đối
tượng". A real question such as "người khỏi bệnh có bị nhiễm lại không"
shares them with app answers (how Bluezone detects the infected) and is
read almost as much as a COVID question as an app one. Where a message
names the disease and neither the app nor the phone (the lexicon's
`disease_words` and `app_words`; "máy bay" is no phone), and the disease
topic is read at least `min_share` as high as the app topic that leads,
the disease topic leads instead. Messages that name the app stay with
the classifier.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.lexicon import DEFAULT_LEXICON_PATH
from bot.nlu.lexicon_storage import CarriesLexicon
from bot.nlu.phrases import mentions
from bot.nlu.retrieval import best_within, choose
from bot.nlu.topic_answer import RESPONSE_SELECTOR


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class DiseaseTopic(CarriesLexicon, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon_path": DEFAULT_LEXICON_PATH, "disease_topic": "ask_covid_general", "min_share": 0.7}

    def __init__(
        self, config: Dict[Text, Any], lexicon_text: str, model_storage: ModelStorage, resource: Resource
    ) -> None:
        self._carry(lexicon_text, model_storage, resource)
        self.disease_topic = str(config["disease_topic"])
        self.min_share = float(config["min_share"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._lead_with_disease(message)
        return messages

    def _syllables(self, message: Message) -> List[str]:
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        return [syllable for token in tokens for syllable in token.text.lower().replace("_", " ").split()]

    def _lead_with_disease(self, message: Message) -> None:
        selector = message.get(RESPONSE_SELECTOR) or {}
        topics = selector.get("all_retrieval_intents") or []
        ranking = message.get(INTENT_RANKING_KEY) or []
        if len(ranking) < 2 or ranking[0]["name"] not in topics or ranking[0]["name"] == self.disease_topic:
            return
        disease = next((r for r in ranking if r["name"] == self.disease_topic), None)
        if disease is None or disease["confidence"] < self.min_share * ranking[0]["confidence"]:
            return
        syllables = self._syllables(message)
        lexicon = self.lexicon
        if mentions(syllables, lexicon.app_words, lexicon.not_app_words) or not mentions(
            syllables, lexicon.disease_words
        ):
            return
        # The two exchange places and confidences.
        swapped = {ranking[0]["name"]: disease["confidence"], self.disease_topic: ranking[0]["confidence"]}
        reordered = sorted(
            ({**r, "confidence": swapped.get(r["name"], r["confidence"])} for r in ranking),
            key=lambda r: -r["confidence"],
        )
        key, confidence = best_within(selector, self.disease_topic)
        message.set(INTENT, reordered[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, reordered, add_to_output=True)
        message.set(RESPONSE_SELECTOR, choose(selector, self.disease_topic, key, confidence), add_to_output=True)
