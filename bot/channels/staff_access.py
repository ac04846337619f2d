"""Who may open the staff pages (/admin/: the report and the workbench).

Off unless ADMIN_TOKEN is set (at least 12 characters); then only a
request that carries it, as the password of HTTP Basic authentication
(the browser asks for it; any user name) or as `Authorization: Bearer`.
Never a query parameter, which would end up in logs. An address that
gives a wrong token too often is refused for a minute. A browser sends
Basic credentials by itself, even from another site's form, so a change
made with them must also carry the page's CSRF token and come from the
page's own origin.
"""

import base64
import functools
import hashlib
import hmac
from datetime import date
from typing import Any, Awaitable, Callable, Dict, Optional
from urllib.parse import urlparse

from rasa.core.channels.channel import InputChannel
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.http_guard import client_address
from bot.rate_limit import RateLimiter
from bot.settings import MIN_ADMIN_TOKEN_LENGTH

# Wrong tokens one address may give per minute: slows password guessing.
FAILED_ATTEMPTS_PER_MINUTE = 20
CSRF_HEADER = "X-CSRF-Token"
HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Shared by every staff page of this server: guesses count together.
_failures = RateLimiter(FAILED_ATTEMPTS_PER_MINUTE, name="staff-login-failures")


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


def usable_token(token: Optional[str]) -> str:
    """The token, or "" (pages off) when it is missing or guessable."""
    token = str(token or "")
    return token if len(token) >= MIN_ADMIN_TOKEN_LENGTH else ""


class StaffAccess:
    def __init__(self, token: str) -> None:
        self.token = usable_token(token)

    @property
    def csrf_token(self) -> str:
        """What the workbench page gives its scripts to send back."""
        return hmac.new(self.token.encode(), b"bluezone-workbench-csrf", hashlib.sha256).hexdigest()

    def refusal(self, request: Request, realm: str) -> Optional[HTTPResponse]:
        """None when the request may go on; otherwise the answer to give."""
        if not self.token:
            return response.text("Not found", status=404)
        address = client_address(request)
        if _failures.exhausted(address):
            return response.text(
                "Quá nhiều lần thử; vui lòng đợi một phút.", status=429, headers={"Retry-After": "60", **HEADERS}
            )
        authorization = request.headers.get("authorization", "")
        token = presented_token(authorization)
        if token is None or not hmac.compare_digest(token.encode(), self.token.encode()):
            _failures.allow(address)
            return response.text(
                "Cần mật khẩu trang cán bộ (ADMIN_TOKEN).",
                status=401,
                headers={"WWW-Authenticate": f'Basic realm="{realm}", charset="UTF-8"', **HEADERS},
            )
        if request.method not in _SAFE_METHODS and authorization.strip().lower().startswith("basic"):
            if not self._same_origin(request) or not hmac.compare_digest(
                request.headers.get(CSRF_HEADER, "").encode(), self.csrf_token.encode()
            ):
                return response.text("Yêu cầu không hợp lệ; hãy tải lại trang.", status=403, headers=HEADERS)
        return None

    @staticmethod
    def who(request: Request) -> str:
        """The name staff typed at the browser's login (any name is let in;
        it goes into the audit log), or "token" for a script."""
        scheme, _, value = request.headers.get("authorization", "").strip().partition(" ")
        if scheme.lower() == "basic":
            try:
                name = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")[0]
            except (ValueError, UnicodeDecodeError):
                name = ""
            return name.strip()[:64] or "(không tên)"
        return "token"

    @staticmethod
    def _same_origin(request: Request) -> bool:
        origin = request.headers.get("origin")
        return origin is None or urlparse(origin).netloc == request.headers.get("host", "")


Handler = Callable[..., Awaitable[HTTPResponse]]
REALM = "Bluezone staff"  # one login for every staff page
STAFF_PATH = "/admin"


class StaffPage(InputChannel):
    """A staff page on the Rasa server, registered like a channel
    (credentials.yml: `token: ${ADMIN_TOKEN}`) because that is how Rasa
    lets us add routes; it handles no citizens' messages, and nginx does
    not publish it on the citizens' side."""

    def __init__(self, token: str = "") -> None:
        self.access = StaffAccess(token)

    @property
    def token(self) -> str:
        return self.access.token

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls(str((credentials or {}).get("token") or ""))

    def url_prefix(self) -> str:
        return STAFF_PATH  # absolute: Rasa keeps it as is

    @staticmethod
    def first_day(request: Request) -> Optional[date]:
        """The `?since=YYYY-MM-DD` of a staff page reading conversations;
        raises ValueError, said for staff, when it is not a date."""
        since = request.args.get("since")
        try:
            return date.fromisoformat(since) if since else None
        except ValueError:
            raise ValueError("since phải có dạng YYYY-MM-DD.") from None

    @staticmethod
    def conversation_store(request: Request) -> Optional[Any]:
        """The SQL engine of this server's own tracker store, under Rasa's
        wrappers (fail-safe, awaitable), so staff read exactly the store
        the server writes to; None without a SQL store."""
        store = getattr(getattr(request.app.ctx, "agent", None), "tracker_store", None)
        while store is not None and not hasattr(store, "engine") and hasattr(store, "_tracker_store"):
            store = store._tracker_store
        return getattr(store, "engine", None)

    def staff_only(self, handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            refusal = self.access.refusal(request, REALM)
            return refusal if refusal is not None else await handler(request, *args, **kwargs)

        return guarded
