from rasa.shared.core.domain import Domain

from bot.nlg import SettingsResponseGenerator


def test_settings_fill_placeholders_and_slots_still_win():
    domain = Domain.from_dict(
        {
            "slots": {"device": {"type": "text", "mappings": [{"type": "custom"}]}},
            "responses": {"utter_x": [{"text": "Gọi {hotline}, máy {device}, xem {link_terms}"}]},
        }
    )
    generator = SettingsResponseGenerator(domain=domain)
    message = generator.generate_from_slots("utter_x", {"device": "Oppo"}, "rest")
    assert message["text"] == (
        "Gọi 0299.3626800, máy Oppo, xem https://bluezone.gov.vn/dieu-khoan-su-dung"
    )
