"""`python -m bot report` and `python -m bot export-missed` for staff:
friendly messages in Vietnamese around bot/analytics."""

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Optional, TextIO
from zoneinfo import ZoneInfo

from bot.settings import load_settings


def _store_problem(url: str) -> Optional[str]:
    """Why the conversation store cannot be read, or None."""
    import sqlalchemy

    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :]).is_file():
        return f"Chưa có cuộc trò chuyện nào: không thấy tệp {url[len('sqlite:///') :]} (bot đã chạy lần nào chưa?)."
    engine = sqlalchemy.create_engine(url)
    try:
        if not sqlalchemy.inspect(engine).has_table("events"):
            return "Cơ sở dữ liệu chưa có bảng events: bot chưa lưu cuộc trò chuyện nào ở đây."
    except sqlalchemy.exc.SQLAlchemyError as error:
        return f"Không đọc được cơ sở dữ liệu hội thoại: {error.__class__.__name__}."
    finally:
        engine.dispose()
    return None


def _future(since: Optional[date]) -> Optional[str]:
    zone = ZoneInfo(load_settings().office_hours.timezone)
    if since and since > datetime.now(zone).date():
        return f"Ngày bắt đầu {since.strftime('%d/%m/%Y')} còn ở tương lai."
    return None


def write_report(url: str, since: Optional[date], out: Path, stream: TextIO = sys.stdout) -> int:
    from bot.analytics.report import build_report

    problem = _store_problem(url) or _future(since)
    if problem:
        print(problem, file=stream)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(url, load_settings(), since), encoding="utf-8")
    print(f"Đã ghi báo cáo: {out} (mở bằng trình duyệt).", file=stream)
    return 0


def export_missed(url: str, since: Optional[date], out: Path, force: bool = False, stream: TextIO = sys.stdout) -> int:
    from bot.analytics.conversations import read_turns
    from bot.analytics.missed_export import write_missed
    from bot.analytics.report import start_of
    from bot.analytics.summary import is_missed

    if out.exists() and not force:  # it may hold a staff member's labelling work
        print(
            f"Tệp {out} đã có (có thể anh/chị đang gán nhãn trong đó). Chọn tên khác bằng --out, "
            "hoặc thêm --force để ghi đè.",
            file=stream,
        )
        return 2
    problem = _store_problem(url) or _future(since)
    if problem:
        print(problem, file=stream)
        return 2
    settings = load_settings()
    zone = ZoneInfo(settings.office_hours.timezone)
    turns = read_turns(url, since=start_of(since, zone) if since else None)
    missed = [t for t in turns if is_missed(t, settings.report.low_confidence)]
    count = write_missed(out, missed, settings.report.group_similarity, datetime.now(zone))
    print(
        f"Đã ghi {count} câu hỏi chưa trả lời được vào {out}. "
        "Gán ý định cho từng nhóm rồi chép sang data/nlu/ (docs/staff-guide.md).",
        file=stream,
    )
    return 0
