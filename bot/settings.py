"""The one place that reads data/settings.yml (hotline, links, hours...).

Both sides use it: the Rasa server fills {placeholders} in domain.yml
responses from it (bot.nlg) and the action server builds links and
escalation messages from it. Set BOT_SETTINGS to use another file.
"""

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo

import holidays
import yaml

from bot.paths import project_path

DEFAULT_SETTINGS_PATH = "data/settings.yml"
DEFAULT_TRACKER_DB = "var/tracker.db"
# The staff report stays off with a shorter ADMIN_TOKEN (a guessable password).
MIN_ADMIN_TOKEN_LENGTH = 12
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
# Messenger cuts button titles longer than this; the web chat shows them whole.
MAX_BUTTON_TITLE = 20
# How far ahead the hotline's next opening is looked for (Tết can close it
# for more than a week).
OPENING_SEARCH_DAYS = 21
# Used when data/settings.yml has no conversation.split_min_confidence.
DEFAULT_SPLIT_MIN_CONFIDENCE = 0.45

Version = Tuple[int, ...]


def parse_version(text: str) -> Optional[Version]:
    """ "10.3" -> (10, 3); "6" -> (6,); None when it is not a version.

    Compared as tuples with missing parts as 0, so 10.2 < 10.3 <= 10.3.1."""
    parts = str(text).strip().split(".")
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def version_at_least(version: Version, minimum: Version) -> bool:
    width = max(len(version), len(minimum))
    return version + (0,) * (width - len(version)) >= minimum + (0,) * (width - len(minimum))


@dataclass(frozen=True)
class OfficeHours:
    timezone: str
    days: Tuple[int, ...]  # 0 = Monday
    periods: Tuple[Tuple[time, time], ...]
    # False until the department confirms the hours: the bot then says
    # "thường" (usually) before them.
    confirmed: bool = False
    # Public holidays of this country (ISO code, the `holidays` library:
    # Tết by the lunar calendar, Giỗ Tổ, 30/4, 1/5, 2/9 and the days off
    # the government moves) close the hotline.
    holiday_country: str = "VN"
    # Further days the department closes (e.g. extra Tết days it announces).
    closed_days: Tuple[date, ...] = ()

    def describe(self) -> str:
        """ "thứ Hai đến thứ Sáu, 7:00–11:00 và 13:00–17:00, trừ ngày lễ"."""
        days = [WEEKDAY_NAMES_VI[d] for d in self.days]
        contiguous = list(self.days) == list(range(self.days[0], self.days[-1] + 1))
        day_text = f"{days[0]} đến {days[-1]}" if contiguous and len(days) > 2 else ", ".join(days)
        hours = " và ".join(f"{_hm(a)}–{_hm(b)}" for a, b in self.periods)
        text = f"{day_text}, {hours}, trừ ngày lễ, Tết"
        return text if self.confirmed else f"thường là {text}"

    def holiday(self, day: date) -> Optional[str]:
        """The holiday's Vietnamese name ("Tết Nguyên Đán") if the office is
        closed for one that day, else None."""
        if day in self.closed_days:
            return "ngày nghỉ của Sở"
        return _public_holidays(self.holiday_country, day.year).get(day)

    def is_open(self, now: datetime) -> bool:
        """`now` is aware; judged in the office's own time zone."""
        local = now.astimezone(ZoneInfo(self.timezone))
        return (
            local.weekday() in self.days
            and self.holiday(local.date()) is None
            and any(start <= local.time() < end for start, end in self.periods)
        )

    def next_opening(self, now: datetime) -> datetime:
        local = now.astimezone(ZoneInfo(self.timezone))
        for offset in range(OPENING_SEARCH_DAYS):
            day = (local + timedelta(days=offset)).date()
            if day.weekday() not in self.days or self.holiday(day) is not None:
                continue
            for start, _ in self.periods:
                opening = datetime.combine(day, start, tzinfo=local.tzinfo)
                if opening > local:
                    return opening
        raise ValueError("office_hours has no opening in the coming weeks")

    def describe_opening(self, opening: datetime, now: datetime) -> str:
        """ "13:00 hôm nay", "7:00 ngày mai", "7:00 thứ Hai" or, more than a
        week ahead, "7:00 thứ Hai 15/02"."""
        days_ahead = (opening.date() - now.astimezone(opening.tzinfo).date()).days
        day = {0: "hôm nay", 1: "ngày mai"}.get(days_ahead, WEEKDAY_NAMES_VI[opening.weekday()])
        if days_ahead >= 7:
            day += f" {opening.day:02d}/{opening.month:02d}"
        return f"{_hm(opening.time())} {day}"


@lru_cache(maxsize=8)
def _public_holidays(country: str, year: int) -> Mapping[date, str]:
    return dict(holidays.country_holidays(country, years=year, language="vi"))


@dataclass(frozen=True)
class HandoverSettings:
    # What staff type in the page inbox or OA chat to give the conversation back to the bot.
    resume_command: str
    # After this long, a conversation handed to staff goes back to the bot.
    handover_minutes: float


@dataclass(frozen=True)
class ZaloSettings:
    # Events stamped further than this from now are refused (replays).
    max_event_age_minutes: float
    # Where one machine keeps the OA's current refresh token.
    token_file: str


@dataclass(frozen=True)
class Limits:
    # Messages one conversation may send per minute (REST, web chat,
    # Messenger); 0 = no limit.
    per_sender_per_minute: int
    # Requests one address may send per minute to the bot's own server;
    # 0 = off (behind nginx, which limits per address itself).
    per_address_per_minute: int
    # Largest request body the server reads (larger: 413).
    max_request_bytes: int


@dataclass(frozen=True)
class ReportSettings:
    # Below this NLU confidence an answered question still counts as missed.
    low_confidence: float
    # Cosine similarity (0-1) at which missed questions are grouped.
    group_similarity: float
    missed_groups: int
    # intent -> the name staff see
    topic_names: Dict[str, str]

    def topic(self, intent: str) -> str:
        return self.topic_names.get(intent, intent)


@dataclass(frozen=True)
class RunnerUp:
    # How close (0-1) the second topic's confidence must be to the answered one's.
    margin: float = 0.0
    # topic -> the title of its button (a topic without one gets no button)
    titles: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    hotline: str
    support_email: str
    moh_hotline: str
    office_hours: OfficeHours
    links: Dict[str, str]
    # topic or answer ("ask_install/uninstall") -> the pages shown with it
    topic_links: Dict[str, Tuple[str, ...]]
    link_titles: Dict[str, str]
    # "yes" / "no" -> the titles of the 👍 / 👎 buttons under each answer
    feedback_titles: Dict[str, str]
    min_android: str
    min_ios: str
    iphones_below_min_ios: List[str]
    handover: HandoverSettings
    zalo: ZaloSettings
    limits: Limits
    # Conversations idle for longer are deleted by `python -m bot purge`.
    retention_days: float
    report: ReportSettings
    # Two questions in one message are answered one after the other only
    # when the classifier is at least this sure of each (0-1).
    split_min_confidence: float = DEFAULT_SPLIT_MIN_CONFIDENCE
    # The button for the topic a message was nearly read as.
    runner_up: RunnerUp = RunnerUp()

    def response_variables(self) -> Dict[str, str]:
        """Values the domain's responses may use as {name} (a copy: the
        caller may add its own)."""
        return dict(self._variables)

    @cached_property
    def _variables(self) -> Dict[str, str]:
        """Worked out once per settings file read (load_settings caches the
        Settings until the file changes), not for every response."""
        variables = {
            "hotline": self.hotline,
            # For tap-to-call links: tel:02993626800.
            "hotline_tel": re.sub(r"[^\d+]", "", self.hotline),
            "support_email": self.support_email,
            "moh_hotline": self.moh_hotline,
            "office_hours": self.office_hours.describe(),
            "min_android": self.min_android,
            "min_ios": self.min_ios,
        }
        variables.update({f"link_{key}": url for key, url in self.links.items()})
        return variables


def _hm(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"


class SettingsError(ValueError):
    """A mistake in data/settings.yml, said in Vietnamese for the staff who edit it."""


def _time(text: str) -> time:
    try:
        hours, minutes = str(text).split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise SettingsError(f'giờ phải viết dạng "07:00" (giờ:phút), không phải "{text}"') from None


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SettingsError(f'ngày nghỉ phải viết dạng 2027-02-11 (năm-tháng-ngày), không phải "{value}"') from None


def _text(section: dict, key: str, where: str) -> str:
    """A value that must be quoted: unquoted, YAML reads 0299.3626800 as a
    number and the leading 0 is lost."""
    value = section[key]
    if not isinstance(value, str):
        raise SettingsError(f'{where}.{key} phải đặt trong ngoặc kép, ví dụ "0299.3626800"')
    return value


def _runner_up(section: object) -> RunnerUp:
    mistake = SettingsError("runner_up: margin là số từ 0 đến 1 (ví dụ 0.05), titles là các dòng chủ đề: tên nút")
    titles = (section.get("titles") or {}) if isinstance(section, dict) else None
    if not isinstance(section, dict) or not isinstance(titles, dict):
        raise mistake
    try:
        margin = float(section.get("margin", 0.0))
    except (TypeError, ValueError):
        raise mistake from None
    if not 0 <= margin < 1:
        raise mistake
    return RunnerUp(margin=margin, titles={str(k): str(v) for k, v in titles.items()})


def parse_settings(raw: dict) -> Settings:
    try:
        return _parse_settings(raw)
    except KeyError as missing:
        raise SettingsError(f"thiếu mục {missing} (so với bản gốc của tệp)") from None


def _parse_settings(raw: dict) -> Settings:
    hours = raw["office_hours"]
    devices = raw["devices"]
    handover = raw.get("staff_handover") or {}
    zalo = raw.get("zalo") or {}
    limits = raw.get("limits") or {}
    report = raw.get("report") or {}
    links = dict(raw["links"])
    topic_links = {
        str(topic): (pages,) if isinstance(pages, str) else tuple(pages or ())
        for topic, pages in (raw.get("topic_links") or {}).items()
    }
    unknown = sorted({page for pages in topic_links.values() for page in pages} - set(links))
    if unknown:
        raise ValueError(f"topic_links name links that are not defined: {unknown}")
    link_titles = {str(k): str(v) for k, v in (raw.get("link_titles") or {}).items()}
    feedback = raw.get("feedback_buttons") or {}
    feedback_titles = {"yes": str(feedback.get("yes", "👍 Hữu ích")), "no": str(feedback.get("no", "👎 Chưa đúng ý"))}
    runner_up = _runner_up(raw.get("runner_up") or {})
    titles = [*link_titles.values(), *feedback_titles.values(), *runner_up.titles.values()]
    too_long = sorted(t for t in titles if len(t) > MAX_BUTTON_TITLE)
    if too_long:
        raise SettingsError(f"tên nút dài quá {MAX_BUTTON_TITLE} ký tự (Messenger sẽ cắt): {too_long}")
    for key in ("min_android", "min_ios"):
        if parse_version(devices[key]) is None:
            raise SettingsError(f'devices.{key} phải là số phiên bản trong ngoặc kép, ví dụ "10.3"')
    return Settings(
        hotline=_text(raw["contact"], "hotline", "contact"),
        support_email=_text(raw["contact"], "support_email", "contact"),
        moh_hotline=_text(raw["contact"], "moh_hotline", "contact"),
        office_hours=OfficeHours(
            timezone=hours["timezone"],
            days=tuple(WEEKDAYS.index(d) for d in hours["days"]),
            periods=tuple((_time(a), _time(b)) for a, b in hours["periods"]),
            confirmed=bool(hours.get("confirmed", False)),
            holiday_country=str(hours.get("public_holidays", "VN")),
            closed_days=tuple(_date(d) for d in hours.get("closed_days") or ()),
        ),
        links=links,
        topic_links=topic_links,
        link_titles=link_titles,
        feedback_titles=feedback_titles,
        min_android=str(devices["min_android"]),
        min_ios=str(devices["min_ios"]),
        iphones_below_min_ios=[str(m).lower() for m in devices["iphones_below_min_ios"]],
        retention_days=float((raw.get("privacy") or {}).get("retention_days", 180)),
        limits=Limits(
            per_sender_per_minute=int(
                os.environ.get("BOT_PER_SENDER_PER_MINUTE", limits.get("per_sender_per_minute", 20))
            ),
            per_address_per_minute=int(
                os.environ.get("BOT_PER_ADDRESS_PER_MINUTE", limits.get("per_address_per_minute", 120))
            ),
            max_request_bytes=int(limits.get("max_request_bytes", 65536)),
        ),
        report=ReportSettings(
            low_confidence=float(report.get("low_confidence", 0.6)),
            group_similarity=float(report.get("group_similarity", 0.5)),
            missed_groups=int(report.get("missed_groups", 40)),
            topic_names={str(k): str(v) for k, v in (report.get("topic_names") or {}).items()},
        ),
        runner_up=runner_up,
        split_min_confidence=float(
            (raw.get("conversation") or {}).get("split_min_confidence", DEFAULT_SPLIT_MIN_CONFIDENCE)
        ),
        handover=HandoverSettings(
            resume_command=str(handover.get("resume_command", "#bot")).strip().lower(),
            handover_minutes=float(handover.get("handover_minutes", 60)),
        ),
        zalo=ZaloSettings(
            max_event_age_minutes=float(zalo.get("max_event_age_minutes", 90)),
            token_file=str(
                project_path(os.environ.get("ZALO_TOKEN_FILE", zalo.get("token_file", "var/zalo-token.json")))
            ),
        ),
    )


def training_data_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    """The training data staff edit from the workbench (nlu/, responses/,
    rules/, stories/): data/, or $BOT_DATA_DIR (a copy, in tests)."""
    env = os.environ if env is None else env
    return project_path(env.get("BOT_DATA_DIR") or "data")


def nlu_data_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    return training_data_dir(env) / "nlu"


def responses_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    return training_data_dir(env) / "responses"


def checks_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    """Staff's own test conversations (`python -m bot check` files, *.txt),
    which the workbench runs on a new model before it is deployed."""
    return training_data_dir(env) / "checks"


def models_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    """Where the live model is (models/bluezone.tar.gz), with the candidate
    and the previous ones beside it: models/, or $BOT_MODELS_DIR."""
    env = os.environ if env is None else env
    return project_path(env.get("BOT_MODELS_DIR") or "models")


def peer_servers(env: Optional[Mapping[str, str]] = None) -> List[str]:
    """The other Rasa servers a deploy from the workbench moves onto the new
    model (base URLs, comma-separated in $BOT_PEERS; they share the models
    folder). Empty on one machine."""
    env = os.environ if env is None else env
    return [url.strip().rstrip("/") for url in (env.get("BOT_PEERS") or "").split(",") if url.strip()]


@dataclass(frozen=True)
class RedisSettings:
    """The production profile's Redis, which Rasa's lock store uses too."""

    host: str
    port: int
    db: int
    password: Optional[str]
    key_prefix: str

    @property
    def url(self) -> str:
        from urllib.parse import quote

        secret = f":{quote(self.password, safe='')}@" if self.password else ""
        return f"redis://{secret}{self.host}:{self.port}/{self.db}"


def redis_settings(env: Optional[Mapping[str, str]] = None) -> Optional[RedisSettings]:
    """$REDIS_HOST... (deploy/endpoints.cluster.yml's variables), or None on one machine."""
    env = os.environ if env is None else env
    if not env.get("REDIS_HOST"):
        return None
    return RedisSettings(
        host=env["REDIS_HOST"],
        port=int(env.get("REDIS_PORT") or 6379),
        db=int(env.get("REDIS_DB") or 0),
        password=env.get("REDIS_PASSWORD") or None,
        key_prefix=env.get("REDIS_KEY_PREFIX") or "bluezone",
    )


def tracker_database_url(env: Optional[Mapping[str, str]] = None) -> str:
    """The conversation store the staff commands (purge, report,
    export-missed) read: $DATABASE_URL; else the production profile's DB_*
    variables, the ones deploy/endpoints.cluster.yml gives the Rasa servers;
    else the embedded SQLite file $TRACKER_DB that `make run` uses."""
    env = os.environ if env is None else env
    if env.get("DATABASE_URL"):
        return env["DATABASE_URL"]
    if env.get("DB_HOST"):
        from sqlalchemy.engine import URL

        return URL.create(
            "postgresql",
            username=env.get("DB_USER") or None,
            password=env.get("DB_PASSWORD") or None,
            host=env["DB_HOST"],
            port=int(env.get("DB_PORT") or 5432),
            database=env.get("DB_NAME") or "rasa",
        ).render_as_string(hide_password=False)
    return f"sqlite:///{project_path(env.get('TRACKER_DB') or DEFAULT_TRACKER_DB)}"


def settings_path(env: Optional[Mapping[str, str]] = None) -> Path:
    env = os.environ if env is None else env
    return project_path(env.get("BOT_SETTINGS") or DEFAULT_SETTINGS_PATH)


def load_settings(path: str = "") -> Settings:
    """The settings, read again whenever the file changes: staff save them
    from the workbench while the servers run."""
    resolved = project_path(path) if path else settings_path()
    return _load_settings(str(resolved), resolved.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load_settings(path: str, modified: int) -> Settings:
    with open(path, encoding="utf-8") as handle:
        try:
            raw = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (gần dòng {mark.line + 1})" if mark else ""
            raise SettingsError(
                f"{path}: sai cú pháp{where}: kiểm tra dấu ngoặc kép, dấu hai chấm và "
                f"thụt lề bằng dấu cách, không dùng Tab. Chi tiết: {error}"
            ) from None
    try:
        return parse_settings(raw)
    except SettingsError as error:
        raise SettingsError(f"{path}: {error}") from None
