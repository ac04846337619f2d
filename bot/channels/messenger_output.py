"""Sends the bot's answers to Messenger through the Graph API Send API,
within Messenger's limits.

Why not Rasa's MessengerBot: it posts through `fbmessenger`, whose
`requests` calls block Rasa's event loop and always go to Meta's servers
(tests need a local fake), and it drops buttons past the third instead of
turning topic buttons into quick replies.
"""

import logging
from typing import Any, Dict, Iterable, List, Optional

import aiohttp
from rasa.core.channels.channel import OutputChannel

from bot.channels.formatting import split_text

logger = logging.getLogger(__name__)

MAX_TEXT = 2000  # characters in one text message
MAX_TEMPLATE_TEXT = 640  # characters of text in a button template
MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20  # characters of a button or quick-reply title


def short_title(title: str) -> str:
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


def quick_replies(buttons: Iterable[Dict[str, Any]]) -> List[Dict[str, str]]:
    return [
        {"content_type": "text", "title": short_title(b["title"]), "payload": b["payload"]}
        for b in buttons
        if b.get("payload")
    ][:MAX_QUICK_REPLIES]


def template_buttons(buttons: Iterable[Dict[str, Any]]) -> List[Dict[str, str]]:
    converted = []
    for b in buttons:
        if b.get("url"):
            converted.append({"type": "web_url", "title": short_title(b["title"]), "url": b["url"]})
        elif b.get("payload"):
            converted.append({"type": "postback", "title": short_title(b["title"]), "payload": b["payload"]})
    return converted[:MAX_TEMPLATE_BUTTONS]


class GraphMessengerOutput(OutputChannel):
    @classmethod
    def name(cls) -> str:
        return "facebook"

    def __init__(self, graph_url: str, page_access_token: str) -> None:
        super().__init__()
        self.messages_url = graph_url.rstrip("/") + "/me/messages"
        self.page_access_token = page_access_token

    async def _post(self, body: Dict[str, Any]) -> None:
        headers = {"Authorization": f"Bearer {self.page_access_token}"}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
            async with session.post(self.messages_url, json=body, headers=headers) as reply:
                if reply.status >= 400:
                    logger.error("Messenger Send API answered %s: %s", reply.status, (await reply.text())[:500])

    async def _send_message(self, recipient_id: str, message: Dict[str, Any]) -> None:
        await self._post({"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE", "message": message})

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        await self._post({"recipient": {"id": recipient_id}, "sender_action": sender_action})

    async def _send_texts(self, recipient_id: str, text: str, last: Optional[Dict[str, Any]] = None) -> None:
        """The text in pieces; `last` (quick replies) rides on the final piece."""
        pieces = split_text(text, MAX_TEXT) or [""]
        for index, piece in enumerate(pieces):
            message: Dict[str, Any] = {"text": piece}
            if last and index == len(pieces) - 1:
                message.update(last)
            await self._send_message(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_texts(recipient_id, text)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        """Links become a button template (3 at most); buttons that send a
        payload (topics, 👍 / 👎) become quick replies (13 at most), on the
        template itself when the message has both."""
        replies = quick_replies(buttons)
        if any(b.get("url") for b in buttons):
            pieces = split_text(text, MAX_TEMPLATE_TEXT)
            for piece in pieces[:-1]:
                await self._send_message(recipient_id, {"text": piece})
            links = [b for b in buttons if b.get("url")]
            template = {
                "template_type": "button",
                "text": pieces[-1] if pieces else " ",
                "buttons": template_buttons(links),
            }
            message: Dict[str, Any] = {"attachment": {"type": "template", "payload": template}}
            if replies:
                message["quick_replies"] = replies
            await self._send_message(recipient_id, message)
        else:
            await self._send_texts(recipient_id, text, {"quick_replies": replies})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"attachment": {"type": "image", "payload": {"url": image}}})

    async def send_elements(self, recipient_id: str, elements: Iterable[Dict[str, Any]], **kwargs: Any) -> None:
        template = {"template_type": "generic", "elements": list(elements)[:10]}
        await self._send_message(recipient_id, {"attachment": {"type": "template", "payload": template}})

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, json_message)
