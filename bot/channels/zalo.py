"""Zalo Official Account: the messenger most citizens of Sóc Trăng use.
Webhook at /webhooks/zalo/webhook (the URL set in the Zalo app's Webhook
page, docs/channels.md).

- Zalo signs each event in `X-ZEvent-Signature`: "mac=" + hex SHA-256 of
  app id + raw body + the event's timestamp + the OA secret key; a missing
  or wrong signature gets 403, compared in constant time. An event stamped
  far from now (`zalo.max_event_age_minutes`) is a replay: 403.
- Zalo gets its 200 at once (it redelivers an event it got no answer to);
  the message is answered in the background, once per `msg_id`, on one
  server or several, and by another server if the one that took it dies
  (bot/channels/inbox.py).
- Text goes to the bot; stickers, images, files, locations... get the
  bot's "I read only text" answer (out_of_scope with what was sent, see
  bot/channels/delivery.py); receipts and follows are ignored.
- One citizen's flood (`limits.per_sender_per_minute`) is dropped.
- Hand-over as on Messenger: staff answer in the OA chat, and give the
  conversation back with the resume command (bot/channels/handover.py).

Secrets only from ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY and
ZALO_REFRESH_TOKEN (credentials.yml); without them the channel is off.
ZALO_API_URL and ZALO_OAUTH_URL point it at another API (tests).
"""

import hashlib
import json
import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import handover
from bot.channels.delivery import not_text, redis_from_env, redis_prefix, same_secret
from bot.channels.inbox import webhook_inbox
from bot.channels.spec import ChannelSpec, Shows
from bot.channels.zalo_api import (
    DEFAULT_API_URL,
    DEFAULT_OAUTH_URL,
    FileTokenStore,
    RedisTokenStore,
    ZaloApi,
    ZaloTokens,
)
from bot.channels.zalo_output import MAX_BUTTON_TITLE, MAX_BUTTONS, MAX_TEXT, ZaloOutput
from bot.rate_limit import RateLimiter
from bot.settings import load_settings

logger = logging.getLogger(__name__)

SPEC = ChannelSpec(
    name="zalo",
    label="Zalo",
    report_label="Zalo OA",
    # Links and choices share Zalo's buttons under a message (bot/channels/zalo_output.py).
    shows=Shows(
        longest_text=MAX_TEXT,
        link_buttons=MAX_BUTTONS,
        choices=MAX_BUTTONS,
        title_length=MAX_BUTTON_TITLE,
        staff_take_over=True,
    ),
    secrets=("ZALO_APP_ID", "ZALO_APP_SECRET", "ZALO_OA_SECRET_KEY", "ZALO_REFRESH_TOKEN"),
    webhook="/webhooks/zalo/webhook",
    platform_posts=True,
)
SIGNATURE_HEADER = "X-ZEvent-Signature"
TEXT_EVENT = "user_send_text"
# What a citizen sends that is not text (image, sticker, file, location...).
CITIZEN_EVENT_PREFIX = "user_send_"
# The OA's own messages: the bot's and staff's, sent from the OA chat.
OA_EVENT_PREFIX = "oa_send_"


def signature(app_id: str, body: bytes, timestamp: str, oa_secret_key: str) -> str:
    digest = hashlib.sha256(
        app_id.encode("utf-8") + body + timestamp.encode("utf-8") + oa_secret_key.encode("utf-8")
    ).hexdigest()
    return f"mac={digest}"


def _part(container: Any, key: str) -> Dict[str, Any]:
    """container[key] if both are objects, else {}: even a signed event is
    trusted only in shape."""
    value = container.get(key) if isinstance(container, dict) else None
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value) if isinstance(value, int) else ""


def event_timestamp(event: Dict[str, Any]) -> str:
    """The timestamp as Zalo wrote it (milliseconds), the way it was signed."""
    return _text(event.get("timestamp"))


def citizen_message(event: Dict[str, Any]) -> Optional[str]:
    """What the citizen sent, as text for Rasa; None for what is not a message."""
    name = _text(event.get("event_name"))
    if name == TEXT_EVENT:
        text = _text(_part(event, "message").get("text"))
        return text if text.strip() else None
    if name.startswith(CITIZEN_EVENT_PREFIX):
        return not_text(name[len(CITIZEN_EVENT_PREFIX) :])
    return None


class ZaloInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "zalo"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            app_id=str(credentials.get("app-id") or ""),
            app_secret=str(credentials.get("app-secret") or ""),
            oa_secret_key=str(credentials.get("oa-secret-key") or ""),
            refresh_token=str(credentials.get("refresh-token") or ""),
            api_url=os.environ.get("ZALO_API_URL") or DEFAULT_API_URL,
            oauth_url=os.environ.get("ZALO_OAUTH_URL") or DEFAULT_OAUTH_URL,
        )

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        oa_secret_key: str,
        refresh_token: str,
        api_url: str = DEFAULT_API_URL,
        oauth_url: str = DEFAULT_OAUTH_URL,
    ) -> None:
        self.app_id = app_id
        self.oa_secret_key = oa_secret_key
        settings = load_settings()
        redis = redis_from_env()
        store = (
            RedisTokenStore(redis, redis_prefix()) if redis is not None else FileTokenStore(settings.zalo.token_file)
        )
        self.enabled = all((app_id, app_secret, oa_secret_key, refresh_token))
        self.api = ZaloApi(api_url, ZaloTokens(app_id, app_secret, refresh_token, oauth_url, store))
        self.inbox = webhook_inbox("zalo", redis)
        self.max_age_ms = settings.zalo.max_event_age_minutes * 60 * 1000
        self.resume_command = settings.handover.resume_command
        self.handover_seconds = settings.handover.handover_minutes * 60
        self.flood = RateLimiter(settings.limits.per_sender_per_minute, name="zalo-sender")

    def get_output_channel(self) -> ZaloOutput:
        return ZaloOutput(self.api)

    def _signed(self, body: bytes, event: Dict[str, Any], header: str) -> bool:
        timestamp = event_timestamp(event)
        return bool(timestamp) and same_secret(signature(self.app_id, body, timestamp, self.oa_secret_key), header)

    def _recent(self, event: Dict[str, Any]) -> bool:
        try:
            stamped = int(event_timestamp(event))
        except ValueError:
            return False
        return abs(time.time() * 1000 - stamped) <= self.max_age_ms

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("zalo_webhook", __name__)

        async def answer(app: Any, job: Dict[str, Any]) -> None:
            await self._answer(app, job["sender"], job["text"], job["metadata"], on_new_message)

        self.inbox.serve(webhook, answer)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "off"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text("Zalo channel is off", status=404)
            body = request.body or b""
            try:
                event = json.loads(body)
            except (ValueError, RecursionError):  # not JSON, or nested past Python's limit
                event = None
            if not isinstance(event, dict):
                return response.text("body is not a JSON object", status=400)
            if not self._signed(body, event, request.headers.get(SIGNATURE_HEADER) or ""):
                logger.warning("Zalo webhook: missing or invalid %s, ignored.", SIGNATURE_HEADER)
                return response.text("invalid signature", status=403)
            if not self._recent(event):
                logger.warning("Zalo webhook: event stamped too far from now, ignored.")
                return response.text("stale event", status=403)
            await self._accept(request.app, event)
            return response.json({"message": "ok"})

        return webhook

    async def _accept(self, app: Any, event: Dict[str, Any]) -> None:
        """Queue one event for answering after Zalo has its 200."""
        name = _text(event.get("event_name"))
        message = _part(event, "message")
        if name.startswith(OA_EVENT_PREFIX):
            # The OA's own messages: the bot's, or staff's from the OA chat.
            if _text(message.get("text")).strip().lower() == self.resume_command:
                app.add_task(handover.resume(app.ctx.agent, _text(_part(event, "recipient").get("id")) or None))
            return
        text = citizen_message(event)
        sender_id = _text(_part(event, "sender").get("id"))
        if text is None or not sender_id:
            return  # receipts, seen, follow...
        if not self.flood.allow(sender_id):
            logger.warning("Zalo: too many messages from one citizen; dropped.")
            return
        metadata = {handover.STAFF_CAN_TAKE_OVER: SPEC.shows.staff_take_over}
        msg_id = _text(message.get("msg_id"))
        if not await self.inbox.accept(app, msg_id, {"sender": sender_id, "text": text, "metadata": metadata}):
            logger.info("Zalo redelivered %s; already answered.", msg_id)

    async def _answer(
        self, app: Any, sender_id: str, text: str, metadata: Dict[str, Any], on_new_message: Callable
    ) -> None:
        try:
            await handover.resume_if_forgotten(app.ctx.agent, sender_id, self.handover_seconds)
            await on_new_message(
                UserMessage(text, self.get_output_channel(), sender_id, input_channel=self.name(), metadata=metadata)
            )
        except Exception:  # noqa: BLE001 - a background task must log, not vanish
            logger.exception("Zalo: could not answer %s", sender_id)
