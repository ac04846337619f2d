import asyncio

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
    assert message["text"] == ("Gọi 0299.3626800, máy Oppo, xem https://bluezone.gov.vn/dieu-khoan-su-dung")


def test_a_knowledge_answer_carries_its_page_and_the_feedback_buttons():
    domain = Domain.from_dict(
        {
            "responses": {
                "utter_ask_privacy/location": [{"text": "Không ghi vị trí."}],
                "utter_greet": [{"text": "Chào", "buttons": [{"title": "Cài đặt", "payload": "/ask_install"}]}],
            }
        }
    )
    generator = SettingsResponseGenerator(domain=domain)
    answer = generator.generate_from_slots("utter_ask_privacy/location", {}, "rest")
    assert [b.get("url") or b["payload"] for b in answer["buttons"]] == [
        "https://bluezone.gov.vn/dieu-khoan-su-dung",
        '/affirm{"helpful": "yes"}',
        '/deny{"helpful": "no"}',
    ]
    greet = generator.generate_from_slots("utter_greet", {}, "rest")
    assert greet["buttons"] == [{"title": "Cài đặt", "payload": "/ask_install"}]


def test_an_answer_read_in_a_near_tie_offers_the_other_topic():
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_dict({"responses": {"utter_ask_privacy/location": [{"text": "Không ghi vị trí."}]}})
    ranking = [{"name": "ask_privacy", "confidence": 0.3}, {"name": "ask_how_it_works", "confidence": 0.29}]
    tracker = DialogueStateTracker.from_events(
        "citizen",
        [
            UserUttered(
                "có theo dõi không",
                {"name": "ask_privacy", "confidence": 0.3},
                parse_data={"intent": {"name": "ask_privacy", "confidence": 0.3}, "intent_ranking": ranking},
            )
        ],
    )
    answer = asyncio.run(
        SettingsResponseGenerator(domain=domain).generate("utter_ask_privacy/location", tracker, "rest")
    )
    assert {"title": "Cách hoạt động", "payload": "/ask_how_it_works"} in answer["buttons"]
