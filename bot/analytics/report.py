"""`python -m bot report`: the staff report as one self-contained HTML page
in Vietnamese (also served at /admin/report, bot/channels/admin_report.py)."""

from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any, Optional, Union
from zoneinfo import ZoneInfo

import jinja2

from bot.analytics.conversations import read_turns
from bot.analytics.summary import Summary, summarise
from bot.channels import registry
from bot.settings import Settings

TEMPLATE = Path(__file__).with_name("report.html.j2")


def start_of(day: date, zone: ZoneInfo) -> float:
    """Midnight of `day` in the department's time zone, as a Unix time."""
    return datetime.combine(day, clock(), zone).timestamp()


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%".replace(".", ",") if whole else "–"


def render(summary: Summary, settings: Settings, period: str, now: datetime) -> str:
    from bot.analytics import charts

    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    labels = [d.day.strftime("%d/%m") for d in summary.days]
    return template.render(
        s=summary,
        period=period,
        generated=now.strftime("%H:%M %d/%m/%Y"),
        low_confidence=settings.report.low_confidence,
        percent=percent,
        topic=settings.report.topic,
        channel_names=registry.report_labels(),
        volume_chart=charts.volume_chart(
            labels, [d.conversations for d in summary.days], [d.messages for d in summary.days]
        )
        if summary.days
        else "",
        rate_chart=charts.rate_chart(
            labels, [d.rate(d.fallbacks) for d in summary.days], [d.rate(d.out_of_scope) for d in summary.days]
        )
        if summary.days
        else "",
    )


def build_report(
    database: Union[str, Any], settings: Settings, since: Optional[date] = None, now: Optional[datetime] = None
) -> str:
    """The report on every conversation in `database` (a SQLAlchemy URL or
    engine) from the day `since` (the department's time zone) on."""
    zone = ZoneInfo(settings.office_hours.timezone)
    now = now or datetime.now(zone)
    turns = read_turns(database, since=start_of(since, zone) if since else None)
    period = (
        f"từ {since.strftime('%d/%m/%Y')} đến {now.strftime('%d/%m/%Y')}"
        if since
        else f"toàn bộ đến {now.strftime('%d/%m/%Y')}"
    )
    return render(summarise(turns, settings.report, zone), settings, period, now)
