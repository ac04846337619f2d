"""Limits on the Rasa server's public HTTP side, installed by
bot.rasa_runtime on the Sanic app Rasa builds.

- Request bodies over `limits.max_request_bytes` get 413 before they are
  read (Sanic's own REQUEST_MAX_SIZE).
- Per address: POSTs to /webhooks/ and /socket.io/ beyond
  `per_address_per_minute` get 429. The platforms' webhooks (Messenger,
  Zalo: bot.channels.registry) are exempt: all their requests come from a
  few addresses of Meta's or Zalo's; those channels limit per citizen.
- Per conversation: REST messages beyond `per_sender_per_minute` get 429.
Other citizens are not affected by one citizen's flood.
"""

from typing import Any, Optional

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import registry
from bot.rate_limit import RateLimiter
from bot.settings import load_settings

GUARDED_PREFIXES = ("/webhooks/", "/socket.io/")


def client_address(request: Request) -> str:
    """The client's address; behind nginx (SANIC_PROXIES_COUNT) the one it forwarded."""
    return request.remote_addr or request.ip or "unknown"


def too_many() -> HTTPResponse:
    return response.json(
        {"error": "Too many messages; please wait a minute."}, status=429, headers={"Retry-After": "60"}
    )


def _rest_sender(request: Request) -> Optional[str]:
    try:
        body = request.json
    except Exception:  # noqa: BLE001 - bad JSON: the REST channel answers 400
        return None
    sender = body.get("sender") if isinstance(body, dict) else None
    return sender if isinstance(sender, str) else None


def install(app: Any) -> None:
    limits = load_settings().limits
    app.config.REQUEST_MAX_SIZE = limits.max_request_bytes
    per_address = RateLimiter(limits.per_address_per_minute, name="address")
    per_sender = RateLimiter(limits.per_sender_per_minute, name="rest-sender")
    exempt = registry.platform_paths()

    @app.middleware("request")
    async def guard(request: Request) -> Optional[HTTPResponse]:
        path = request.path
        if request.method != "POST" or not path.startswith(GUARDED_PREFIXES) or path.startswith(exempt):
            return None
        if not per_address.allow(client_address(request)):
            return too_many()
        if path.startswith("/webhooks/rest/"):
            sender = _rest_sender(request)
            if sender is not None and not per_sender.allow(sender):
                return too_many()
        return None
