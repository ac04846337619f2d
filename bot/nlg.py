"""Response generator that fills {hotline}, {link_download}... in the
responses from data/settings.yml, so contact details live in one file, and
puts under each knowledge answer its official page, the topic the question
was nearly read as and the 👍 / 👎 buttons (bot/answer_buttons.py).

Configured in endpoints.yml as `nlg: type: bot.nlg.SettingsResponseGenerator`.
Static answers keep working (with the hotline and their buttons) even when
the action server is down, because they never need a custom action.
"""

from typing import Any, Dict, Mapping, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.answer_buttons import answer_buttons
from bot.settings import Settings, load_settings


class SettingsResponseGenerator(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    @property
    def settings(self) -> Settings:
        """Read afresh when staff have saved the file (bot/settings.py caches it)."""
        return load_settings()

    def _response_variables(self, filled_slots: Dict[str, Any], kwargs: Dict[str, Any]) -> Dict[str, Any]:
        variables = self.settings.response_variables()
        variables.update(super()._response_variables(filled_slots, kwargs))
        return variables

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        """With the message answered, whose ranking says which topic it was nearly read as."""
        latest = tracker.latest_message
        parse = latest.parse_data if latest is not None else {}
        return self._with_buttons(utter_action, tracker.current_slot_values(), output_channel, parse, **kwargs)

    def generate_from_slots(
        self, utter_action: Text, filled_slots: Dict[Text, Any], output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        return self._with_buttons(utter_action, filled_slots, output_channel, {}, **kwargs)

    def _with_buttons(
        self,
        utter_action: Text,
        filled_slots: Dict[Text, Any],
        output_channel: Text,
        parse: Mapping[Text, Any],
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        message = super().generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
        extra = answer_buttons(self.settings, utter_action, filled_slots, parse)
        if message is not None and extra:
            message["buttons"] = [*(message.get("buttons") or []), *extra]
        return message
