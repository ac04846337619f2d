"""`make train` in plain steps: progress and time, no library warnings,
and the end of Rasa's log when training fails."""

import json
import sys

import pytest

from bot import training

RASA_LIKE = """
import sys
print("/x/site-packages/sqlalchemy/orm.py:1: MovedIn20Warning: Deprecated API features detected!")
print("2026-12-01 INFO rasa.engine.training.hooks - Starting to train component 'VietnameseTokenizer'.")
print("Processed story blocks: 100%|##########| 3/3")
print("2026-12-01 INFO rasa.engine.training.hooks - Restored component 'LinearAnswerClassifier' from cache.")
if sys.argv[1] == "fail":
    print("Traceback (most recent call last):")
    print("ValueError: the data is broken")
    sys.exit(3)
"""


@pytest.fixture
def fake_rasa(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "LOG", tmp_path / "train.log")
    monkeypatch.setattr(training, "LAST_FULL", tmp_path / "last.json")
    monkeypatch.setattr(training, "RASA_TRAIN", [sys.executable, "-c", RASA_LIKE])
    return tmp_path


def test_each_component_is_one_line_and_warnings_stay_in_the_log(fake_rasa, capsys):
    assert training.train(["ok"]) == 0
    out = capsys.readouterr().out
    assert "[1] huấn luyện VietnameseTokenizer" in out and "[2] dùng lại LinearAnswerClassifier" in out
    assert "Warning" not in out and "Processed" not in out
    assert "MovedIn20Warning" in (fake_rasa / "train.log").read_text()
    assert not (fake_rasa / "last.json").exists()  # partly from the cache: not a full training


def test_a_full_training_sets_the_next_estimate(fake_rasa, capsys):
    training.RASA_TRAIN[-1] = RASA_LIKE.replace("Restored component 'LinearAnswerClassifier' from cache", "")
    assert training.train(["ok"]) == 0
    assert json.loads((fake_rasa / "last.json").read_text())["steps"] == 1
    training.train(["ok"])
    assert "[1/1]" in capsys.readouterr().out


def test_a_failure_shows_the_end_of_rasas_log(fake_rasa, capsys):
    assert training.train(["fail"]) == 3
    captured = capsys.readouterr()
    assert "Traceback" in captured.out  # as it happens
    assert "Huấn luyện thất bại" in captured.err and "ValueError: the data is broken" in captured.err
