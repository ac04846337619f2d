"""`python -m bot report` and `python -m bot export-missed`, run as staff
run them, and the loop they start: label the export, then `check` it."""

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from bot.analytics.missed_export import PLACEHOLDER_INTENT
from tests.bot.analytics.test_conversations import action, save, user
from tests.bot.test_staff_tools import run_bot


@pytest.fixture
def store(tmp_path):
    """Two citizens' conversations, one question the bot could not answer."""
    path = tmp_path / "tracker.db"
    rasa_store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    save(rasa_store, "a", [user("cài bluezone ở đâu", "ask_install", 0.95), action("utter_install")])
    save(
        rasa_store,
        "b",
        [user("giá xăng hôm nay bao nhiêu, gọi 0912345678", "nlu_fallback", 0.2, at=5), action("utter_fallback", 5)],
    )
    return f"sqlite:///{path}"


def test_report_writes_a_page(store, tmp_path):
    out = tmp_path / "bao-cao" / "report.html"
    result = run_bot("report", "--database-url", store, "--out", str(out), "--since", "01/01/2020")
    assert result.returncode == 0, result.stderr[-2000:]
    page = out.read_text(encoding="utf-8")
    assert "<b>2</b>cuộc trò chuyện" in page and "giá xăng hôm nay bao nhiêu, gọi &lt;phone&gt;" in page
    assert "từ 01/01/2020" in page


def test_a_start_in_the_future_is_refused(store, tmp_path):
    result = run_bot("report", "--database-url", store, "--out", str(tmp_path / "r.html"), "--since", "01/01/2999")
    assert result.returncode == 2 and "tương lai" in result.stdout


def test_a_missing_store_gets_a_plain_answer(tmp_path):
    result = run_bot("report", "--database-url", f"sqlite:///{tmp_path}/none.db")
    assert result.returncode == 2 and "Chưa có cuộc trò chuyện nào" in result.stdout
    assert not (tmp_path / "none.db").exists()


def test_the_export_once_labelled_is_checked(trained_model, store, tmp_path):
    missed = tmp_path / "missed.yml"
    result = run_bot("export-missed", "--database-url", store, "--out", str(missed))
    assert result.returncode == 0 and "Đã ghi 1 câu hỏi" in result.stdout, result.stdout + result.stderr[-2000:]
    text = missed.read_text(encoding="utf-8")
    # Indented as data/nlu/*.yml, so staff copy the lines as they are.
    assert "\n    - giá xăng hôm nay bao nhiêu, gọi <phone>\n" in text and "0912345678" not in text
    # Not labelled yet: check names the placeholder and refuses.
    unlabelled = run_bot("check", str(missed))
    assert unlabelled.returncode == 2 and PLACEHOLDER_INTENT in unlabelled.stdout
    missed.write_text(text.replace(f"intent: {PLACEHOLDER_INTENT}", "intent: out_of_scope"), encoding="utf-8")
    labelled = run_bot("check", str(missed))
    assert "1 câu hỏi; 1 có ý định mong đợi" in labelled.stdout, labelled.stdout + labelled.stderr[-2000:]
    # A second export does not overwrite the labelling work.
    again = run_bot("export-missed", "--database-url", store, "--out", str(missed))
    assert again.returncode == 2 and "--force" in again.stdout
    assert "intent: out_of_scope" in missed.read_text(encoding="utf-8")
