"""Real servers for channel tests: the stack as `make run` starts it, and
local stand-ins for Meta's Graph API and Zalo's OA API."""

import http.server
import itertools
import json
import shutil
import threading
import time
import urllib.parse
from pathlib import Path

from bot.launcher import (
    Ports,
    action_server_command,
    free_port,
    rasa_server_command,
    server_env,
    start,
    stop,
    wait_until_up,
)
from bot.paths import project_path


def settled(fetch, at_least=1, timeout=30.0, settle=1.5):
    """What `fetch()` returns once it holds at least `at_least` items and
    nothing new came for `settle` seconds (answers sent in the background)."""
    deadline = time.monotonic() + timeout
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        items = fetch()
        if len(items) != seen:
            seen, quiet_since = len(items), time.monotonic()
        elif len(items) >= at_least and time.monotonic() - quiet_since >= settle:
            return items
        time.sleep(0.1)
    return fetch()


def _distinct_free_ports():
    first = free_port()
    second = free_port()
    while second == first:
        second = free_port()
    return first, second


def serve_json(answer):
    """A local HTTP server whose POSTs are answered with
    `answer(path, headers, body bytes)` as JSON, always 200 (as Meta's and
    Zalo's APIs answer); returns the server and its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            data = json.dumps(answer(self.path, self.headers, body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class FakeGraphApi:
    """Meta's Send API on localhost: records what the bot sends (no network)."""

    def __init__(self):
        self.received = []
        self.slow_for = {}  # recipient id -> seconds Meta takes to answer each call about them
        self.server, base_url = serve_json(self._answer)
        self.url = f"{base_url}/v19.0"

    def _answer(self, path, headers, body):
        message = json.loads(body)
        self.received.append({"path": path, "auth": headers.get("Authorization"), "body": message})
        time.sleep(self.slow_for.get(message.get("recipient", {}).get("id"), 0))
        return {"recipient_id": "1", "message_id": "m"}

    def calls_about(self, recipient_id):
        return [r["body"] for r in self.received if r["body"].get("recipient", {}).get("id") == recipient_id]

    def messages_to(self, recipient_id):
        return [
            r["body"]["message"]
            for r in self.received
            if r["body"].get("recipient", {}).get("id") == recipient_id and "message" in r["body"]
        ]

    def close(self):
        self.server.shutdown()


class FakeZaloApi:
    """Zalo's OA API on localhost: the customer-service message endpoint and
    the token renewal, with single-use refresh tokens as Zalo has them."""

    APP_ID = "zalo-app-id"
    APP_SECRET = "zalo-app-secret"
    MAX_TEXT = 2000
    MAX_BUTTONS = 5
    BUTTON_TYPES = {"oa.open.url", "oa.query.show", "oa.query.hide", "oa.open.phone", "oa.open.sms"}

    def __init__(self):
        self.sent = []  # {"user_id", "message", "token"} of each accepted message
        self.refused = []  # bodies of refused sends
        self.renewals = []  # the refresh tokens spent, in order
        self._numbers = itertools.count(1)
        self.refresh_token = "refresh-0"  # the one Zalo accepts next
        self.first_refresh_token = self.refresh_token
        self.access_token = None
        self.refuse_buttons = False  # as if Zalo refused the button template
        self.server, self.url = serve_json(self._answer)

    def _answer(self, path, headers, body):
        if path == "/v4/oa/access_token":
            return self._renew(headers.get("secret_key"), urllib.parse.parse_qs(body.decode()))
        if path == "/v3.0/oa/message/cs":
            return self._send(headers.get("access_token"), json.loads(body))
        return {"error": -404, "message": "unknown path"}

    def _renew(self, secret_key, form):
        def field(name):
            return (form.get(name) or [""])[0]

        if (
            secret_key != self.APP_SECRET
            or field("app_id") != self.APP_ID
            or field("grant_type") != "refresh_token"
            or field("refresh_token") != self.refresh_token
        ):
            return {"error": -14014, "error_name": "Invalid refresh token"}
        self.renewals.append(self.refresh_token)
        number = next(self._numbers)
        self.refresh_token, self.access_token = f"refresh-{number}", f"access-{number}"
        return {"access_token": self.access_token, "refresh_token": self.refresh_token, "expires_in": "90000"}

    def _send(self, token, body):
        if not token or token != self.access_token:
            self.refused.append(body)
            return {"error": -216, "message": "Access token is invalid"}
        text = (body.get("message") or {}).get("text") or ""
        if len(text) > self.MAX_TEXT or not self._buttons_acceptable(body["message"]):
            self.refused.append(body)
            return {"error": -210, "message": "Parameters are invalid"}
        self.sent.append({"user_id": body["recipient"]["user_id"], "message": body["message"], "token": token})
        return {"error": 0, "message": "Success", "data": {"message_id": f"oa-msg-{len(self.sent)}"}}

    def _buttons_acceptable(self, message):
        attachment = message.get("attachment")
        if attachment is None:
            return True
        buttons = (attachment.get("payload") or {}).get("buttons") or []
        return (
            not self.refuse_buttons
            and attachment.get("type") == "template"
            and 0 < len(buttons) <= self.MAX_BUTTONS
            and all(b.get("type") in self.BUTTON_TYPES and 0 < len(b.get("title") or "") <= 100 for b in buttons)
        )

    def buttons_to(self, user_id):
        """The buttons under each message to this user, in order."""
        return [
            ((s["message"].get("attachment") or {}).get("payload") or {}).get("buttons") or []
            for s in self.sent
            if s["user_id"] == user_id
        ]

    def expire_access_token(self):
        self.access_token = "expired-by-zalo"

    def texts_to(self, user_id):
        return [s["message"].get("text") or "" for s in self.sent if s["user_id"] == user_id]

    def close(self):
        self.server.shutdown()


class RunningBot:
    """The action server and the Rasa server, started the way `make run` does."""

    PER_ADDRESS_PER_MINUTE = 600
    FB = {"FB_VERIFY_TOKEN": "verify-me", "FB_APP_SECRET": "app-secret", "FB_PAGE_ACCESS_TOKEN": "page-token"}
    ADMIN_TOKEN = "staff-report-secret"

    ZALO_OA_SECRET_KEY = "zalo-oa-secret-key"

    @classmethod
    def zalo_env(cls, zalo: FakeZaloApi) -> dict:
        return {
            "ZALO_APP_ID": zalo.APP_ID,
            "ZALO_APP_SECRET": zalo.APP_SECRET,
            "ZALO_OA_SECRET_KEY": cls.ZALO_OA_SECRET_KEY,
            "ZALO_REFRESH_TOKEN": zalo.first_refresh_token,
            "ZALO_API_URL": zalo.url,
            "ZALO_OAUTH_URL": zalo.url,
        }

    def __init__(self, workdir: Path, graph: FakeGraphApi, zalo: FakeZaloApi):
        self.ports = Ports(*_distinct_free_ports())
        self.tracker_db = workdir / "tracker.db"
        # What staff change in the workbench goes into a copy of the training data.
        self.data_dir = workdir / "data"
        for part in ("nlu", "responses", "rules", "stories", "knowledge"):
            shutil.copytree(project_path("data") / part, self.data_dir / part)
        self.nlu_dir = self.data_dir / "nlu"
        self.settings = workdir / "settings.yml"
        shutil.copy(project_path("data/settings.yml"), self.settings)
        # ...and models it deploys replace a copy of the trained one.
        self.models_dir = workdir / "models"
        self.models_dir.mkdir()
        shutil.copy(project_path("models/bluezone.tar.gz"), self.models_dir / "bluezone.tar.gz")
        # All tests talk from 127.0.0.1: a higher limit per address than the
        # department's (data/settings.yml) so they do not trip over it.
        self.env = dict(
            server_env(self.ports),
            TRACKER_DB=str(self.tracker_db),
            BOT_DATA_DIR=str(self.data_dir),
            BOT_SETTINGS=str(self.settings),
            BOT_MODELS_DIR=str(self.models_dir),
            FB_GRAPH_URL=graph.url,
            BOT_PER_ADDRESS_PER_MINUTE=str(self.PER_ADDRESS_PER_MINUTE),
            ADMIN_TOKEN=self.ADMIN_TOKEN,
            ZALO_TOKEN_FILE=str(workdir / "zalo-token.json"),
            **self.FB,
            **self.zalo_env(zalo),
        )
        self.graph = graph
        self.zalo = zalo
        self.logs = workdir
        self.processes = [
            self._start(action_server_command(self.ports), "actions.log"),
            self._start(rasa_server_command(self.ports, str(self.models_dir)), "rasa.log"),
        ]

    def _start(self, command, log_name):
        """Started as the launcher does, output kept in the test's folder."""
        return start(command, self.env, log=self.logs / log_name)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    def wait(self):
        wait_until_up(f"http://127.0.0.1:{self.ports.actions}/health", self.processes[0])
        wait_until_up(f"{self.url}/", self.processes[1])
        return self

    def restart_rasa_server(self):
        """Stop the Rasa server (as Ctrl-C or systemd would) and start it again."""
        stop([self.processes[1]])
        self.processes[1] = self._start(rasa_server_command(self.ports, str(self.models_dir)), "rasa.log")
        return self.wait()

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.processes)

    def stop(self):
        stop(list(reversed(self.processes)))
