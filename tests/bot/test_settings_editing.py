"""Staff edit the settings: checked values, only their lines change, the
comments stay, and the servers read the new file."""

import shutil

import pytest

from bot.paths import project_path
from bot.settings import load_settings
from bot.settings_editing import change, current
from bot.teaching import TeachingError


@pytest.fixture
def settings_file(tmp_path):
    path = tmp_path / "settings.yml"
    shutil.copy(project_path("data/settings.yml"), path)
    return path


def test_changed_values_change_their_lines_only_and_are_read_at_once(settings_file):
    before = settings_file.read_text(encoding="utf-8").splitlines()
    assert load_settings(str(settings_file)).hotline == "0299.3626800"
    changed = change(
        {"contact": {"hotline": "0299.3626899"}, "office_hours": {"periods": [["07:30", "11:00"], ["13:00", "17:00"]]}},
        settings_file,
    )
    assert [name for name, _, _ in changed] == ["contact.hotline", "office_hours.periods"]
    after = settings_file.read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before] == ['  hotline: "0299.3626899"', '    - ["07:30", "11:00"]']
    assert load_settings(str(settings_file)).hotline == "0299.3626899"  # no restart needed
    assert "👍 Hữu ích" in settings_file.read_text(encoding="utf-8")  # emoji written as they were


@pytest.mark.parametrize(
    "values, said",
    [
        ({"contact": {"hotline": "gọi tôi"}}, "Số điện thoại"),
        ({"contact": {"support_email": "not-an-email"}}, "e-mail"),
        ({"links": {"home": "http://bluezone.gov.vn"}}, "https://"),
        ({"links": {"tiktok": "https://tiktok.com"}}, "Không có đường link"),
        ({"office_hours": {"periods": [["11:00", "07:00"]]}}, "Ca làm việc"),
        ({"office_hours": {"days": ["monday"]}}, "Ngày làm việc"),
        ({"office_hours": {"closed_days": ["11/02/2027"]}}, "Ngày nghỉ"),
        ({"contact": "0299"}, "không đúng dạng"),
        ({"office_hours": {"periods": "07:00-11:00"}}, "không đúng dạng"),
    ],
)
def test_a_wrong_value_is_refused_and_nothing_changes(settings_file, values, said):
    before = settings_file.read_text(encoding="utf-8")
    with pytest.raises(TeachingError, match=said):
        change(values, settings_file)
    assert settings_file.read_text(encoding="utf-8") == before


def test_the_form_starts_from_the_current_values(settings_file):
    values = current(settings_file)
    assert values["contact"]["hotline"] == "0299.3626800" and values["links"]["home"].startswith("https://")
    assert change(values, settings_file) == []  # saving unchanged values changes nothing
