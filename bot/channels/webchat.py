"""Rasa's socketio channel (the web chat widget's), with three fixes.

1. Rasa 3.6 joins the browser to its conversation's room with
   `sio.enter_room(...)` without `await`; in the python-socketio our lock
   resolves to, that is a coroutine, so the join never happens and, with
   `session_persistence`, no answer ever reaches the widget.
2. Rasa takes the conversation id from every message as the browser sends
   it. Here a conversation id must look like the random ids Rasa issues
   (32 hex digits; anything else gets a fresh one), and a browser connection
   can only write to the conversation it was confirmed for, so one visitor
   cannot read or write another's conversation.
3. Rasa's socketio output drops any message with a link button (it
   expects every button to have a payload); rasa-webchat shows link
   buttons, so they are passed on as such.

The rest (events, answers, metadata) is Rasa's own channel.
"""

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.channels import handover
from bot.channels.formatting import with_call_links, with_markdown_lists
from bot.channels.spec import ChannelSpec
from bot.rate_limit import RateLimiter
from bot.settings import load_settings

logger = logging.getLogger(__name__)

SPEC = ChannelSpec(name="socketio", label="Web", report_label="Trang web (khung chat)")

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def session_id_from(data: Any) -> str:
    """The browser's conversation id if it is one Rasa could have issued."""
    wanted = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(wanted, str) and SESSION_ID.match(wanted):
        return wanted
    return uuid.uuid4().hex


def _shaped(text: str) -> str:
    settings = load_settings()
    return with_markdown_lists(with_call_links(text, (settings.hotline, settings.moh_hotline)))


def _bubbles(text: str) -> List[str]:
    """One bubble per paragraph, as Rasa's socket.io output sends them,
    each shaped for the widget's Markdown."""
    return [_shaped(part) for part in text.strip().split("\n\n")] or [""]


class WebChatOutput(SocketIOOutput):
    """The widget renders Markdown: the hotlines become tap-to-call links
    and numbered steps real lists."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in _bubbles(text):
            await self._send_message(recipient_id, {"text": part})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        parts = _bubbles(text)
        for part in parts[:-1]:
            await self._send_message(recipient_id, {"text": part})
        replies = [
            {"type": "web_url", "title": b["title"], "url": b["url"]}
            if b.get("url")
            else {"content_type": "text", "title": b["title"], "payload": b.get("payload", "")}
            for b in buttons
        ]
        await self._send_message(recipient_id, {"text": parts[-1], "quick_replies": replies})


class WebChatInput(SocketIOInput):
    def get_output_channel(self) -> Optional[WebChatOutput]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        sio = self.sio
        confirmed: Dict[str, str] = {}  # socket id -> its conversation id
        flood = RateLimiter(load_settings().limits.per_sender_per_minute, name="web-sender")

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Optional[Dict]) -> None:
            session_id = session_id_from(data)
            confirmed[sid] = session_id
            if self.session_persistence:
                await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            confirmed.pop(sid, None)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            sender_id = confirmed.get(sid) if self.session_persistence else sid
            if sender_id is None or (self.session_persistence and data.get("session_id") != sender_id):
                logger.warning("Web chat: message for a conversation this connection was not given; ignored.")
                return
            if not flood.allow(sender_id):
                logger.warning("Web chat: too many messages from one conversation; dropped.")
                return
            text = data.get("message")
            metadata = data.get(self.metadata_key)
            await on_new_message(
                UserMessage(
                    text if isinstance(text, str) else "",
                    WebChatOutput(sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    metadata=handover.unclaimed(metadata),
                )
            )

        return webhook
