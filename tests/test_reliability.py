"""Faults the emulator injects: retries, timeouts, dropped connections, and typed failures."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import aioboto3
import boto3
import pytest
from botocore.config import Config

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime, StageSpec
from ivs_realtime_sdk._config import DEFAULT_MAX_ATTEMPTS, client_config
from ivs_realtime_sdk.errors import (
    ConfigurationError,
    ConflictError,
    EndpointConnectionError,
    InternalServerError,
    RequestTimeoutError,
    ThrottlingError,
    ValidationError,
)
from ivs_realtime_sdk.local import LocalIVSRealTime

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
# Backoff is random up to 20 s in botocore's standard mode; the base is kept small
# by the emulator answering at once, and max_attempts small in the slow cases.
FAST = Config(connect_timeout=1, read_timeout=2)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as running:
        yield running


@pytest.fixture
def stage_arn(server: LocalIVSRealTime) -> Iterator[str]:
    with _sdk(server) as sdk:
        arn = sdk.create_stage(StageSpec()).stage.arn
    server.faults.clear()
    yield arn
    server.faults.clear()


def _sdk(server: LocalIVSRealTime, config: Config | None = None) -> IVSRealTime:
    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    return IVSRealTime(session=session, endpoint_url=server.endpoint_url, config=config)


def _received(server: LocalIVSRealTime, operation: str) -> int:
    stats = server.stats.get(operation)
    return 0 if stats is None else stats.received


def test_defaults_are_standard_retries_and_timeouts_that_config_overrides() -> None:
    config = client_config(None)
    assert config.retries == {"mode": "standard", "total_max_attempts": DEFAULT_MAX_ATTEMPTS}
    assert config.connect_timeout == 5.0
    assert config.read_timeout == 30.0
    mine = client_config(Config(retries={"max_attempts": 9}, read_timeout=3))
    assert mine.retries is not None
    assert mine.retries["max_attempts"] == 9
    assert mine.read_timeout == 3
    assert mine.connect_timeout == 5.0


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (429, "ThrottlingException"),
        (429, "TooManyRequestsException"),
        (500, "InternalServerException"),
        (503, "ServiceUnavailable"),
    ],
)
def test_throttling_and_server_errors_are_retried_until_success(
    server: LocalIVSRealTime, stage_arn: str, status: int, code: str
) -> None:
    server.faults.fail("GetStage", status, code, times=2)
    before = _received(server, "GetStage")
    with _sdk(server, FAST) as sdk:
        assert sdk.get_stage(stage_arn).arn == stage_arn
    assert _received(server, "GetStage") - before == 3


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (429, "ThrottlingException", ThrottlingError),
        (500, "InternalServerException", InternalServerError),
        (503, "ServiceUnavailable", InternalServerError),
    ],
)
def test_when_retries_run_out_the_error_is_typed(
    server: LocalIVSRealTime, stage_arn: str, status: int, code: str, error: type[Exception]
) -> None:
    server.faults.fail("GetStage", status, code, times=None)
    before = _received(server, "GetStage")
    # botocore's max_attempts counts retries: 1 retry, 2 attempts.
    with _sdk(server, Config(retries={"max_attempts": 1})) as sdk, pytest.raises(error) as caught:
        sdk.get_stage(stage_arn)
    assert _received(server, "GetStage") - before == 2
    assert getattr(caught.value, "code", None) == code
    assert getattr(caught.value, "status_code", None) == status
    assert caught.value.is_retry_safe  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [(400, "ValidationException", ValidationError), (409, "ConflictException", ConflictError)],
)
def test_other_client_errors_are_not_retried(
    server: LocalIVSRealTime, stage_arn: str, status: int, code: str, error: type[Exception]
) -> None:
    server.faults.fail("GetStage", status, code, times=1)
    before = _received(server, "GetStage")
    with _sdk(server) as sdk, pytest.raises(error):
        sdk.get_stage(stage_arn)
    assert _received(server, "GetStage") - before == 1


def test_the_default_number_of_attempts(server: LocalIVSRealTime, stage_arn: str) -> None:
    server.faults.throttle("GetStage", times=None)
    before = _received(server, "GetStage")
    with _sdk(server) as sdk, pytest.raises(ThrottlingError):
        sdk.get_stage(stage_arn)
    assert _received(server, "GetStage") - before == DEFAULT_MAX_ATTEMPTS


def test_a_slow_answer_times_out_typed(server: LocalIVSRealTime, stage_arn: str) -> None:
    server.faults.delay("GetStage", 1.5, times=None)
    config = Config(read_timeout=0.3, retries={"total_max_attempts": 1})
    with (
        _sdk(server, config) as sdk,
        pytest.raises(RequestTimeoutError, match="GetStage") as caught,
    ):
        sdk.get_stage(stage_arn)
    assert isinstance(caught.value, TimeoutError)


def test_a_dropped_connection_is_retried(server: LocalIVSRealTime, stage_arn: str) -> None:
    server.faults.drop("GetStage", times=1)
    with _sdk(server, FAST) as sdk:
        assert sdk.get_stage(stage_arn).arn == stage_arn


def test_a_connection_dropped_every_time_fails_typed(
    server: LocalIVSRealTime, stage_arn: str
) -> None:
    server.faults.drop("GetStage", times=None)
    config = Config(retries={"total_max_attempts": 1})
    with _sdk(server, config) as sdk, pytest.raises(EndpointConnectionError, match="GetStage"):
        sdk.get_stage(stage_arn)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_connection_refused_is_typed() -> None:
    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    url = f"http://127.0.0.1:{_closed_port()}"
    config = Config(retries={"total_max_attempts": 1}, connect_timeout=1)
    sdk = IVSRealTime(session=session, endpoint_url=url, config=config)
    with sdk, pytest.raises(EndpointConnectionError, match="could not reach"):
        sdk.create_stage(StageSpec())


async def test_connection_refused_is_typed_async() -> None:
    session = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
    url = f"http://127.0.0.1:{_closed_port()}"
    config = Config(retries={"total_max_attempts": 1}, connect_timeout=1)
    async with AsyncIVSRealTime(session=session, endpoint_url=url, config=config) as sdk:
        with pytest.raises(EndpointConnectionError, match="could not reach"):
            await sdk.create_stage(StageSpec())


async def test_retries_and_timeouts_in_the_async_facade(
    server: LocalIVSRealTime, stage_arn: str
) -> None:
    session = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
    server.faults.throttle("GetStage", times=2)
    async with AsyncIVSRealTime(
        session=session, endpoint_url=server.endpoint_url, config=FAST
    ) as sdk:
        assert (await sdk.get_stage(stage_arn)).arn == stage_arn
    server.faults.delay("GetStage", 1.5, times=None)
    config = Config(read_timeout=0.3, retries={"total_max_attempts": 1})
    async with AsyncIVSRealTime(
        session=session, endpoint_url=server.endpoint_url, config=config
    ) as sdk:
        with pytest.raises(RequestTimeoutError):
            await sdk.get_stage(stage_arn)


@pytest.fixture
def no_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_aws_environment")
def test_missing_credentials_are_a_configuration_error(server: LocalIVSRealTime) -> None:
    sdk = IVSRealTime(region_name="us-east-1", endpoint_url=server.endpoint_url)
    with sdk, pytest.raises(ConfigurationError, match="no AWS credentials"):
        sdk.create_stage(StageSpec())


@pytest.mark.usefixtures("no_aws_environment")
async def test_missing_credentials_are_a_configuration_error_async(
    server: LocalIVSRealTime,
) -> None:
    async with AsyncIVSRealTime(region_name="us-east-1", endpoint_url=server.endpoint_url) as sdk:
        with pytest.raises(ConfigurationError, match="no AWS credentials"):
            await sdk.create_stage(StageSpec())


@pytest.mark.usefixtures("no_aws_environment")
def test_missing_region_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="region"):
        IVSRealTime()


@pytest.mark.usefixtures("no_aws_environment")
async def test_missing_region_is_a_configuration_error_async() -> None:
    with pytest.raises(ConfigurationError, match="region"):
        async with AsyncIVSRealTime():
            pass


def test_a_create_whose_answer_is_lost_still_took_effect(server: LocalIVSRealTime) -> None:
    # The case the errors guide warns about: CreateStage is not idempotent, and a
    # timed-out call may have created its stage.
    config = Config(read_timeout=0.3, retries={"total_max_attempts": 1})
    with _sdk(server) as sdk:
        before = {s.arn for s in sdk.iter_stages()}
    server.faults.delay("CreateStage", 1.0, after=True)
    with _sdk(server, config) as sdk, pytest.raises(RequestTimeoutError):
        sdk.create_stage(StageSpec(name="lost-answer"))
    server.faults.clear()
    with _sdk(server) as sdk:
        created = [s for s in sdk.iter_stages() if s.arn not in before]
    assert [s.name for s in created] == ["lost-answer"]
