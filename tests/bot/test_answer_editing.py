"""Staff change an answer's text: only that line changes, the rules of
`make validate` hold, and a refused change leaves the file as it was."""

import shutil

import pytest
import yaml

from bot.answer_editing import answers, change
from bot.paths import project_path
from bot.teaching import TeachingError

KEY = "utter_ask_install/download_link"


@pytest.fixture
def responses(tmp_path):
    folder = tmp_path / "responses"
    shutil.copytree(project_path("data/responses"), folder)
    return folder


def text_of(folder, key):
    for path in folder.glob("*.yml"):
        found = (yaml.safe_load(path.read_text(encoding="utf-8"))["responses"] or {}).get(key)
        if found:
            return found[0]["text"]


def test_only_families_answers_of_one_text_are_offered(responses):
    found = {a.key: a for a in answers(responses)}
    assert KEY in found and found[KEY].question and found[KEY].topic == "ask_install"
    assert all(a.key.startswith("utter_") and "/" in a.key for a in found.values())


def test_a_new_text_replaces_one_line_and_keeps_the_rest(responses):
    path = responses / "ask_install.yml"
    before = path.read_text(encoding="utf-8").splitlines()
    new = 'Tải Bluezone ở {link_download}.\nMở link trên điện thoại, bấm "Cài đặt".'
    name, old = change(KEY, new, responses)
    after = path.read_text(encoding="utf-8").splitlines()
    assert name == "ask_install.yml" and "{link_download}" in old
    assert text_of(responses, KEY) == new
    assert len(after) == len(before) and sum(a != b for a, b in zip(after, before)) == 1


@pytest.mark.parametrize(
    "text, said", [("", "trống"), ("Gọi {so_dien_thoai} nhé.", "{so_dien_thoai}"), ("Dài quá. " * 60, "tối đa")]
)
def test_a_text_make_validate_would_refuse_is_refused_and_nothing_changes(responses, text, said):
    before = (responses / "ask_install.yml").read_text(encoding="utf-8")
    with pytest.raises(TeachingError, match=said):
        change(KEY, text, responses)
    assert (responses / "ask_install.yml").read_text(encoding="utf-8") == before


def test_an_unknown_answer_is_said(responses):
    with pytest.raises(TeachingError, match="Không có câu trả lời"):
        change("utter_ask_install/nope", "Câu mới.", responses)
