"""The staff guide states the confidences the bot really works with: staff
judge live answers by them."""

import re

import yaml
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier

from benchmarks.eval import configured_threshold
from bot.nlu.message_guard import MessageGuard
from bot.paths import project_path
from bot.settings import load_settings

GUIDE = project_path("docs/staff-guide.md").read_text(encoding="utf-8")


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def test_the_guide_gives_the_confidence_the_bot_answers_from():
    config = yaml.safe_load(project_path("config.yml").read_text(encoding="utf-8"))
    [fallback] = [c for c in config["pipeline"] if c["name"] == "FallbackClassifier"]
    guide = " ".join(GUIDE.split())
    stated = re.search(r"độ tin cậy của chủ đề từ (\d+)% trở lên", guide)
    assert stated, "the sentence about the answering threshold is missing"
    assert stated.group(1) + "%" == percent(configured_threshold(str(project_path("config.yml"))))
    margin = round({**FallbackClassifier.get_default_config(), **fallback}["ambiguity_threshold"] * 100)
    if margin:
        assert f"hơn chủ đề thứ hai ít nhất {margin} điểm" in guide
    else:
        assert "kể cả khi chủ đề thứ hai sát nút" in guide


def test_the_guide_gives_the_confidence_a_weak_out_of_scope_falls_back_below():
    config = yaml.safe_load(project_path("config.yml").read_text(encoding="utf-8"))
    [guard] = [c for c in config["pipeline"] if c["name"].endswith("MessageGuard")]
    threshold = {**MessageGuard.get_default_config(), **guard}["out_of_scope_threshold"]
    assert f'"ngoài phạm vi" với độ tin cậy dưới {percent(threshold)}' in " ".join(GUIDE.split())


def test_the_guide_gives_the_reports_low_confidence():
    assert f"tin cậy dưới {percent(load_settings().report.low_confidence)}" in " ".join(GUIDE.split())
