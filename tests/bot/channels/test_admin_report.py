from bot.channels.admin_report import AdminReportPage, sql_engine


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
