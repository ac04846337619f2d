"""The staff report (bot/analytics) on the Rasa server at /admin/report,
a staff page (bot/channels/staff_access.py): staff open it on a server's
own port. `?since=YYYY-MM-DD` limits the period.
"""

import asyncio
import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.staff_access import HEADERS as STAFF_HEADERS
from bot.channels.staff_access import StaffPage
from bot.settings import MIN_ADMIN_TOKEN_LENGTH, load_settings

logger = logging.getLogger(__name__)
HEADERS = {
    **STAFF_HEADERS,
    # The report is self-contained: inline styles and SVG, nothing to fetch.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
}


class AdminReportPage(StaffPage):
    def __init__(self, token: str = "") -> None:
        super().__init__(token)
        if token and not self.access.token:
            logger.warning(
                "ADMIN_TOKEN is shorter than %d characters: the staff pages stay off.", MIN_ADMIN_TOKEN_LENGTH
            )

    @classmethod
    def name(cls) -> str:
        return "admin_report"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        admin = Blueprint("admin_report", __name__)
        one_at_a_time = asyncio.Lock()  # a report is CPU work; charts use pyplot's global state

        @admin.route("/report", methods=["GET"])
        @self.staff_only
        async def report(request: Request) -> HTTPResponse:
            try:
                first_day = self.first_day(request)
            except ValueError as error:
                return response.text(str(error), status=400, headers=HEADERS)
            engine = self.conversation_store(request)
            if engine is None:
                return response.text("Báo cáo cần kho hội thoại SQL (endpoints.yml).", status=503, headers=HEADERS)
            from bot.analytics.report import build_report

            async with one_at_a_time:
                page = await asyncio.get_running_loop().run_in_executor(
                    None, build_report, engine, load_settings(), first_day
                )
            return response.html(page, headers=HEADERS)

        return admin
