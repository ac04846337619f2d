"""Staff add a question family from the workbench: four files change as a
developer would change them, the result passes make validate's knowledge
rules, and a bad family changes nothing."""

import shutil
from dataclasses import replace

import pytest
import yaml

from bot import new_family
from bot.data_check import knowledge_problems
from bot.paths import project_path
from bot.settings import load_settings
from bot.teaching import TeachingError

FAMILY = new_family.NewFamily(
    topic="ask_install",
    name="cai_cho_may_tre_em",
    question="Cài Bluezone cho điện thoại của con nhỏ được không?",
    answer="Được. Máy của cháu cài như máy người lớn; cần hỗ trợ thì gọi {hotline}.",
    fact="Mỗi điện thoại phải cài riêng Bluezone.",
    source="https://bluezone.gov.vn/",
    published="2021-02-20",
    examples=["con tui 10 tuổi có cài được không", "  cài cho máy của  con nít được hông  "],
)


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "data"
    for part in ("nlu", "responses", "knowledge"):
        shutil.copytree(project_path(f"data/{part}"), folder / part)
    return folder


def files(folder):
    return {path.relative_to(folder): path.read_text(encoding="utf-8") for path in folder.rglob("*.yml")}


def test_a_new_family_lands_in_its_four_files_and_validates(data, tmp_path):
    before = files(data)
    key = new_family.add(FAMILY, "Chị Lan", data, tmp_path / "lock")
    assert key == "ask_install/cai_cho_may_tre_em"
    after = files(data)
    # Only these four files changed, and only by lines added at their end.
    changed = {path for path in after if after[path] != before[path]}
    assert {str(p) for p in changed} == {
        "knowledge/facts.yml",
        "knowledge/questions.yml",
        "responses/ask_install.yml",
        "nlu/ask_install.yml",
    }
    for path in changed:
        assert after[path].startswith(before[path].rstrip("\n"))
    facts = yaml.safe_load(after[next(p for p in changed if p.name == "facts.yml")])["facts"]
    assert facts[-1] == {
        "id": "staff.ask_install.cai_cho_may_tre_em",
        "statement": FAMILY.fact,
        "source": FAMILY.source,
        "published": "2021-02-20",
        "added_by": "Chị Lan",
    }
    responses = yaml.safe_load((data / "responses/ask_install.yml").read_text(encoding="utf-8"))["responses"]
    assert responses["utter_ask_install/cai_cho_may_tre_em"] == [{"text": FAMILY.answer}]
    assert "  # facts: staff.ask_install.cai_cho_may_tre_em\n  utter_ask_install/cai_cho_may_tre_em:" in (
        data / "responses/ask_install.yml"
    ).read_text(encoding="utf-8")
    [block] = [
        b
        for b in yaml.safe_load((data / "nlu/ask_install.yml").read_text(encoding="utf-8"))["nlu"]
        if b["intent"] == key
    ]
    assert block["examples"].splitlines() == [
        "- " + FAMILY.question,
        "- con tui 10 tuổi có cài được không",
        "- cài cho máy của con nít được hông",
    ]
    assert knowledge_problems(load_settings().response_variables(), data) == []


@pytest.mark.parametrize(
    "change, says",
    [
        ({"topic": "greet"}, "Không có chủ đề"),
        ({"name": "Cài Đặt"}, "Tên nhóm"),
        ({"name": "uninstall"}, "đã có"),
        ({"question": " "}, "Câu hỏi của nhóm"),
        ({"fact": ""}, "Dữ kiện"),
        ({"source": "http://bluezone.gov.vn/"}, "https://"),
        ({"source": "bluezone.gov.vn"}, "https://"),
        ({"published": "20/02/2021"}, "YYYY-MM-DD"),
        ({"published": "2999-01-01"}, "tương lai"),
        ({"answer": "Gọi {so_dien_thoai} nhé."}, "Chỗ điền"),
        ({"answer": "x" * 401}, "tối đa"),
        ({"examples": ["gỡ bluezone thế nào"]}, "đã học"),
        ({"examples": [f"câu số {n}" for n in range(new_family.MAX_EXAMPLES + 1)]}, "Tối đa"),
    ],
)
def test_a_family_that_cannot_be_added_changes_nothing(data, tmp_path, change, says):
    from bot.teaching import teach

    teach("gỡ bluezone thế nào", "ask_install/uninstall", data / "nlu", tmp_path / "lock")
    before = files(data)
    with pytest.raises(TeachingError, match=says):
        new_family.add(replace(FAMILY, **change), "canbo", data, tmp_path / "lock")
    assert files(data) == before
