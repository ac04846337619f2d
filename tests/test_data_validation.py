"""`make validate` (bot/data_check.py): clean on our data, and failing, with
the file named, on the mistakes staff make when they add questions."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def validate(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.data_check"],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=dict(os.environ, PYTHONPATH=str(cwd)),
    )


def test_our_data_is_clean():
    result = validate(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "Dữ liệu hợp lệ." in result.stdout


@pytest.fixture
def project_copy(tmp_path):
    # With its own code: bot.data_check reads the project its package is in.
    for name in ("data", "actions", "bot"):
        shutil.copytree(ROOT / name, tmp_path / name)
    for name in ("domain.yml", "config.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    "mistake, said",
    [
        # An export-missed block pasted without labelling it.
        ("- intent: CHUA_GAN_NHAN\n  examples: |\n    - giá vàng hôm nay\n", "CHUA_GAN_NHAN"),
        # Lines pasted with the wrong indent: Rasa would skip them and say nothing.
        (
            "- intent: out_of_scope\n  examples: |\n    - giá vàng hôm nay\n      - giá xăng hôm nay\n",
            "data/nlu/new.yml",
        ),
    ],
)
def test_a_staff_mistake_stops_training(project_copy, mistake, said):
    (project_copy / "data" / "nlu" / "new.yml").write_text('version: "3.1"\nnlu:\n' + mistake, encoding="utf-8")
    result = validate(project_copy)
    assert result.returncode == 1, result.stdout
    assert "Dữ liệu có" in result.stdout and said in result.stdout


def test_a_hotline_without_quotes_is_refused(project_copy):
    settings = project_copy / "data" / "settings.yml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('hotline: "0299.3626800"', "hotline: 0299.3626800"),
        encoding="utf-8",
    )
    result = validate(project_copy)
    assert result.returncode == 1 and "contact.hotline phải đặt trong ngoặc kép" in result.stdout


@pytest.mark.parametrize(
    "written, wrong, reported",
    [
        (
            "other_phone: ask_install/install_on_iphone",
            "other_phone: ask_install/overview",
            "ask_install/install_on_android và ask_install/overview",
        ),
        # The other app's family must be about the other app.
        (
            "other_app: ask_pc_covid/overview",
            "other_app: ask_what_is_bluezone/who_made",
            "ask_what_is_bluezone/overview và ask_what_is_bluezone/who_made",
        ),
    ],
)
def test_a_phone_or_app_pair_must_name_the_other_kind(project_copy, written, wrong, reported):
    questions = project_copy / "data" / "knowledge" / "questions.yml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text.replace(written, wrong), encoding="utf-8")
    result = validate(project_copy)
    assert result.returncode == 1 and reported in result.stdout
