import re

import pytest
import yaml

from bot.settings import load_settings, parse_settings, tracker_database_url

FACTS_HOTLINE = "0299.3626800"


def raw_settings():
    with open("data/settings.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_contact_details_are_the_facts():
    settings = load_settings()
    assert settings.hotline == FACTS_HOTLINE
    assert settings.support_email == "lienhe@bluezone.gov.vn"
    assert settings.moh_hotline == "1900 9095"


def test_office_hours_read_in_vietnamese():
    assert load_settings().office_hours.describe() == "thứ Hai đến thứ Sáu, 7:00–11:00 và 13:00–17:00"


def test_every_topic_link_exists():
    raw = raw_settings()
    raw["topic_links"]["ask_install"] = "nowhere"
    with pytest.raises(ValueError, match="nowhere"):
        parse_settings(raw)


def test_response_variables_cover_every_placeholder_in_the_domain():
    """A {name} in domain.yml that nothing fills would reach citizens raw."""
    filled_by_actions = {"link_title", "link_url", "next_opening", "device"}
    with open("domain.yml", encoding="utf-8") as handle:
        placeholders = set(re.findall(r"\{(\w+)\}", handle.read()))
    known = set(load_settings().response_variables()) | filled_by_actions
    assert placeholders - known == set()


def test_no_phone_number_in_the_domain_but_through_settings():
    """Numbers live in data/settings.yml only (never 0888128896, say)."""
    with open("domain.yml", encoding="utf-8") as handle:
        text = handle.read()
    assert re.findall(r"\d{4}[ .]?\d{3}[ .]?\d{3,4}", text) == []


def test_the_conversation_store_comes_from_the_environment():
    assert tracker_database_url({"DATABASE_URL": "postgresql://a@h/db", "DB_HOST": "x"}) == "postgresql://a@h/db"
    # The production profile's variables; a password with URL characters survives.
    url = tracker_database_url({"DB_HOST": "postgres", "DB_USER": "bluezone", "DB_PASSWORD": "p@ss/w:rd",
                                "DB_NAME": "bluezone", "DB_PORT": "5433"})
    assert url == "postgresql://bluezone:p%40ss%2Fw%3Ard@postgres:5433/bluezone"
    assert tracker_database_url({"TRACKER_DB": "/srv/bot/tracker.db"}) == "sqlite:////srv/bot/tracker.db"
    assert tracker_database_url({}) == "sqlite:///var/tracker.db"


def test_report_settings_name_every_topic_for_staff():
    report = load_settings().report
    assert 0 < report.low_confidence < 1 and 0 < report.group_similarity < 1
    domain = yaml.safe_load(open("domain.yml", encoding="utf-8"))
    assert set(domain["intents"]) | {"nlu_fallback"} <= set(report.topic_names)
    assert report.topic("ask_install") == "Cài đặt" and report.topic("unknown") == "unknown"
