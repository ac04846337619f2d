"""Who may open the staff pages: the token, guessing slowed, and changes
made with the browser's own credentials only from the page itself."""

import base64
from types import SimpleNamespace

import pytest
from sanic.compat import Header

from bot.channels import staff_access
from bot.channels.staff_access import CSRF_HEADER, StaffAccess, presented_token

TOKEN = "long-enough-secret"


def b64(text):
    return base64.b64encode(text.encode()).decode()


def request(method="GET", address="10.0.0.1", **headers):
    headers = Header({"host": "bot.local:5005", **headers})  # Sanic's, case-insensitive
    return SimpleNamespace(method=method, headers=headers, remote_addr=address, ip=address)


@pytest.fixture(autouse=True)
def fresh_attempts(monkeypatch):
    monkeypatch.setattr(staff_access, "_failures", staff_access.RateLimiter(3))


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


def test_without_a_usable_token_the_pages_do_not_exist():
    assert StaffAccess("short").refusal(request(authorization="Bearer short"), "x").status == 404


def test_only_wrong_tokens_count_towards_the_lockout():
    access = StaffAccess(TOKEN)
    for _ in range(10):
        assert access.refusal(request(authorization=f"Bearer {TOKEN}"), "x") is None  # staff at work
    assert [access.refusal(request(authorization="Bearer guess"), "x").status for _ in range(3)] == [401] * 3
    assert access.refusal(request(authorization=f"Bearer {TOKEN}"), "x").status == 429
    assert access.refusal(request(address="10.0.0.2", authorization=f"Bearer {TOKEN}"), "x") is None


def test_a_change_with_browser_credentials_needs_the_pages_csrf_token():
    access = StaffAccess(TOKEN)
    basic = f"Basic {b64('canbo:' + TOKEN)}"
    assert access.refusal(request("POST", authorization=basic), "x").status == 403
    assert access.refusal(request("POST", authorization=basic, **{CSRF_HEADER: "forged"}), "x").status == 403
    good = {CSRF_HEADER: access.csrf_token}
    assert access.refusal(request("POST", authorization=basic, **good), "x") is None
    other_site = request("POST", authorization=basic, origin="https://evil.example", **good)
    assert access.refusal(other_site, "x").status == 403
    # A script with the token itself (`python -m bot ask`) needs no page.
    assert access.refusal(request("POST", authorization=f"Bearer {TOKEN}"), "x") is None
