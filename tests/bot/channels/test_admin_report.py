import base64

import pytest

from bot.channels.admin_report import AdminReportPage, presented_token, sql_engine


def b64(text):
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "header, token",
    [
        ("Bearer abc-123", "abc-123"),
        (f"Basic {b64('canbo:mật-khẩu:có-hai-chấm')}", "mật-khẩu:có-hai-chấm"),
        (f"basic {b64('only-user')}", ""),
        ("Basic not-base64!!", None),
        ("Token abc", None),
        ("", None),
    ],
)
def test_the_token_is_read_from_basic_or_bearer(header, token):
    assert presented_token(header) == token


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

    assert sql_engine(Agent()) == "the engine"
    assert sql_engine(None) is None
