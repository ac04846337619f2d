"""Staff label a missed question: it lands in the right family's block as
a developer would write it, once, and never breaks the training data."""

import shutil
import threading

import pytest

from bot import teaching
from bot.analytics.grouping import key
from bot.paths import project_path
from bot.teaching import TeachingError, teach


@pytest.fixture
def nlu(tmp_path):
    folder = tmp_path / "nlu"
    shutil.copytree(project_path("data/nlu"), folder)
    return folder


def examples_of(path, intent):
    from rasa.shared.nlu.training_data.loading import load_data

    return [
        m.get("text")
        for m in load_data(str(path)).intent_examples
        if (m.get("intent_response_key") or m.get("intent")) == intent
    ]


def test_a_question_goes_to_the_end_of_its_familys_block(nlu, tmp_path):
    before = (nlu / "ask_install.yml").read_text(encoding="utf-8")
    path = teach("  làm sao xoá   cái app bluezone\n đi ạ ", "ask_install/uninstall", nlu, tmp_path / "lock")
    assert path == nlu / "ask_install.yml"
    assert examples_of(path, "ask_install/uninstall")[-1] == "làm sao xoá cái app bluezone đi ạ"
    after = path.read_text(encoding="utf-8")
    # One line added; every other line (comments, layout) as it was.
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    assert [line for line in after.splitlines() if line not in before.splitlines()] == [
        "    - làm sao xoá cái app bluezone đi ạ"
    ]


def test_out_of_scope_is_a_label_too(nlu, tmp_path):
    teach("giá xăng hôm nay bao nhiêu", "out_of_scope", nlu, tmp_path / "lock")
    assert "giá xăng hôm nay bao nhiêu" in examples_of(nlu / "out_of_scope.yml", "out_of_scope")


@pytest.mark.parametrize(
    "text, label, said",
    [
        ("cài bluezone ở đâu", "ask_install/nope", "Không có nhóm"),
        ("😀😀", "out_of_scope", "không có chữ"),
        ("x" * 400, "out_of_scope", "dài hơn"),
    ],
)
def test_a_label_that_cannot_be_saved_is_refused_and_nothing_changes(nlu, tmp_path, text, label, said):
    before = {p.name: p.read_text(encoding="utf-8") for p in nlu.glob("*.yml")}
    with pytest.raises(TeachingError, match=said):
        teach(text, label, nlu, tmp_path / "lock")
    assert {p.name: p.read_text(encoding="utf-8") for p in nlu.glob("*.yml")} == before


def test_a_question_already_taught_is_not_added_twice(nlu, tmp_path):
    known = next(iter(teaching.taught(nlu)))
    with pytest.raises(TeachingError, match="đã học"):
        teach(known.upper(), "out_of_scope", nlu, tmp_path / "lock")


def test_an_example_rasa_would_read_differently_is_undone(nlu, tmp_path):
    before = (nlu / "out_of_scope.yml").read_text(encoding="utf-8")
    with pytest.raises(TeachingError, match="Không lưu được"):
        teach("[bluezone](app) là gì", "out_of_scope", nlu, tmp_path / "lock")  # entity markup
    assert (nlu / "out_of_scope.yml").read_text(encoding="utf-8") == before


def test_two_staff_saving_at_once_both_keep_their_change(nlu, tmp_path):
    texts = [f"câu hỏi mới số {n} về ứng dụng khác" for n in range(6)]
    threads = [threading.Thread(target=teach, args=(text, "out_of_scope", nlu, tmp_path / "lock")) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = {key(t) for t in examples_of(nlu / "out_of_scope.yml", "out_of_scope")}
    assert {key(t) for t in texts} <= saved


def test_a_phone_number_never_reaches_the_training_data(nlu, tmp_path):
    teach("gọi 0912345678 hỏi bluezone được không", "out_of_scope", nlu, tmp_path / "lock")
    saved = (nlu / "out_of_scope.yml").read_text(encoding="utf-8")
    assert "0912345678" not in saved and "<phone>" in saved
