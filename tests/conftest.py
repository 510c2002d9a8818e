"""Fixtures of the facade tests: both SDK facades on the local emulator, over loopback HTTP.

Most facade tests take ``api``, which runs the test once with each facade
behind the same awaitable interface, so a scenario is written once and
proven for both: every call is awaited (the sync facade's results are
plain values), and every ``iter_*`` call is collected into a list.
"""

from __future__ import annotations

import inspect
import os
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aioboto3
import boto3
import pytest
from hypothesis import settings

from ivs_realtime_sdk import (
    AsyncIVSRealTime,
    IVSRealTime,
    ParticipantTokenConfig,
    Stage,
    StageSpec,
)
from ivs_realtime_sdk.local import LocalIVSRealTime, running_servers

# No per-example deadline: a loaded machine must not turn a slow example into a
# failure. In CI the examples are derandomised, so a red run can be replayed.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "region_name": "us-east-1",
}
ACCOUNT = "123456789012"


def arn(resource: str, resource_id: str = "abcdEFGH1234") -> str:
    """A well-formed ARN of the emulator's region and account that names nothing."""
    return f"arn:aws:ivs:us-east-1:{ACCOUNT}:{resource}/{resource_id}"


def requests_sent(server: LocalIVSRealTime, operation: str) -> int:
    """How many requests of ``operation`` reached the emulator."""
    stats = server.stats.get(operation)
    return 0 if stats is None else stats.received


class Facade:
    """Either facade, called the same way from an async test."""

    def __init__(self, target: IVSRealTime | AsyncIVSRealTime) -> None:
        self.target = target
        self.is_async = isinstance(target, AsyncIVSRealTime)

    def __repr__(self) -> str:
        return f"Facade({type(self.target).__name__})"

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.target, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if name.startswith("iter_"):
                if self.is_async:
                    assert not inspect.isawaitable(result)
                    return [item async for item in result]
                assert isinstance(result, Iterator)
                return list(result)
            assert inspect.isawaitable(result) == self.is_async, name
            return await result if self.is_async else result

        return call


@pytest.fixture
def emulator(ivs_realtime_local: LocalIVSRealTime) -> LocalIVSRealTime:
    """The emulator (its own thread), with fresh state."""
    return ivs_realtime_local


@pytest.fixture
def sdk(emulator: LocalIVSRealTime) -> Iterator[IVSRealTime]:
    """The sync facade on the emulator."""
    with IVSRealTime(
        session=boto3.Session(**CREDENTIALS), endpoint_url=emulator.endpoint_url
    ) as client:
        yield client


@pytest.fixture
async def async_sdk(emulator: LocalIVSRealTime) -> AsyncIterator[AsyncIVSRealTime]:
    """The async facade on the emulator."""
    async with AsyncIVSRealTime(
        session=aioboto3.Session(**CREDENTIALS), endpoint_url=emulator.endpoint_url
    ) as client:
        yield client


@pytest.fixture(params=["sync", "async"])
async def api(request: pytest.FixtureRequest, emulator: LocalIVSRealTime) -> AsyncIterator[Facade]:
    """Each facade in turn, behind the one awaitable interface of Facade."""
    if request.param == "sync":
        with IVSRealTime(
            session=boto3.Session(**CREDENTIALS), endpoint_url=emulator.endpoint_url
        ) as client:
            yield Facade(client)
    else:
        async with AsyncIVSRealTime(
            session=aioboto3.Session(**CREDENTIALS), endpoint_url=emulator.endpoint_url
        ) as client:
            yield Facade(client)


async def live_stage(
    api: Facade,
    emulator: LocalIVSRealTime,
    *,
    participants: int = 1,
    publish: bool = True,
    name: str = "live",
) -> tuple[Stage, list[str]]:
    """Create a stage and join ``participants`` to it; return it and their ids."""
    created = await api.create_stage(
        StageSpec(
            name=name,
            participant_token_configurations=[
                ParticipantTokenConfig(user_id=f"user-{i}", attributes={"seat": str(i)})
                for i in range(participants)
            ],
        )
    )
    ids = [
        emulator.join(created.stage.arn, token.token, publish=publish)
        for token in created.participant_tokens
    ]
    return await api.get_stage(created.stage.arn), ids


@pytest.fixture(scope="session", autouse=True)
def _no_server_left_running() -> Iterator[None]:
    """Fail the run if any test leaves an emulator running (and its port open)."""
    yield
    left = running_servers()
    assert not left, f"emulators left running: {left}"


@pytest.fixture
def closed_url() -> str:
    """The URL of a loopback port where nothing listens: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"
