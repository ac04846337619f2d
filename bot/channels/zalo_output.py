"""Sends the bot's answers to a Zalo OA follower as customer-service
messages, within Zalo's limits.

Buttons go as the button template of the customer-service endpoint: a
link opens the page (oa.open.url); a choice (a topic, 👍 / 👎) sends its
title back as the citizen's own message (oa.query.show), which
bot.conversation.buttons reads as that button. Zalo shows at most
MAX_BUTTONS under one message, so more choices follow in further messages.
Zalo documents the template for this endpoint only in its console, so if
it refuses a message with buttons, the same message goes again as text
with the links written out and the choices numbered (the citizen answers
with the number): nothing is dropped.
"""

from typing import Any, Dict, Iterable, List

from rasa.core.channels.channel import OutputChannel

from bot.channels.formatting import split_text
from bot.channels.zalo_api import ZaloApi

MAX_TEXT = 2000  # characters in one message; Zalo refuses longer ones
MAX_BUTTONS = 5  # buttons under one message
MAX_BUTTON_TITLE = 100
MORE_CHOICES = "Hoặc chọn:"
CHOOSE = "Anh/chị nhắn số để chọn:"

Button = Dict[str, Any]


def zalo_button(button: Button) -> Button:
    title = str(button.get("title") or button.get("url") or button.get("payload") or "").strip()[:MAX_BUTTON_TITLE]
    if button.get("url"):
        return {"title": title, "type": "oa.open.url", "payload": {"url": str(button["url"])}}
    return {"title": title, "type": "oa.query.show", "payload": title}


def with_buttons(text: str, buttons: List[Button]) -> Dict[str, Any]:
    return {"text": text, "attachment": {"type": "template", "payload": {"buttons": [zalo_button(b) for b in buttons]}}}


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

    def _written_out(self, text: str, buttons: Iterable[Button]) -> str:
        """The text with its buttons as words: links with their address,
        choices numbered on from those shown before in this turn."""
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

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: List[Button], **kwargs: Any) -> None:
        buttons = [b for b in buttons if b.get("url") or b.get("payload")]
        pieces = split_text(text, MAX_TEXT) or [MORE_CHOICES]
        for piece in pieces[:-1]:
            await self.api.send(recipient_id, {"text": piece})
        caption = pieces[-1]
        for start in range(0, max(len(buttons), 1), MAX_BUTTONS):
            group = buttons[start : start + MAX_BUTTONS]
            message = with_buttons(caption, group) if group else {"text": caption}
            if await self.api.send(recipient_id, message) is None and group:
                await self._send_texts(recipient_id, self._written_out(caption, group))
            caption = MORE_CHOICES

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Button], **kwargs: Any
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
