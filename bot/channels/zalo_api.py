"""Zalo's OA API: the customer-service message endpoint, and the OA access
token that it needs, kept fresh without a person.

An access token lives about a day; it is renewed with a refresh token that
is single-use: each renewal returns the next one, which must be stored
before anything else, or the OA must be authorised again by hand. It is
stored in a file only the bot's user can read (one machine) or in Redis
(the cluster, where a lock keeps two servers from spending the same
refresh token). The refresh token given in ZALO_REFRESH_TOKEN only starts
the chain; a new one given there later replaces the stored chain.

Tokens are never logged. Why by hand: no maintained Python client for the
Zalo OA API v3 exists on PyPI; the calls are two HTTP requests.
"""

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://openapi.zalo.me"
DEFAULT_OAUTH_URL = "https://oauth.zaloapp.com"
MESSAGE_PATH = "/v3.0/oa/message/cs"
TOKEN_PATH = "/v4/oa/access_token"
# Zalo's error codes for an access token that is invalid or expired.
TOKEN_ERRORS = {-216, -220}
# Renew this long before the access token expires.
RENEW_EARLY_SECONDS = 300
TIMEOUT = aiohttp.ClientTimeout(total=20)


class ZaloApiError(Exception):
    pass


def _seed(first_refresh_token: str) -> str:
    """Which ZALO_REFRESH_TOKEN a stored chain started from (a hash, never the token)."""
    return hashlib.sha256(first_refresh_token.encode("utf-8")).hexdigest()[:16]


class FileTokenStore:
    """The token state in a file readable by the bot's user only."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    async def load(self) -> Dict[str, Any]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    async def save(self, state: Dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(state, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)

    def lock(self) -> Any:
        """One machine, one process: ZaloTokens' own lock is enough."""
        return contextlib.nullcontext()


class RedisTokenStore:
    """The token state in Redis, shared by every Rasa server."""

    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.key = f"{prefix}:zalo-token"

    async def load(self) -> Dict[str, Any]:
        raw = await self.client.get(self.key)
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {}

    async def save(self, state: Dict[str, Any]) -> None:
        await self.client.set(self.key, json.dumps(state))

    def lock(self) -> Any:
        return self.client.lock(f"{self.key}:renewing", timeout=60, blocking_timeout=30)


class ZaloTokens:
    """The OA access token, renewed before it expires and when Zalo refuses it."""

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        first_refresh_token: str,
        oauth_url: str,
        store: Any,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.first_refresh_token = first_refresh_token
        self.url = oauth_url.rstrip("/") + TOKEN_PATH
        self.store = store
        self.clock = clock
        self._local = asyncio.Lock()
        self._state: Dict[str, Any] = {}

    def _fresh(self, state: Dict[str, Any]) -> bool:
        return (
            bool(state.get("access_token"))
            and state.get("seed") == _seed(self.first_refresh_token)
            and float(state.get("expires_at") or 0) - RENEW_EARLY_SECONDS > self.clock()
        )

    async def access_token(self) -> str:
        if self._fresh(self._state):
            return self._state["access_token"]
        return await self.renew()

    async def renew(self, refused: Optional[str] = None) -> str:
        """A new access token; `refused` is the one Zalo just turned down
        (another task or server may have renewed it meanwhile)."""
        async with self._local, self.store.lock():
            state = await self.store.load()
            if self._fresh(state) and state["access_token"] != refused:
                self._state = state
                return state["access_token"]
            refresh_token = (
                state.get("refresh_token") if state.get("seed") == _seed(self.first_refresh_token) else None
            ) or self.first_refresh_token
            granted = await self._ask_for_tokens(refresh_token)
            state = {
                "seed": _seed(self.first_refresh_token),
                "refresh_token": granted["refresh_token"],
                "access_token": granted["access_token"],
                "expires_at": self.clock() + float(granted.get("expires_in") or 3600),
            }
            # The old refresh token is spent: keep the new one before anything else.
            await self.store.save(state)
            self._state = state
            logger.info("Zalo OA access token renewed.")
            return state["access_token"]

    async def _ask_for_tokens(self, refresh_token: str) -> Dict[str, Any]:
        form = {"app_id": self.app_id, "grant_type": "refresh_token", "refresh_token": refresh_token}
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.post(self.url, data=form, headers={"secret_key": self.app_secret}) as reply:
                text = await reply.text()
        try:
            body = json.loads(text)
        except ValueError:
            body = {}
        if not isinstance(body, dict) or not body.get("access_token") or not body.get("refresh_token"):
            error = body.get("error") if isinstance(body, dict) else None
            logger.error(
                "Zalo refused to renew the OA token (HTTP %s, error %s). If the refresh token was "
                "lost or expired, authorise the OA again and set ZALO_REFRESH_TOKEN (docs/channels.md).",
                reply.status,
                error,
            )
            raise ZaloApiError(f"token renewal refused (error {error})")
        return body


class ZaloApi:
    """Sends customer-service messages to one follower of the OA."""

    def __init__(self, api_url: str, tokens: ZaloTokens) -> None:
        self.url = api_url.rstrip("/") + MESSAGE_PATH
        self.tokens = tokens

    async def send(self, user_id: str, message: Dict[str, Any]) -> Optional[str]:
        """Zalo's id of the sent message; None (logged) when Zalo refused it."""
        token = await self.tokens.access_token()
        body = await self._post(token, user_id, message)
        if _error(body) in TOKEN_ERRORS:
            token = await self.tokens.renew(refused=token)
            body = await self._post(token, user_id, message)
        error = _error(body)
        if error:
            logger.error("Zalo did not send a message (error %s: %s)", error, str(body.get("message"))[:200])
            return None
        return str((body.get("data") or {}).get("message_id") or "") or None

    async def _post(self, token: str, user_id: str, message: Dict[str, Any]) -> Dict[str, Any]:
        payload = {"recipient": {"user_id": user_id}, "message": message}
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            async with session.post(self.url, json=payload, headers={"access_token": token}) as reply:
                text = await reply.text()
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return {"error": reply.status or -1, "message": text[:200]}
        return body


def _error(body: Dict[str, Any]) -> int:
    try:
        return int(body.get("error") or 0)
    except (TypeError, ValueError):
        return -1
