"""The staff report (bot/analytics) on the Rasa server at /admin/report,
for staff only: off unless ADMIN_TOKEN is set (at least 12 characters),
and then only for a request that carries it, as the password of HTTP
Basic authentication (the browser asks for it; any user name) or as
`Authorization: Bearer <token>`. Never a query parameter, which would end
up in logs. `?since=YYYY-MM-DD` limits the period.

Registered like a channel (credentials.yml) because that is how Rasa lets
us add routes; it handles no citizens' messages. nginx does not publish
/admin/ in the production profile: staff open it on a server's own port.
"""

import asyncio
import base64
import hmac
import logging
from datetime import date
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.http_guard import client_address
from bot.rate_limit import RateLimiter
from bot.settings import MIN_ADMIN_TOKEN_LENGTH, load_settings

logger = logging.getLogger(__name__)
ADMIN_PATH = "/admin"
# Requests one address may make per minute: slows password guessing.
ATTEMPTS_PER_MINUTE = 20
HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # The report is self-contained: inline styles and SVG, nothing to fetch.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
}


def presented_token(authorization: str) -> Optional[str]:
    """The token in a Basic (as the password) or Bearer Authorization header."""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2]
    return None


def sql_engine(agent: Any) -> Optional[Any]:
    """The SQL engine of the server's own tracker store, under Rasa's
    wrappers (fail-safe, awaitable), so the report reads exactly the store
    the server writes to."""
    store = getattr(agent, "tracker_store", None)
    while store is not None and not hasattr(store, "engine") and hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return getattr(store, "engine", None)


class AdminReportPage(InputChannel):
    def __init__(self, token: str = "") -> None:
        self.token = token or ""
        if self.token and len(self.token) < MIN_ADMIN_TOKEN_LENGTH:
            logger.warning(
                "ADMIN_TOKEN is shorter than %d characters: the staff report stays off.", MIN_ADMIN_TOKEN_LENGTH
            )
            self.token = ""

    @classmethod
    def name(cls) -> str:
        return "admin_report"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls(str((credentials or {}).get("token") or ""))

    def url_prefix(self) -> str:
        return ADMIN_PATH  # absolute: Rasa keeps it as is

    def authorised(self, request: Request) -> bool:
        token = presented_token(request.headers.get("authorization", ""))
        return token is not None and hmac.compare_digest(token.encode(), self.token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        admin = Blueprint("admin_report", __name__)
        attempts = RateLimiter(ATTEMPTS_PER_MINUTE)
        one_at_a_time = asyncio.Lock()  # a report is CPU work; charts use pyplot's global state

        @admin.route("/report", methods=["GET"])
        async def report(request: Request) -> HTTPResponse:
            if not self.token:
                return response.text("Not found", status=404)
            if not attempts.allow(client_address(request)):
                return response.text(
                    "Quá nhiều lần thử; vui lòng đợi một phút.", status=429, headers={"Retry-After": "60", **HEADERS}
                )
            if not self.authorised(request):
                return response.text(
                    "Cần mật khẩu báo cáo (ADMIN_TOKEN).",
                    status=401,
                    headers={"WWW-Authenticate": 'Basic realm="Bluezone staff report", charset="UTF-8"', **HEADERS},
                )
            since = request.args.get("since")
            try:
                first_day = date.fromisoformat(since) if since else None
            except ValueError:
                return response.text("since phải có dạng YYYY-MM-DD.", status=400, headers=HEADERS)
            engine = sql_engine(getattr(request.app.ctx, "agent", None))
            if engine is None:
                return response.text("Báo cáo cần kho hội thoại SQL (endpoints.yml).", status=503, headers=HEADERS)
            from bot.analytics.report import build_report

            async with one_at_a_time:
                page = await asyncio.get_running_loop().run_in_executor(
                    None, build_report, engine, load_settings(), first_day
                )
            return response.html(page, headers=HEADERS)

        return admin
