"""Floods and oversized requests against the running server: 429 and 413,
while everyone else is served."""

import http.client
import json
import uuid

from tests.stack import RunningBot


def post(bot, body: bytes, source="127.0.0.1", path="/webhooks/rest/webhook"):
    connection = http.client.HTTPConnection("127.0.0.1", bot.ports.rasa, timeout=60, source_address=(source, 0))
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        reply = connection.getresponse()
        reply.read()
        return reply.status
    finally:
        connection.close()


def message(sender, text="xin chào"):
    return json.dumps({"sender": sender, "message": text}).encode()


def test_an_oversized_body_gets_413(running_bot):
    assert post(running_bot, message("big", "x" * 70_000)) == 413
    assert post(running_bot, message(f"ok-{uuid.uuid4().hex}")) == 200


def test_one_conversation_flooding_gets_429_and_others_are_served(running_bot):
    flooder = f"flood-{uuid.uuid4().hex}"
    statuses = [post(running_bot, message(flooder, f"câu {n}")) for n in range(25)]
    assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}
    assert post(running_bot, message(f"other-{uuid.uuid4().hex}")) == 200


def test_one_address_flooding_gets_429_and_other_addresses_are_served(running_bot):
    limit = RunningBot.PER_ADDRESS_PER_MINUTE
    # Bodies the REST channel refuses at once (400): the flood is cheap to send.
    statuses = [post(running_bot, b"{}", source="127.0.0.3") for _ in range(limit + 5)]
    assert statuses.count(400) == limit and statuses[-5:] == [429] * 5
    assert post(running_bot, message(f"neighbour-{uuid.uuid4().hex}"), source="127.0.0.4") == 200
    # Messenger's requests all come from Meta's addresses: not limited per address.
    assert post(running_bot, b"{}", source="127.0.0.3", path="/webhooks/facebook/webhook") == 403
