from types import SimpleNamespace

import pytest

from bot.channels.admin_report import AdminReportPage
from bot.channels.staff_access import StaffPage


def test_a_short_or_missing_token_leaves_the_report_off():
    assert AdminReportPage.from_credentials({"token": "short"}).token == ""
    assert AdminReportPage.from_credentials({"token": None}).token == ""
    assert AdminReportPage.from_credentials({"token": "long-enough-secret"}).token == "long-enough-secret"


def test_the_engine_is_found_under_rasas_wrappers():
    class Store:
        engine = "the engine"

    class Wrapper:
        def __init__(self, inner):
            self._tracker_store = inner

    class Agent:
        tracker_store = Wrapper(Wrapper(Store()))

    def request(agent):
        return SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)))

    assert StaffPage.conversation_store(request(Agent())) == "the engine"
    assert StaffPage.conversation_store(request(None)) is None


@pytest.mark.parametrize("since, day", [(None, None), ("", None), ("2021-02-20", "2021-02-20")])
def test_a_period_starts_on_the_day_given(since, day):
    request = SimpleNamespace(args={"since": since} if since is not None else {})
    first = StaffPage.first_day(request)
    assert (first.isoformat() if first else None) == day


@pytest.mark.parametrize("since", ["20/02/2021", "2021-13-01", "<script>"])
def test_a_period_that_is_not_a_date_is_said_for_staff(since):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        StaffPage.first_day(SimpleNamespace(args={"since": since}))
