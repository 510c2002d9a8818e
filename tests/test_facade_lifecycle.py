"""Each facade has one lifecycle state: unopened, open, closed (httpx's ClientState)."""

from __future__ import annotations

from collections.abc import Iterator

import aioboto3
import boto3
import pytest

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime
from ivs_realtime_sdk._facade import ClientState
from ivs_realtime_sdk.errors import ClientClosedError, ClientStateError, IVSRealTimeError
from ivs_realtime_sdk.local import LocalIVSRealTime

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as local:
        yield local


def _sync(server: LocalIVSRealTime) -> IVSRealTime:
    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    return IVSRealTime(session=session, endpoint_url=server.endpoint_url)


def _async(server: LocalIVSRealTime) -> AsyncIVSRealTime:
    session = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
    return AsyncIVSRealTime(session=session, endpoint_url=server.endpoint_url)


def test_a_sync_facade_moves_unopened_open_closed(server: LocalIVSRealTime) -> None:
    sdk = _sync(server)
    assert sdk._state is ClientState.UNOPENED
    assert sdk.list_stages().items == ()  # a sync facade works without `with`
    with sdk:
        assert sdk._state is ClientState.OPEN
    assert sdk._state is ClientState.CLOSED


def test_entering_a_closed_sync_facade_fails_at_once(server: LocalIVSRealTime) -> None:
    sdk = _sync(server)
    sdk.close()
    with pytest.raises(ClientClosedError, match="IVSRealTime was closed"), sdk:
        pytest.fail("the block must not run")


def test_entering_an_open_sync_facade_again_fails(server: LocalIVSRealTime) -> None:
    with _sync(server) as sdk:
        with pytest.raises(ClientStateError, match="already open"), sdk:
            pytest.fail("the block must not run")
        assert sdk._state is ClientState.OPEN


async def test_an_async_facade_moves_unopened_open_closed(server: LocalIVSRealTime) -> None:
    sdk = _async(server)
    assert sdk._state is ClientState.UNOPENED
    with pytest.raises(ClientClosedError, match="async with"):
        await sdk.list_stages()
    async with sdk:
        assert sdk._state is ClientState.OPEN
        assert (await sdk.list_stages()).items == ()
    assert sdk._state is ClientState.CLOSED


async def test_a_second_async_with_on_an_open_facade_fails_clearly(
    server: LocalIVSRealTime,
) -> None:
    async with _async(server) as sdk:
        with pytest.raises(ClientStateError, match="AsyncIVSRealTime is already open"):
            async with sdk:
                pytest.fail("the block must not run")
        # The failed entry leaves the first one open and working.
        assert (await sdk.list_stages()).items == ()


async def test_entering_a_closed_async_facade_fails_at_once(server: LocalIVSRealTime) -> None:
    sdk = _async(server)
    async with sdk:
        pass
    with pytest.raises(ClientClosedError, match="AsyncIVSRealTime was closed"):
        async with sdk:
            pytest.fail("the block must not run")
    # Closing again is harmless.
    await sdk.close()


async def test_a_never_opened_async_facade_can_be_closed(server: LocalIVSRealTime) -> None:
    sdk = _async(server)
    await sdk.close()
    assert sdk._state is ClientState.CLOSED
    with pytest.raises(ClientClosedError):
        async with sdk:
            pass


async def test_a_wrapped_async_client_opens_without_being_closed(
    server: LocalIVSRealTime,
) -> None:
    session = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
    async with session.client("ivs-realtime", endpoint_url=server.endpoint_url) as client:
        sdk = AsyncIVSRealTime.from_client(client)
        async with sdk:
            assert (await sdk.list_stages()).items == ()
        assert sdk._state is ClientState.CLOSED
        assert (await client.list_stages())["stages"] == []


def test_lifecycle_errors_are_sdk_errors() -> None:
    assert issubclass(ClientClosedError, ClientStateError)
    assert issubclass(ClientStateError, IVSRealTimeError)
