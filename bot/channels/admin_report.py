"""The staff report (bot/analytics) on the Rasa server at /admin/report,
a staff page (bot/channels/staff_access.py): staff open it on a server's
own port. `?since=YYYY-MM-DD` limits the period.
"""

import asyncio
import logging
from datetime import date
from typing import Any, Awaitable, Callable, Optional

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


def sql_engine(agent: Any) -> Optional[Any]:
    """The SQL engine of the server's own tracker store, under Rasa's
    wrappers (fail-safe, awaitable), so the report reads exactly the store
    the server writes to."""
    store = getattr(agent, "tracker_store", None)
    while store is not None and not hasattr(store, "engine") and hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return getattr(store, "engine", None)


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
            since = request.args.get("since")
            try:
                first_day = date.fromisoformat(since) if since else None
            except ValueError:
                return response.text("since phải có dạng YYYY-MM-DD.", status=400, headers=HEADERS)
            engine = sql_engine(getattr(request.app.ctx, "agent", None))
            if engine is None:
                return response.text("Báo cáo cần kho hội thoại SQL (endpoints.yml).", status=503, headers=HEADERS)
            from bot.analytics.report import build_report

            async with one_at_a_time:
                page = await asyncio.get_running_loop().run_in_executor(
                    None, build_report, engine, load_settings(), first_day
                )
            return response.html(page, headers=HEADERS)

        return admin
