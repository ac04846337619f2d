"""`python -m bot run`: both servers up, the REST line printed, a real
answer over REST, and Ctrl-C stops both."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from bot.channels import facebook, zalo
from bot.launcher import Ports, banner, free_port, rasa_server_command, server_env
from bot.paths import PROJECT_ROOT


def test_banner_shows_where_to_chat():
    lines = banner(Ports(5005, 5055), {}).splitlines()
    assert "Web chat: http://localhost:5005/chat/" in lines
    assert "REST: http://localhost:5005/webhooks/rest/webhook" in lines


def test_banner_says_whether_messenger_is_on():
    off = banner(Ports(5005, 5055), {"FB_VERIFY_TOKEN": "v"})
    assert "Messenger: off (set FB_APP_SECRET, FB_PAGE_ACCESS_TOKEN to turn it on)" in off.splitlines()
    on = banner(Ports(5005, 5055), dict.fromkeys(facebook.SPEC.secrets, "x"))
    assert "Messenger: on, webhook at /webhooks/facebook/webhook" in on.splitlines()


def test_banner_says_whether_zalo_is_on():
    off = banner(Ports(5005, 5055), {"ZALO_APP_ID": "1", "ZALO_APP_SECRET": "s", "ZALO_OA_SECRET_KEY": "k"})
    assert "Zalo: off (set ZALO_REFRESH_TOKEN to turn it on)" in off.splitlines()
    on = banner(Ports(5005, 5055), dict.fromkeys(zalo.SPEC.secrets, "x"))
    assert "Zalo: on, webhook at /webhooks/zalo/webhook" in on.splitlines()


def test_banner_says_whether_the_staff_report_is_on():
    assert "Staff pages: off (set ADMIN_TOKEN" in banner(Ports(5005, 5055), {"ADMIN_TOKEN": "short"})
    on = banner(Ports(5005, 5055), {"ADMIN_TOKEN": "long-enough-secret"})
    assert "Staff workbench: http://localhost:5005/admin/ and report: http://localhost:5005/admin/report" in on
    assert "long-enough-secret" not in on


def test_servers_find_each_other_and_keep_the_api_closed(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "db" / "tracker.db"))
    env = server_env(Ports(5006, 5056))
    assert env["ACTION_ENDPOINT_URL"] == "http://localhost:5056/webhook"
    assert (tmp_path / "db").is_dir()
    assert "--enable-api" not in rasa_server_command(Ports(5006, 5056))


def test_run_answers_over_rest_and_stops_on_ctrl_c(trained_model, tmp_path):
    rasa_port, actions_port = free_port(), free_port()
    env = dict(
        os.environ, RASA_PORT=str(rasa_port), ACTIONS_PORT=str(actions_port), TRACKER_DB=str(tmp_path / "tracker.db")
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                pytest.fail("launcher exited before it was ready:\n" + "".join(lines))
            lines.append(line)
            if line.startswith("REST: "):
                break
        url = line.split("REST: ", 1)[1].strip()
        assert url == f"http://localhost:{rasa_port}/webhooks/rest/webhook"
        request = urllib.request.Request(
            url,
            data=json.dumps({"sender": "launcher-test", "message": "cài bluezone ở đâu"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        replies = json.load(urllib.request.urlopen(request, timeout=30))
        said = " ".join(
            [r.get("text", "") for r in replies] + [b.get("url", "") for r in replies for b in r.get("buttons", [])]
        )
        assert "https://www.bluezone.gov.vn/taiapp" in said
        assert (tmp_path / "tracker.db").exists()
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    for port in (rasa_port, actions_port):
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open"
