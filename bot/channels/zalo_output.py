"""Sends the bot's answers to a Zalo OA follower as customer-service text
messages, within Zalo's limits.

Zalo's customer-service endpoint documents text, images, files and forms,
not buttons: so that nothing is dropped, a link is written out with its
title, and choices (topics, 👍 / 👎) become a numbered list; the citizen
answers with the number, which bot.conversation.buttons reads as the
button. Numbers run on across the messages of one turn, in the order the
buttons were shown.
"""

from typing import Any, Dict, Iterable, List

from rasa.core.channels.channel import OutputChannel

from bot.channels.formatting import split_text
from bot.channels.zalo_api import ZaloApi

MAX_TEXT = 2000  # characters in one message; Zalo refuses longer ones
CHOOSE = "Anh/chị nhắn số để chọn:"


class ZaloOutput(OutputChannel):
    @classmethod
    def name(cls) -> str:
        return "zalo"

    def __init__(self, api: ZaloApi) -> None:
        super().__init__()
        self.api = api
        self.choices_shown = 0

    async def _send_texts(self, recipient_id: str, text: str) -> None:
        for piece in split_text(text, MAX_TEXT):
            await self.api.send(recipient_id, {"text": piece})

    def _with_buttons(self, text: str, buttons: Iterable[Dict[str, Any]]) -> str:
        links: List[str] = []
        choices: List[str] = []
        for button in buttons:
            title = str(button.get("title") or "").strip()
            if button.get("url"):
                links.append(f"🔗 {title}: {button['url']}" if title else f"🔗 {button['url']}")
            elif button.get("payload"):
                self.choices_shown += 1
                choices.append(f"{self.choices_shown}. {title or button['payload']}")
        parts = [text.strip(), "\n".join(links)]
        if choices:
            parts.append("\n".join([CHOOSE, *choices]))
        return "\n\n".join(part for part in parts if part)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_texts(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send_texts(recipient_id, self._with_buttons(text, buttons))

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send_texts(recipient_id, image)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        await self._send_texts(recipient_id, attachment)

    async def send_elements(self, recipient_id: str, elements: Iterable[Dict[str, Any]], **kwargs: Any) -> None:
        for element in elements:
            text = "\n".join(str(element.get(key) or "") for key in ("title", "subtitle") if element.get(key))
            await self.send_text_with_buttons(recipient_id, text, element.get("buttons") or [])

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self.api.send(recipient_id, json_message)
