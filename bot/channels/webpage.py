"""The department's demo page with the chat widget, served by the Rasa
server itself at /chat/.

Why from the Rasa server: the widget (rasa-webchat from npm, no CDN) talks
to Rasa's socketio channel, which sends no CORS headers, so the page must
come from the same origin. Registered like any channel (credentials.yml);
it handles no messages itself: the widget's messages go through the
socketio channel (bot/channels/webchat.py).
"""

import functools
import html
import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import load_settings

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
WIDGET_BUNDLE = WEB_DIR / "node_modules" / "rasa-webchat" / "lib" / "index.js"
PAGE_PATH = "/chat"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_FONT_IMPORT = re.compile(rb"@import url\(https://fonts\.googleapis\.com/[^)]*\);")


@functools.lru_cache(maxsize=1)
def widget_bundle() -> bytes:
    """rasa-webchat's bundle without its Google Fonts import: citizens'
    browsers must not call a third party (privacy, and no CDN); the widget
    falls back to the page's fonts."""
    return _FONT_IMPORT.sub(b"", WIDGET_BUNDLE.read_bytes())


def render_page(template: str, variables: Dict[str, Any]) -> str:
    """Fills {hotline}, {link_home}... from data/settings.yml, HTML-escaped."""
    return _PLACEHOLDER.sub(lambda m: html.escape(str(variables.get(m.group(1), m.group(0)))), template)


class WebChatPage(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webpage"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls()

    def url_prefix(self) -> str:
        # An absolute prefix: Rasa joins it to /webhooks/, which keeps it as is.
        return PAGE_PATH

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        page = Blueprint("webpage", __name__)
        template = (WEB_DIR / "index.html").read_text(encoding="utf-8")

        @page.route("/", methods=["GET"])
        async def index(request: Request) -> HTTPResponse:
            # The settings of the moment: staff may have changed the hotline.
            return response.html(render_page(template, load_settings().response_variables()))

        @page.route("/static/webchat.js", methods=["GET"])
        async def widget(request: Request) -> HTTPResponse:
            if not WIDGET_BUNDLE.is_file():
                return response.text("Chat widget not installed: run `make web`.", status=503)
            return response.raw(widget_bundle(), content_type="application/javascript; charset=utf-8")

        page.static("/static", str(WEB_DIR / "static"), name="webpage_static")
        return page
