"""Candidate, live and previous models on one machine."""

import pytest

from bot import shipping


@pytest.fixture
def models(tmp_path, monkeypatch):
    folder = tmp_path / "models"
    (folder / "candidates").mkdir(parents=True)
    monkeypatch.setattr(shipping, "LIVE", folder / "bluezone.tar.gz")
    monkeypatch.setattr(shipping, "CANDIDATE", folder / "candidates" / "candidate.tar.gz")
    monkeypatch.setattr(shipping, "PREVIOUS", folder / "previous")
    monkeypatch.setattr(shipping, "STATUS", tmp_path / "shipping.json")
    shipping.LIVE.write_text("live")
    return folder


def test_deploy_keeps_the_live_model_and_rollback_brings_it_back(models):
    shipping.CANDIDATE.write_text("candidate")
    assert shipping.deploy() == shipping.LIVE and shipping.LIVE.read_text() == "candidate"
    assert not shipping.CANDIDATE.exists()
    [kept] = list(shipping.PREVIOUS.iterdir())
    assert kept.read_text() == "live" and shipping.status()["state"] == "deployed"
    shipping.rollback()
    assert shipping.LIVE.read_text() == "live" and shipping.status()["state"] == "rolled_back"


def test_nothing_to_deploy_or_roll_back_is_said_and_changes_nothing(models):
    with pytest.raises(FileNotFoundError, match="huấn luyện lại"):
        shipping.deploy()
    with pytest.raises(FileNotFoundError, match="quay lại"):
        shipping.rollback()
    assert shipping.LIVE.read_text() == "live"


def test_a_preparation_whose_process_died_reads_as_failed(models):
    shipping._write_status({"state": "training", "pid": 2**22 + 12345})
    assert not shipping.busy()
    assert shipping.current_status()["state"] == "failed"


def test_the_candidate_learns_from_the_data_staff_edit(monkeypatch, tmp_path):
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    args = shipping.training_args()
    data = args[args.index("--data") + 1 : args.index("--out")]
    assert data == [str(tmp_path / "data" / part) for part in ("nlu", "responses", "rules", "stories")]


@pytest.mark.parametrize(
    "expected, answer, right",
    [
        ("ask_install/uninstall", "ask_install/uninstall", True),
        ("ask_install/uninstall", "ask_install/overview", False),
        ("greet", "greet", True),
        ("ask_install", "ask_install/overview", True),
    ],
)
def test_an_evaluation_answer_is_right_for_its_exact_question_or_topic(expected, answer, right):
    assert shipping._right(expected, answer) is right
