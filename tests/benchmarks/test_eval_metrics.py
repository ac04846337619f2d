import pytest

from benchmarks.eval import (
    Prediction,
    by_family,
    by_slice,
    configured_threshold,
    conversation_scores,
    decode,
    multi_scores,
    recommended_threshold,
    threshold_curve,
    turn_is_good,
    worst_confusions,
)
from benchmarks.evalsets import Example
from bot.paths import project_path


def p(gold, answers, confidence=0.9, slice_="plain", top=None):
    intents = [a.split("/")[0] for a in answers]
    return Prediction(
        Example(slice_, gold, f"{gold}->{'+'.join(answers)}"), intents, answers, top or intents[0], confidence, False
    )


def test_topic_and_answer_are_scored_apart_and_fallback_counts_in_scope_only():
    predictions = [
        p("ask_install/uninstall", ["ask_install/uninstall"]),
        p("ask_install/uninstall", ["ask_install/overview"]),  # right topic, wrong answer
        p("ask_help/overview", ["out_of_scope"]),  # fell to fallback
        p("out_of_scope", ["out_of_scope"]),
    ]
    table = by_slice(predictions, ["plain"])
    assert table["plain"]["intent"] == 0.75 and table["plain"]["answer"] == 0.5
    assert table["plain"]["fallback"] == pytest.approx(1 / 3)


def test_two_questions_count_only_in_the_order_asked():
    predictions = [
        p("ask_install/a+ask_help/b", ["ask_install/a", "ask_help/b"], slice_="multi"),
        p("ask_install/a+ask_help/b", ["ask_help/b", "ask_install/a"], slice_="multi"),
        p("ask_install/a+ask_help/b", ["ask_install/a"], slice_="multi"),
    ]
    scores = multi_scores(predictions)
    assert scores["both_in_order"] == pytest.approx(1 / 3)
    assert scores["parts"] == pytest.approx((1 + 1 + 0.5) / 3)
    assert by_slice(predictions, ["plain"])["all"]["n"] == 0  # not among the single questions


def test_a_parse_is_read_as_rasa_writes_it():
    parse = {
        "intent": {"name": "ask_install", "confidence": 0.8},
        "intent_ranking": [{"name": "ask_install", "confidence": 0.8}],
        "response_selector": {
            "all_retrieval_intents": ["ask_install"],
            "ask_install": {"response": {"intent_response_key": "ask_install/uninstall"}},
        },
    }
    prediction = decode(Example("plain", "ask_install/uninstall", "gỡ app"), parse)
    assert prediction.answers == ["ask_install/uninstall"] and prediction.answer_right
    fallback = decode(
        Example("plain", "greet", "?"),
        {
            "intent": {"name": "nlu_fallback", "confidence": 0.2},
            "intent_ranking": [{"name": "greet", "confidence": 0.2}],
        },
    )
    assert fallback.intents == ["out_of_scope"] and fallback.fallback and fallback.top == "greet"


def test_threshold_curve_counts_caught_and_lost_messages():
    predictions = [
        p("out_of_scope", ["out_of_scope"], 0.9),
        p("out_of_scope", ["ask_install/x"], 0.4),  # caught only by a threshold above 0.4
        p("ask_install/x", ["ask_install/x"], 0.95),
        p("ask_help/y", ["ask_help/y"], 0.3),  # lost to fallback above 0.3
    ]
    curve = {round(c["threshold"], 2): c for c in threshold_curve(predictions)}
    assert curve[0.0]["oos_caught"] == 0.5 and curve[0.0]["inscope_fallback"] == 0.0
    assert curve[0.5]["oos_caught"] == 1.0 and curve[0.5]["inscope_fallback"] == 0.5


def test_families_and_worst_confusions():
    predictions = [p("a/x", ["a/y"]), p("a/x", ["a/y"]), p("c/z", ["c/z"])]
    assert by_family(predictions) == {"a/x": (2, 0.0), "c/z": (1, 1.0)}
    assert [(pair, len(texts)) for pair, texts in worst_confusions(predictions)] == [(("a/x", "a/y"), 2)]


def test_threshold_is_read_from_the_config():
    assert 0 < configured_threshold(str(project_path("config.yml"))) < 1


def test_recommended_threshold_is_the_highest_losing_at_most_one_percent():
    curve = [
        {"threshold": 0.3, "inscope_fallback": 0.0},
        {"threshold": 0.4, "inscope_fallback": 0.01},
        {"threshold": 0.5, "inscope_fallback": 0.02},
    ]
    assert recommended_threshold(curve) == 0.4
    assert recommended_threshold([{"threshold": 0.3, "inscope_fallback": 0.5}]) == 0.3


@pytest.mark.parametrize(
    "expect, answers, actions, good",
    [
        ("ask_install/uninstall", ["ask_install/uninstall"], ["utter_ask_install"], True),
        ("ask_install/uninstall", ["ask_install/overview"], ["utter_ask_install"], False),
        ("go_on", ["ask_install/overview"], ["action_continue_topic"], True),
        ("go_on", [], ["action_continue_topic"], False),  # the topic buttons, not an answer
        ("yes", [], ["action_record_feedback"], True),
        ("yes", [], ["utter_glad_it_works"], True),  # "đã chạy được chưa?" "được rồi"
        ("yes", [], ["action_continue_topic"], False),
        ("no", [], ["utter_hotline", "action_escalate"], True),  # still broken: a person
        ("no", ["ask_install/x"], ["utter_ask_install"], False),
        ("thank", [], ["utter_thank"], True),
        ("bot_challenge", [], ["utter_iamabot"], True),
        ("bot_challenge", [], ["utter_greet"], False),
        ("ask_install/uninstall+ask_battery_data/x", ["ask_install/uninstall", "ask_battery_data/x"], [], True),
        ("ask_install/uninstall+ask_battery_data/x", ["ask_battery_data/x", "ask_install/uninstall"], [], False),
        ("ask_install/uninstall+ask_battery_data/x", ["ask_install/uninstall"], [], False),
    ],
)
def test_a_conversation_turn_is_good_when_it_gives_what_was_needed(expect, answers, actions, good):
    assert turn_is_good(expect, answers, actions) is good


def test_follow_ups_are_scored_apart_from_first_questions():
    rows = [{"first": True, "good": True}, {"first": False, "good": False}, {"first": False, "good": True}]
    scores = conversation_scores(rows)
    assert scores["first"] == 1.0 and scores["follow_ups"] == 0.5 and scores["n_follow_ups"] == 2
