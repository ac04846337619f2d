import pytest

from benchmarks.eval import (
    Prediction, by_slice, configured_threshold, recommended_threshold, threshold_curve, worst_confusions,
)


def p(gold, predicted, confidence=0.9, slice_="accented", top=None):
    return Prediction(slice_, gold, f"{gold}->{predicted}", predicted, top or predicted, confidence)


def test_threshold_curve_counts_caught_and_lost_messages():
    predictions = [
        p("out_of_scope", "out_of_scope", 0.9),
        p("out_of_scope", "ask_install", 0.4),  # caught only by a threshold above 0.4
        p("ask_install", "ask_install", 0.95),
        p("ask_help", "ask_help", 0.3),  # lost to fallback above 0.3
    ]
    curve = {round(c["threshold"], 2): c for c in threshold_curve(predictions)}
    assert curve[0.0]["oos_caught"] == 0.5 and curve[0.0]["inscope_fallback"] == 0.0
    assert curve[0.5]["oos_caught"] == 1.0 and curve[0.5]["inscope_fallback"] == 0.5
    assert curve[0.5]["inscope_right"] == 0.5


def test_scores_by_slice_and_overall():
    predictions = [p("greet", "greet"), p("greet", "thank", slice_="typos"), p("thank", "thank", slice_="typos")]
    table = by_slice(predictions)
    assert table["accented"]["accuracy"] == 1.0
    assert table["typos"]["accuracy"] == 0.5
    assert table["all"]["accuracy"] == pytest.approx(2 / 3)
    assert table["typos"]["macro_f1"] == pytest.approx((0.0 + 2 / 3) / 2)


def test_worst_confusions_first():
    predictions = [p("a", "b"), p("a", "b"), p("c", "d"), p("e", "e")]
    assert [(pair, len(texts)) for pair, texts in worst_confusions(predictions)] == [(("a", "b"), 2), (("c", "d"), 1)]


def test_threshold_is_read_from_the_config():
    assert 0 < configured_threshold("config.yml") < 1


def test_recommended_threshold_is_the_highest_losing_at_most_one_percent():
    curve = [
        {"threshold": 0.3, "inscope_fallback": 0.0},
        {"threshold": 0.4, "inscope_fallback": 0.01},
        {"threshold": 0.5, "inscope_fallback": 0.02},
    ]
    assert recommended_threshold(curve) == 0.4
    assert recommended_threshold([{"threshold": 0.3, "inscope_fallback": 0.5}]) == 0.3
