"""Rasa's REST channel, refusing malformed requests with a clear 400.

Why: Rasa 3.6 answers a JSON body that is not an object with a 500, files
every message without a `sender` under one shared conversation called
"default" (so strangers would read each other's answers), and lets the
client claim any input channel (e.g. "facebook", which would hand the
conversation to page staff). Here the body must be an object with a
`sender` (1-128 characters) and a string `message`; the channel is "rest".
"""

from typing import Any, Dict, Optional

from rasa.core.channels.rest import RestInput
from sanic.exceptions import InvalidUsage
from sanic.request import Request

from bot.channels import handover
from bot.channels.spec import ChannelSpec

MAX_SENDER_LENGTH = 128

SPEC = ChannelSpec(name="rest", label="REST", report_label="REST (hệ thống khác)")


def _body(request: Request) -> Dict[str, Any]:
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - Sanic raises several kinds for bad JSON
        raise InvalidUsage("The body must be JSON.")
    if not isinstance(body, dict):
        raise InvalidUsage('The body must be a JSON object: {"sender": "...", "message": "..."}.')
    return body


class CheckedRestInput(RestInput):
    async def _extract_sender(self, request: Request) -> Optional[str]:
        sender = _body(request).get("sender")
        if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_LENGTH:
            raise InvalidUsage(f'"sender" must be a string of 1-{MAX_SENDER_LENGTH} characters.')
        return sender

    def _extract_message(self, request: Request) -> Optional[str]:
        message = _body(request).get("message")
        if not isinstance(message, str):
            raise InvalidUsage('"message" must be a string.')
        return message

    def _extract_input_channel(self, request: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[str, Any]]:
        return handover.unclaimed(_body(request).get("metadata")) or None
