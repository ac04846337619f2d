"""Finds phones, OS versions, phone kinds and kinds of personal data with a
spaCy EntityRuler over the Vietnamese words of the message.

The ruler runs on a spaCy `Doc` built from our underthesea tokens (so
"màn hình" is never mistaken for "hình"), matching on diacritic-free
norms (except the lexicon's `accented_only` synonyms, which without
diacritics are everyday words); patterns come from the lexicon file, not
from code. Deterministic rules suit these closed lists better than a
learned tagger, and need no annotated training data. The device-support
action reads these entities.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Optional, Text

import spacy
from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.tokens import Doc

from bot.nlu.lexicon import DEFAULT_LEXICON_PATH, Lexicon
from bot.nlu.lexicon_storage import CarriesLexicon
from bot.nlu.text import fold

# Labels whose mention may carry a version or model right after it
# ("android 5.1", "ios10", "iphone 6s", "samsung j7"), and the entity the
# version/model is reported as.
_DETAIL = {
    "device_os": ("os_version", r"\d+(?:[.,]\d+)*"),
    "phone_brand": ("phone_model", r"(?:[a-z]*\d+[a-z]*|x|xr|xs|se)"),
}


def build_patterns(lexicon: Lexicon) -> Iterator[Dict[str, Any]]:
    for label, values in lexicon.entities.items():
        detail = _DETAIL.get(label)
        for canonical, synonyms in values.items():
            for syllables in synonyms:
                # Matched on the diacritic-free norm, or on the normalised
                # text itself where that norm is an everyday word.
                attribute = "TEXT" if syllables in lexicon.accented_only else "NORM"
                parts = [fold(s) for s in syllables] if attribute == "NORM" else list(syllables)
                word = "_".join(parts)
                forms = [[{attribute: word}]]
                if len(parts) > 1:  # in case the segmenter split the phrase
                    forms.append([{attribute: part} for part in parts])
                for form in forms:
                    yield {"label": label, "id": canonical, "pattern": form}
                    if detail:
                        follower = {"NORM": {"REGEX": f"^{detail[1]}$"}}
                        yield {"label": label, "id": canonical, "pattern": form + [follower]}
                if detail:
                    glued = {attribute: {"REGEX": f"^{re.escape(word)}_?{detail[1]}$"}}
                    yield {"label": label, "id": canonical, "pattern": [glued]}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class DeviceEntityExtractor(CarriesLexicon, GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon_path": DEFAULT_LEXICON_PATH}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["spacy"]

    def __init__(
        self, config: Dict[Text, Any], lexicon_text: str, model_storage: ModelStorage, resource: Resource
    ) -> None:
        self._config = config
        self._carry(lexicon_text, model_storage, resource)
        lexicon = self.lexicon
        # A blank pipeline: we bring our own tokens, spaCy brings the matcher.
        self.nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
        self.ruler = self.nlp.add_pipe("entity_ruler", config={"validate": True})
        self.ruler.add_patterns(list(build_patterns(lexicon)))
        # (label, canonical) -> folded synonyms, longest first, to cut the
        # brand/OS off a match and keep its version or model.
        self.synonyms = {
            (label, canonical): sorted(
                ("_".join(fold(s) for s in syllables) for syllables in synonyms), key=len, reverse=True
            )
            for label, values in lexicon.entities.items()
            for canonical, synonyms in values.items()
        }

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            found = self.add_extractor_name(self.extract(tokens))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def extract(self, tokens: List[Token]) -> List[Dict[Text, Any]]:
        if not tokens:
            return []
        doc = Doc(self.nlp.vocab, words=[t.text or " " for t in tokens])
        for spacy_token, token in zip(doc, tokens):
            spacy_token.norm_ = fold(token.text)
        entities = []
        for span in self.ruler(doc).ents:
            first, last = tokens[span.start], tokens[span.end - 1]
            entities.append(_entity(span.label_, span.ent_id_, first.start, last.end))
            detail = self._detail(span.label_, span.ent_id_, "_".join(t.norm_ for t in span))
            if detail:
                entities.append(_entity(detail[0], detail[1], first.start, last.end))
        return entities

    def _detail(self, label: str, canonical: str, norm: str) -> Optional[tuple]:
        """("os_version", "5.1") from "android_5.1", or None."""
        if label not in _DETAIL:
            return None
        name, pattern = _DETAIL[label]
        for synonym in self.synonyms[(label, canonical)]:
            if norm.startswith(synonym):
                rest = norm[len(synonym) :].lstrip("_")
                if rest and re.fullmatch(pattern, rest):
                    return name, rest.replace(",", ".")
                return None
        return None


def _entity(label: str, value: str, start: int, end: int) -> Dict[Text, Any]:
    return {
        ENTITY_ATTRIBUTE_TYPE: label,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: end,
        "confidence_entity": 1.0,
    }
