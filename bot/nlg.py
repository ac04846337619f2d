"""Response generator that fills {hotline}, {link_download}... in domain.yml
responses from data/settings.yml, so contact details live in one file.

Configured in endpoints.yml as `nlg: type: bot.nlg.SettingsResponseGenerator`.
Static answers keep working (with the hotline) even when the action server
is down, because they never need a custom action.
"""
from typing import Any, Dict, Optional

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from bot.settings import load_settings


class SettingsResponseGenerator(TemplatedNaturalLanguageGenerator):
    def __init__(
        self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)
        self.settings_variables = load_settings().response_variables()

    def _response_variables(
        self, filled_slots: Dict[str, Any], kwargs: Dict[str, Any]
    ) -> Dict[str, Any]:
        variables = dict(self.settings_variables)
        variables.update(super()._response_variables(filled_slots, kwargs))
        return variables
