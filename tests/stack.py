"""Real servers for channel tests: the stack as `make run` starts it, and a
local stand-in for Meta's Graph API."""
import http.server
import json
import threading
from pathlib import Path

from bot.launcher import Ports, action_server_command, free_port, rasa_server_command, server_env, start, stop, wait_until_up


def _distinct_free_ports():
    first = free_port()
    second = free_port()
    while second == first:
        second = free_port()
    return first, second


class FakeGraphApi:
    """Meta's Send API on localhost: records what the bot sends (no network)."""

    def __init__(self):
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                 "body": json.loads(body)})
                reply = b'{"recipient_id": "1", "message_id": "m"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v19.0"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def messages_to(self, recipient_id):
        return [r["body"]["message"] for r in self.received
                if r["body"].get("recipient", {}).get("id") == recipient_id and "message" in r["body"]]

    def close(self):
        self.server.shutdown()


class RunningBot:
    """The action server and the Rasa server, started the way `make run` does."""

    PER_ADDRESS_PER_MINUTE = 600
    FB = {"FB_VERIFY_TOKEN": "verify-me", "FB_APP_SECRET": "app-secret", "FB_PAGE_ACCESS_TOKEN": "page-token"}
    ADMIN_TOKEN = "staff-report-secret"

    def __init__(self, workdir: Path, graph: FakeGraphApi):
        self.ports = Ports(*_distinct_free_ports())
        self.tracker_db = workdir / "tracker.db"
        # All tests talk from 127.0.0.1: a higher limit per address than the
        # department's (data/settings.yml) so they do not trip over it.
        self.env = dict(server_env(self.ports), TRACKER_DB=str(self.tracker_db), FB_GRAPH_URL=graph.url,
                        BOT_PER_ADDRESS_PER_MINUTE=str(self.PER_ADDRESS_PER_MINUTE), ADMIN_TOKEN=self.ADMIN_TOKEN,
                        **self.FB)
        self.graph = graph
        self.logs = workdir
        self.processes = [self._start(action_server_command(self.ports), "actions.log"),
                          self._start(rasa_server_command(self.ports), "rasa.log")]

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
        self.processes[1] = self._start(rasa_server_command(self.ports), "rasa.log")
        return self.wait()

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.processes)

    def stop(self):
        stop(list(reversed(self.processes)))

