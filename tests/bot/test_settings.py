import re
from dataclasses import replace
from datetime import date

import pytest
import yaml

from bot.paths import project_path
from bot.settings import (
    SettingsError,
    load_settings,
    parse_settings,
    parse_version,
    tracker_database_url,
    version_at_least,
)

FACTS_HOTLINE = "0299.3626800"


def raw_settings():
    with open(project_path("data/settings.yml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_contact_details_are_the_facts():
    settings = load_settings()
    assert settings.hotline == FACTS_HOTLINE
    assert settings.support_email == "lienhe@bluezone.gov.vn"
    assert settings.moh_hotline == "1900 9095"


def test_office_hours_read_in_vietnamese_and_say_they_are_not_confirmed():
    hours = load_settings().office_hours
    assert hours.describe() == "thường là thứ Hai đến thứ Sáu, 7:00–11:00 và 13:00–17:00, trừ ngày lễ, Tết"
    assert replace(hours, confirmed=True).describe().startswith("thứ Hai")


def test_public_holidays_come_from_the_holidays_library_and_the_departments_own_days():
    hours = load_settings().office_hours
    assert hours.holiday(date(2027, 2, 6)) == "Tết Nguyên Đán"  # lunar new year
    assert hours.holiday(date(2026, 4, 26)) == "Ngày Giỗ Tổ Hùng Vương"
    assert hours.holiday(date(2026, 4, 30)) and hours.holiday(date(2026, 5, 1)) and hours.holiday(date(2026, 9, 2))
    assert hours.holiday(date(2026, 12, 1)) is None
    assert replace(hours, closed_days=(date(2026, 12, 1),)).holiday(date(2026, 12, 1)) == "ngày nghỉ của Sở"


@pytest.mark.parametrize("key, value", [("min_ios", "mười"), ("min_android", "")])
def test_minimum_versions_must_be_versions(key, value):
    raw = raw_settings()
    raw["devices"][key] = value
    with pytest.raises(SettingsError, match=key):
        parse_settings(raw)


@pytest.mark.parametrize("section, key", [("link_titles", "home"), ("runner_up", "ask_privacy")])
def test_a_button_title_longer_than_messenger_shows_is_refused(section, key):
    raw = raw_settings()
    titles = raw[section]["titles"] if section == "runner_up" else raw[section]
    titles[key] = "Trang Bluezone chính thức của Bộ"
    with pytest.raises(SettingsError, match="20 ký tự"):
        parse_settings(raw)


@pytest.mark.parametrize("section", [{"margin": 5}, {"margin": "năm phần trăm"}, {"titles": ["Pin"]}, ["x"]])
def test_a_runner_up_margin_outside_0_to_1_or_titles_not_a_mapping_are_refused(section):
    raw = raw_settings()
    raw["runner_up"] = section
    with pytest.raises(SettingsError, match="runner_up"):
        parse_settings(raw)


def test_versions_compare_in_full():
    assert version_at_least(parse_version("10.3"), parse_version("10.3"))
    assert version_at_least(parse_version("10.3.1"), parse_version("10.3"))
    assert not version_at_least(parse_version("10.2.9"), parse_version("10.3"))
    assert version_at_least(parse_version("11"), parse_version("10.3"))
    assert parse_version("mười") is None


def test_every_topic_link_exists():
    raw = raw_settings()
    raw["topic_links"]["ask_install"] = ["download", "nowhere"]
    with pytest.raises(ValueError, match="nowhere"):
        parse_settings(raw)


RESPONSE_FILES = [project_path("domain.yml"), *sorted(project_path("data/responses").glob("*.yml"))]
RESPONSE_FILE_NAMES = [path.name for path in RESPONSE_FILES]


@pytest.mark.parametrize("path", RESPONSE_FILES, ids=RESPONSE_FILE_NAMES)
def test_response_variables_cover_every_placeholder(path):
    """A {name} in a response that nothing fills would reach citizens raw."""
    filled_by_actions = {"next_opening", "device", "latest", "minimum", "holiday"}
    with open(path, encoding="utf-8") as handle:
        placeholders = set(re.findall(r"\{(\w+)\}", handle.read()))
    known = set(load_settings().response_variables()) | filled_by_actions
    assert placeholders - known == set()


@pytest.mark.parametrize("path", RESPONSE_FILES, ids=RESPONSE_FILE_NAMES)
def test_a_version_from_the_settings_is_written_whole(path):
    """min_android is "6.0" in the settings: "{min_android}.0" reads "6.0.0"."""
    with open(path, encoding="utf-8") as handle:
        assert re.findall(r"\{min_(?:android|ios)\}\.\d", handle.read()) == []


@pytest.mark.parametrize("path", RESPONSE_FILES, ids=RESPONSE_FILE_NAMES)
def test_no_phone_number_or_e_mail_in_responses_but_through_settings(path):
    """Numbers and addresses live in data/settings.yml only (never 0888128896, say)."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert re.findall(r"\d{4}[ .]?\d{3}[ .]?\d{3,4}", text) == []
    assert re.findall(r"[\w.]+@[\w.]+", text) == []


def test_the_conversation_store_comes_from_the_environment():
    assert tracker_database_url({"DATABASE_URL": "postgresql://a@h/db", "DB_HOST": "x"}) == "postgresql://a@h/db"
    # The production profile's variables; a password with URL characters survives.
    url = tracker_database_url(
        {
            "DB_HOST": "postgres",
            "DB_USER": "bluezone",
            "DB_PASSWORD": "p@ss/w:rd",
            "DB_NAME": "bluezone",
            "DB_PORT": "5433",
        }
    )
    assert url == "postgresql://bluezone:p%40ss%2Fw%3Ard@postgres:5433/bluezone"
    assert tracker_database_url({"TRACKER_DB": "/srv/bot/tracker.db"}) == "sqlite:////srv/bot/tracker.db"
    # Relative to the project, whatever the current directory.
    assert tracker_database_url({}) == f"sqlite:///{project_path('var/tracker.db')}"


def test_report_settings_name_every_topic_for_staff():
    report = load_settings().report
    assert 0 < report.low_confidence < 1 and 0 < report.group_similarity < 1
    domain = yaml.safe_load(project_path("domain.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) | {"nlu_fallback"} <= set(report.topic_names)
    assert report.topic("ask_install") == "Cài đặt" and report.topic("unknown") == "unknown"
