"""The OA token kept fresh without a person, on one machine and in the
cluster, against a local fake of Zalo's API."""

import asyncio
import logging
import uuid

import pytest
import redis.asyncio

from bot.channels.zalo_api import FileTokenStore, RedisTokenStore, ZaloApi, ZaloApiError, ZaloTokens
from tests.stack import FakeZaloApi


@pytest.fixture
def zalo():
    fake = FakeZaloApi()
    yield fake
    fake.close()


def tokens(zalo, store, first=None, clock=None):
    extra = {"clock": clock} if clock else {}
    return ZaloTokens(zalo.APP_ID, zalo.APP_SECRET, first or zalo.first_refresh_token, zalo.url, store, **extra)


def test_the_first_token_is_renewed_once_and_the_new_refresh_token_kept_privately(zalo, tmp_path):
    keeper = tokens(zalo, FileTokenStore(str(tmp_path / "var" / "zalo-token.json")))

    async def twice():
        return [await keeper.access_token(), await keeper.access_token()]

    assert asyncio.run(twice()) == [zalo.access_token] * 2
    assert zalo.renewals == ["refresh-0"]
    stored = tmp_path / "var" / "zalo-token.json"
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    assert zalo.refresh_token in stored.read_text()


def test_a_restart_goes_on_with_the_stored_refresh_token(zalo, tmp_path):
    store = FileTokenStore(str(tmp_path / "token.json"))
    refused = asyncio.run(tokens(zalo, store).access_token())
    zalo.expire_access_token()
    asyncio.run(tokens(zalo, store).renew(refused=refused))  # the spent first token is not reused
    assert zalo.renewals == ["refresh-0", "refresh-1"]


def test_the_token_is_renewed_before_it_expires(zalo, tmp_path):
    now = [1000.0]
    keeper = tokens(zalo, FileTokenStore(str(tmp_path / "token.json")), clock=lambda: now[0])
    asyncio.run(keeper.access_token())
    now[0] += 90000 - 60  # a minute before expiry
    asyncio.run(keeper.access_token())
    assert len(zalo.renewals) == 2


def test_an_expired_token_is_renewed_and_the_message_sent_once(zalo, tmp_path):
    api = ZaloApi(zalo.url, tokens(zalo, FileTokenStore(str(tmp_path / "token.json"))))
    assert asyncio.run(api.send("u1", {"text": "một"}))
    zalo.expire_access_token()
    assert asyncio.run(api.send("u1", {"text": "hai"}))
    assert zalo.texts_to("u1") == ["một", "hai"] and len(zalo.renewals) == 2


def test_a_new_refresh_token_from_the_environment_replaces_the_stored_chain(zalo, tmp_path):
    store = FileTokenStore(str(tmp_path / "token.json"))
    asyncio.run(tokens(zalo, store).access_token())
    # The department authorised the OA again: Zalo now accepts only the new token.
    zalo.refresh_token = "re-authorised"
    asyncio.run(tokens(zalo, store, first="re-authorised").access_token())
    assert zalo.renewals[-1] == "re-authorised"


def test_a_refused_renewal_is_reported_without_the_token(zalo, tmp_path, caplog):
    keeper = tokens(zalo, FileTokenStore(str(tmp_path / "token.json")), first="not-a-valid-token")
    with caplog.at_level(logging.INFO), pytest.raises(ZaloApiError):
        asyncio.run(keeper.access_token())
    assert "ZALO_REFRESH_TOKEN" in caplog.text and "not-a-valid-token" not in caplog.text


def test_servers_sharing_redis_spend_the_refresh_token_once(zalo):
    prefix = f"test{uuid.uuid4().hex[:8]}"

    async def two_servers():
        client = redis.asyncio.Redis()
        try:
            one = tokens(zalo, RedisTokenStore(client, prefix))
            other = tokens(zalo, RedisTokenStore(client, prefix))
            return await asyncio.gather(one.access_token(), other.access_token())
        finally:
            await client.delete(f"{prefix}:zalo-token")
            await client.close()

    first, second = asyncio.run(two_servers())
    assert first == second == zalo.access_token and zalo.renewals == ["refresh-0"]
