import re

import pytest
import yaml

from bot.settings import load_settings, parse_settings

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
