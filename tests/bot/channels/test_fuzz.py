"""Abuse of the public endpoints with generated input (hypothesis, a
bounded number of examples so `make test` stays quick): no input makes a
channel fail with a 5xx, and the server keeps answering."""

import hashlib
import hmac
import http.client
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stack import RunningBot

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin-1",
        "",
    ]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


def post(bot, path, body: bytes, content_type="application/json", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", bot.ports.rasa, timeout=60)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": content_type, **(headers or {})})
        reply = connection.getresponse()
        reply.read()
        return reply.status
    finally:
        connection.close()


@FUZZ
@given(body=st.binary(max_size=3000), content_type=CONTENT_TYPES)
def test_rest_with_any_bytes_never_fails_with_5xx(running_bot, body, content_type):
    assert post(running_bot, "/webhooks/rest/webhook", body, content_type) < 500


@FUZZ
@given(body=JSON)
def test_rest_with_any_json_never_fails_with_5xx(running_bot, body):
    assert post(running_bot, "/webhooks/rest/webhook", json.dumps(body).encode()) < 500


def signed(body: bytes) -> dict:
    secret = RunningBot.FB["FB_APP_SECRET"].encode()
    return {"X-Hub-Signature-256": "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()}


@FUZZ
@given(entries=JSON)
def test_messenger_with_any_signed_payload_never_fails_with_5xx(running_bot, entries):
    body = json.dumps({"object": "page", "entry": entries}).encode()
    assert post(running_bot, "/webhooks/facebook/webhook", body, headers=signed(body)) in (200, 400)


@FUZZ
@given(
    body=st.binary(max_size=2000), signature=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
)
def test_messenger_with_a_forged_signature_gets_403(running_bot, body, signature):
    assert post(running_bot, "/webhooks/facebook/webhook", body, headers={"X-Hub-Signature-256": signature}) == 403


def test_the_server_still_answers_after_the_fuzzing(running_bot):
    body = json.dumps({"sender": "after-fuzz", "message": "cài bluezone ở đâu"}).encode()
    assert post(running_bot, "/webhooks/rest/webhook", body) == 200
    assert running_bot.alive()


def zalo_signed(event: dict) -> tuple:
    from bot.channels.zalo import signature

    body = json.dumps(event).encode()
    mac = signature("zalo-app-id", body, str(event.get("timestamp")), RunningBot.ZALO_OA_SECRET_KEY)
    return body, {"X-ZEvent-Signature": mac}


@FUZZ
@given(event_name=st.sampled_from(["user_send_text", "user_send_image", "oa_send_text", "follow", ""]), fields=JSON)
def test_zalo_with_any_signed_event_never_fails_with_5xx(running_bot, event_name, fields):
    import time

    event = {"event_name": event_name, "timestamp": str(int(time.time() * 1000)), "sender": fields, "message": fields}
    body, headers = zalo_signed(event)
    assert post(running_bot, "/webhooks/zalo/webhook", body, headers=headers) == 200


@FUZZ
@given(
    body=st.binary(max_size=2000), signature=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)
)
def test_zalo_with_a_forged_signature_gets_a_4xx(running_bot, body, signature):
    assert post(running_bot, "/webhooks/zalo/webhook", body, headers={"X-ZEvent-Signature": signature}) in (400, 403)


def test_json_nested_past_pythons_limit_is_refused_cleanly(running_bot):
    deep = b"[" * 20000 + b"]" * 20000
    assert post(running_bot, "/webhooks/rest/webhook", deep) == 400
    assert post(running_bot, "/webhooks/facebook/webhook", deep, headers=signed(deep)) == 400
    assert post(running_bot, "/webhooks/zalo/webhook", deep, headers={"X-ZEvent-Signature": "mac=0"}) == 400
