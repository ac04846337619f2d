import pytest

from bot import rolling_deploy
from bot.launcher import free_port
from bot.settings import peer_servers
from tests.stack import serve_json


@pytest.mark.parametrize(
    "peer, host, port, itself",
    [
        ("http://127.0.0.1:5011", "127.0.0.1:5011", 5011, True),
        ("http://127.0.0.1:5011", "localhost:5011", 5011, True),  # the staff's browser says localhost
        ("http://127.0.0.1:5012", "localhost:5011", 5011, False),
        ("http://rasa-1:5005", "rasa-1:5005", 5005, True),
        ("http://rasa-2:5005", "rasa-1:5005", 5005, False),  # same port, another machine
    ],
)
def test_a_server_knows_itself_among_its_peers(peer, host, port, itself):
    assert rolling_deploy.is_self(peer, host, port) is itself


def test_peers_come_from_the_environment_and_none_on_one_machine():
    assert peer_servers({"BOT_PEERS": "http://127.0.0.1:5011/, http://127.0.0.1:5012"}) == [
        "http://127.0.0.1:5011",
        "http://127.0.0.1:5012",
    ]
    assert peer_servers({}) == []


def test_each_peer_is_asked_in_turn_with_the_token_and_failures_are_reported():
    calls = []

    def answer(path, headers, body):
        calls.append((path, headers.get("Authorization")))
        return {"model_id": f"model-{len(calls)}"}

    server, url = serve_json(answer)
    unreachable = f"http://127.0.0.1:{free_port()}"
    try:
        results = rolling_deploy.reload_peers([url, unreachable, url], "t" * 32, timeout=5)
    finally:
        server.shutdown()
    assert calls == [(rolling_deploy.RELOAD_PATH, "Bearer " + "t" * 32)] * 2
    assert results[0] == {"server": url, "model_id": "model-1"}
    assert results[1]["server"] == unreachable and results[1]["error"]
    assert results[2] == {"server": url, "model_id": "model-2"}
