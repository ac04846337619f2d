"""Facebook Messenger, hardened: Rasa's `facebook` channel (same webhook
path, /webhooks/facebook/webhook) with what Meta requires and Rasa 3.6
lacks.

- `X-Hub-Signature-256` (HMAC-SHA256 with the app secret, constant-time
  compare); a missing or bad signature gets 403 and is not processed.
- Meta gets its 200 at once; the message is answered in the background,
  once per `mid` whichever server Meta's retries reach, and by another
  server if the one that took it dies (bot/channels/inbox.py).
- One citizen's flood (more than `limits.per_sender_per_minute`) is
  dropped; Meta still gets its 200.
- Attachments (image, sticker, location...) get the bot's "I read only
  text" answer through Rasa, instead of their URL being read as a question.
- Hand-over: when the bot pauses a conversation for page staff (see
  actions/escalation.py), staff resume it by sending the resume command
  from the page inbox, or it resumes by itself after a timeout
  (data/settings.yml, `messenger`).

Credentials come only from FB_VERIFY_TOKEN, FB_APP_SECRET and
FB_PAGE_ACCESS_TOKEN (credentials.yml); without them the channel is off.
"""

import hashlib
import hmac
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import handover
from bot.channels.delivery import not_text, redis_from_env, same_secret
from bot.channels.inbox import webhook_inbox
from bot.channels.messenger_output import (
    MAX_QUICK_REPLIES,
    MAX_TEMPLATE_BUTTONS,
    MAX_TEXT,
    MAX_TITLE,
    GraphMessengerOutput,
)
from bot.channels.spec import ChannelSpec, Shows
from bot.rate_limit import RateLimiter
from bot.settings import load_settings

logger = logging.getLogger(__name__)

SPEC = ChannelSpec(
    name="facebook",
    label="Messenger",
    report_label="Facebook Messenger",
    shows=Shows(
        longest_text=MAX_TEXT,
        link_buttons=MAX_TEMPLATE_BUTTONS,
        choices=MAX_QUICK_REPLIES,
        title_length=MAX_TITLE,
        staff_take_over=True,
    ),
    secrets=("FB_VERIFY_TOKEN", "FB_APP_SECRET", "FB_PAGE_ACCESS_TOKEN"),
    webhook="/webhooks/facebook/webhook",
    platform_posts=True,
)
DEFAULT_GRAPH_URL = "https://graph.facebook.com/v19.0"


def valid_signature(app_secret: str, body: bytes, header: str) -> bool:
    """Meta's X-Hub-Signature-256: 'sha256=' + HMAC-SHA256(app secret, body)."""
    if not app_secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return same_secret(expected, header[len("sha256=") :])


def message_text(event: Dict[str, Any]) -> Optional[str]:
    """What the citizen sent, as text for Rasa; None for receipts and echoes."""
    message = event.get("message")
    if isinstance(message, dict) and not message.get("is_echo"):
        quick_reply = message.get("quick_reply")
        if isinstance(quick_reply, dict) and quick_reply.get("payload"):
            return str(quick_reply["payload"])
        if isinstance(message.get("text"), str):
            return message["text"]
        if message.get("sticker_id"):
            return not_text("sticker")
        if message.get("attachments"):
            return not_text((attachment_types(event) or ["file"])[0])
    postback = event.get("postback")
    if isinstance(postback, dict) and postback.get("payload"):
        return str(postback["payload"])
    return None


def message_id(event: Dict[str, Any]) -> Optional[str]:
    for key in ("message", "postback"):
        part = event.get(key)
        if isinstance(part, dict) and part.get("mid"):
            return str(part["mid"])
    return None


def attachment_types(event: Dict[str, Any]) -> list:
    attachments = _part(event, "message").get("attachments")
    return [a.get("type") for a in attachments if isinstance(a, dict)] if isinstance(attachments, list) else []


def _part(container: Any, key: str) -> Dict[str, Any]:
    """container[key] if both are objects, else {}: Meta's payloads are
    trusted only after their signature, and even then only in shape."""
    value = container.get(key) if isinstance(container, dict) else None
    return value if isinstance(value, dict) else {}


def _items(container: Dict[str, Any], key: str) -> list:
    value = container.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


class MessengerInput(FacebookInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(
            credentials.get("verify") or "",
            credentials.get("secret") or "",
            credentials.get("page-access-token") or "",
            graph_url=credentials.get("graph-url") or os.environ.get("FB_GRAPH_URL") or DEFAULT_GRAPH_URL,
        )

    def __init__(
        self, fb_verify: str, fb_secret: str, fb_access_token: str, graph_url: str = DEFAULT_GRAPH_URL
    ) -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        self.graph_url = graph_url
        self.inbox = webhook_inbox("messenger", redis_from_env())
        settings = load_settings()
        self.resume_command = settings.handover.resume_command
        self.handover_seconds = settings.handover.handover_minutes * 60
        self.flood = RateLimiter(settings.limits.per_sender_per_minute, name="messenger-sender")

    @property
    def enabled(self) -> bool:
        return bool(self.fb_verify and self.fb_secret and self.fb_access_token)

    def get_output_channel(self) -> GraphMessengerOutput:
        return GraphMessengerOutput(self.graph_url, self.fb_access_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("messenger_webhook", __name__)

        async def answer(app: Any, job: Dict[str, Any]) -> None:
            await self._answer(app, job["sender"], job["text"], job["metadata"], on_new_message)

        self.inbox.serve(webhook, answer)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "off"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text("Messenger channel is off", status=404)
            if request.args.get("hub.mode") == "subscribe" and same_secret(
                self.fb_verify, request.args.get("hub.verify_token") or ""
            ):
                return response.text(request.args.get("hub.challenge") or "")
            return response.text("invalid verify token", status=403)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text("Messenger channel is off", status=404)
            if not valid_signature(
                self.fb_secret, request.body or b"", request.headers.get("X-Hub-Signature-256") or ""
            ):
                logger.warning("Messenger webhook: missing or invalid X-Hub-Signature-256, ignored.")
                return response.text("invalid signature", status=403)
            try:
                payload = json.loads(request.body)
            except (ValueError, RecursionError):  # not JSON, or nested past Python's limit
                return response.text("body is not JSON", status=400)
            if not isinstance(payload, dict) or payload.get("object") != "page":
                return response.text("not a page event", status=400)
            for entry in _items(payload, "entry"):
                for event in _items(entry, "messaging"):
                    await self._accept(request.app, event)
            return response.text("EVENT_RECEIVED")

        return webhook

    async def _accept(self, app: Any, event: Dict[str, Any]) -> None:
        """Queue one webhook event for answering after Meta has its 200."""
        message = _part(event, "message")
        if message.get("is_echo"):
            # Our own page's messages: the bot's, or page staff's.
            if str(message.get("text") or "").strip().lower() == self.resume_command:
                app.add_task(handover.resume(app.ctx.agent, _part(event, "recipient").get("id")))
            return
        text = message_text(event)
        sender_id = _part(event, "sender").get("id")
        if text is None or not sender_id:
            return  # delivery and read receipts, reactions...
        if not self.flood.allow(str(sender_id)):
            logger.warning("Messenger: too many messages from one citizen; dropped.")
            return
        metadata = {handover.STAFF_CAN_TAKE_OVER: SPEC.shows.staff_take_over}
        job, mid = {"sender": str(sender_id), "text": text, "metadata": metadata}, message_id(event)
        if not await self.inbox.accept(app, mid, job):
            logger.info("Messenger redelivered %s; already answered.", mid)

    async def _answer(
        self, app: Any, sender_id: str, text: str, metadata: Dict[str, Any], on_new_message: Callable
    ) -> None:
        output = self.get_output_channel()
        try:
            await handover.resume_if_forgotten(app.ctx.agent, sender_id, self.handover_seconds)
            await output.send_action(sender_id, "typing_on")
            await on_new_message(UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata))
        except Exception:  # noqa: BLE001 - a background task must log, not vanish
            logger.exception("Messenger: could not answer %s", sender_id)
