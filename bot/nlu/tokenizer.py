"""Rasa tokenizer for Vietnamese chat: normalise, then segment words.

Tokens carry the normalised word ("không" for "ko", "cài_đặt" for
"cai dat"... with accents restored only where the typist wrote them) and
the span of what the citizen actually typed, so entity offsets stay right.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.lexicon import DEFAULT_LEXICON_PATH
from bot.nlu.lexicon_storage import CarriesLexicon
from bot.nlu.normalizer import normalize
from bot.nlu.segmenter import segment


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class VietnameseTokenizer(CarriesLexicon, Tokenizer):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            "lexicon_path": DEFAULT_LEXICON_PATH,
            # Only this many characters of a message are read: a pasted
            # document costs no more than a long question (MessageGuard
            # then sends it to fallback).
            "max_chars": 1000,
        }

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return ["vi"]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["underthesea"]

    def __init__(
        self, config: Dict[Text, Any], lexicon_text: str, model_storage: ModelStorage, resource: Resource
    ) -> None:
        Tokenizer.__init__(self, config)
        self._carry(lexicon_text, model_storage, resource)
        self.fixed_words = self.lexicon.fixed_words()
        self.final_particles = frozenset(self.lexicon.final_particles)
        self.max_chars = int(config["max_chars"])

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute)
        words = segment(normalize(text[: self.max_chars], self.lexicon), self.fixed_words, self.final_particles)
        if not words:
            # Only emoji or punctuation: one token for the whole text, as
            # Rasa's WhitespaceTokenizer does, so featurizers see something.
            return [Token(text, 0, len(text))]
        tokens = [Token(word.text, word.start, word.end) for word in words]
        return self._apply_token_pattern(tokens)
