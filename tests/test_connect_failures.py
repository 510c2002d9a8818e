"""Nothing listening: both facades make the same attempts, with the same backoff, then fail typed.

An async call to a closed port once took 5.8 s and a sync one 1.2 s. Both make
``DEFAULT_MAX_ATTEMPTS`` attempts (botocore's standard retry mode retries a
refused connection), and wait between them for ``random() * 2**(attempt - 1)``
seconds (``botocore.retries.standard.ExponentialBackoff``, which aiobotocore
reuses): 0 to 7 s in all, whichever the facade. The gap was that jitter. These
tests pin the attempts and the waits' policy, not the wall time.
"""

from __future__ import annotations

from typing import Any

import aioboto3
import boto3
import pytest
from botocore.retries.standard import ExponentialBackoff

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime
from ivs_realtime_sdk._config import DEFAULT_MAX_ATTEMPTS
from ivs_realtime_sdk.errors import EndpointConnectionError

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def backoffs(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The most each wait between attempts could be, recorded; the waits themselves skipped."""
    ceilings: list[float] = []

    def record(self: ExponentialBackoff, context: Any) -> float:
        ceilings.append(min(2 ** (context.attempt_number - 1), self._max_backoff))  # pyright: ignore[reportPrivateUsage]
        return 0.0

    monkeypatch.setattr(ExponentialBackoff, "delay_amount", record)
    return ceilings


def _count_sends(client: Any) -> list[str]:
    sent: list[str] = []
    client.meta.events.register("before-send", lambda **kwargs: sent.append("send"))
    return sent


def test_sync_makes_the_default_attempts_then_fails(closed_url: str, backoffs: list[float]) -> None:
    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    with IVSRealTime(session=session, endpoint_url=closed_url) as sdk:
        sent = _count_sends(sdk._client)  # pyright: ignore[reportPrivateUsage]
        with pytest.raises(EndpointConnectionError):
            sdk.list_stages()
    assert len(sent) == DEFAULT_MAX_ATTEMPTS
    assert backoffs == [1, 2, 4][: DEFAULT_MAX_ATTEMPTS - 1]


async def test_async_makes_the_same_attempts_with_the_same_backoff(
    closed_url: str, backoffs: list[float]
) -> None:
    session = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
    async with AsyncIVSRealTime(session=session, endpoint_url=closed_url) as sdk:
        sent = _count_sends(sdk._client)  # pyright: ignore[reportPrivateUsage]
        with pytest.raises(EndpointConnectionError):
            await sdk.list_stages()
    assert len(sent) == DEFAULT_MAX_ATTEMPTS
    assert backoffs == [1, 2, 4][: DEFAULT_MAX_ATTEMPTS - 1]
