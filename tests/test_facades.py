"""Both facades, over real loopback HTTP against the emulator: stages and participant tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import aioboto3
import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings

from ivs_realtime_sdk import (
    AsyncIVSRealTime,
    Capability,
    CreatedStage,
    IVSRealTime,
    ParticipantToken,
    ParticipantTokenConfig,
    Stage,
    StageSpec,
    StageSummary,
)
from ivs_realtime_sdk.errors import (
    ClientClosedError,
    InvalidParameterError,
    ResourceNotFoundError,
    ServiceQuotaExceededError,
)
from ivs_realtime_sdk.local import LocalIVSRealTime, Quotas
from ivs_realtime_sdk.models import AutoParticipantRecordingConfiguration

from .conftest import Facade
from .strategies import models

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
MISSING_ARN = "arn:aws:ivs:us-east-1:123456789012:stage/doesNotExist"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as running:
        yield running


async def test_create_stage_with_twelve_tokens(api: Facade) -> None:
    configs = [
        ParticipantTokenConfig(user_id=f"user-{i}", attributes={"seat": str(i)}, duration=i + 1)
        for i in range(12)
    ]
    before = datetime.now(UTC)
    created = await api.create_stage(
        StageSpec(name="twelve", participant_token_configurations=configs, tags={"team": "a"}),
    )
    assert isinstance(created, CreatedStage)
    assert isinstance(created.stage, Stage)
    assert created.stage.name == "twelve"
    assert created.stage.tags == {"team": "a"}
    assert created.stage.endpoints is not None
    assert created.stage.endpoints.whip
    assert len(created.participant_tokens) == 12
    for i, token in enumerate(created.participant_tokens):
        assert isinstance(token, ParticipantToken)
        assert token.user_id == f"user-{i}"
        assert token.attributes == {"seat": str(i)}
        assert token.duration == timedelta(minutes=i + 1)
        assert token.capabilities == {Capability.PUBLISH, Capability.SUBSCRIBE}
        assert token.expiration_time.tzinfo is UTC
        expected = before + timedelta(minutes=i + 1)
        assert abs(token.expiration_time - expected) < timedelta(seconds=5)
        assert token.token.count(".") == 2


async def test_get_update_delete_stage(api: Facade, emulator: LocalIVSRealTime) -> None:
    created = await api.create_stage(StageSpec(name="before"))
    arn = created.stage.arn
    assert await api.get_stage(arn) == created.stage
    storage = server_storage_arn(emulator)
    recording = AutoParticipantRecordingConfiguration(
        storage_configuration_arn=storage, recording_reconnect_window_seconds=30
    )
    updated = await api.update_stage(
        arn, name="after", auto_participant_recording_configuration=recording
    )
    assert updated.name == "after"
    assert updated.auto_participant_recording_configuration is not None
    assert updated.auto_participant_recording_configuration.storage_configuration_arn == storage
    assert updated.auto_participant_recording_configuration.recording_reconnect_window_seconds == 30
    unchanged = await api.update_stage(arn)
    assert unchanged.name == "after"
    assert await api.delete_stage(arn) is None
    with pytest.raises(ResourceNotFoundError) as caught:
        await api.get_stage(arn)
    error = caught.value
    assert error.code == "ResourceNotFoundException"
    assert error.status_code == 404
    assert error.operation_name == "GetStage"
    assert error.request_id
    assert error.message
    assert isinstance(error.__cause__, ClientError)


def server_storage_arn(server: LocalIVSRealTime) -> str:
    client = boto3.client(
        "ivs-realtime", endpoint_url=server.endpoint_url, region_name="us-east-1", **CREDENTIALS
    )
    response = client.create_storage_configuration(s3={"bucketName": "recordings"})
    client.close()
    arn: str = response["storageConfiguration"]["arn"]
    return arn


async def test_list_and_iterate_stages_across_pages(api: Facade) -> None:
    names = {f"paged-{i}" for i in range(7)}
    for name in names:
        await api.create_stage(StageSpec(name=name, tags={"run": "paged"}))
    first = await api.list_stages(max_results=2)
    assert len(first.items) == 2
    assert all(isinstance(item, StageSummary) for item in first.items)
    assert first.next_token
    second = await api.list_stages(max_results=2, next_token=first.next_token)
    assert {s.arn for s in second.items}.isdisjoint({s.arn for s in first.items})
    every = await api.iter_stages(page_size=2)
    assert names <= {s.name for s in every}
    assert len({s.arn for s in every}) == len(every)


async def test_create_participant_token(api: Facade) -> None:
    stage = (await api.create_stage(StageSpec())).stage
    default = await api.create_participant_token(stage.arn)
    assert default.duration == timedelta(hours=12)
    assert default.capabilities == {Capability.PUBLISH, Capability.SUBSCRIBE}
    custom = await api.create_participant_token(
        stage.arn,
        ParticipantTokenConfig(user_id="viewer", capabilities={Capability.SUBSCRIBE}, duration=5),
    )
    assert custom.user_id == "viewer"
    assert custom.capabilities == {Capability.SUBSCRIBE}
    assert custom.duration == timedelta(minutes=5)
    assert custom.token not in repr(custom)
    with pytest.raises(ResourceNotFoundError):
        await api.create_participant_token(MISSING_ARN)


async def test_invalid_input_fails_before_any_request(
    api: Facade, emulator: LocalIVSRealTime
) -> None:
    before = sum(s.received for s in emulator.stats.values())
    with pytest.raises(InvalidParameterError, match="arn"):
        await api.get_stage("not-an-arn")
    with pytest.raises(InvalidParameterError, match="max_results"):
        await api.list_stages(max_results=101)
    with pytest.raises(InvalidParameterError, match="max_results: 0 is under the minimum of 1"):
        await api.iter_stages(page_size=0)
    with pytest.raises(InvalidParameterError, match="name"):
        await api.update_stage(MISSING_ARN, name="no spaces allowed")
    assert sum(s.received for s in emulator.stats.values()) == before


async def test_a_closed_facade_refuses_calls(server: LocalIVSRealTime) -> None:
    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    sync = IVSRealTime(session=session, endpoint_url=server.endpoint_url)
    sync.close()
    with pytest.raises(ClientClosedError, match="closed"):
        sync.get_stage(MISSING_ARN)
    asession = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
    aio = AsyncIVSRealTime(session=asession, endpoint_url=server.endpoint_url)
    with pytest.raises(ClientClosedError, match="async with"):
        await aio.get_stage(MISSING_ARN)
    async with aio:
        pass
    with pytest.raises(ClientClosedError, match="closed"):
        await aio.get_stage(MISSING_ARN)


async def test_quota_errors_are_typed() -> None:
    async with LocalIVSRealTime(quotas=Quotas(max_stages=1)) as small:
        asession = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
        async with AsyncIVSRealTime(session=asession, endpoint_url=small.endpoint_url) as aio:
            await aio.create_stage(StageSpec())
            with pytest.raises(ServiceQuotaExceededError) as caught:
                await aio.create_stage(StageSpec())
    assert caught.value.status_code == 402


def test_wrapping_an_existing_client(server: LocalIVSRealTime) -> None:
    client = boto3.client(
        "ivs-realtime", endpoint_url=server.endpoint_url, region_name="us-east-1", **CREDENTIALS
    )
    sdk = IVSRealTime.from_client(client)
    assert isinstance(sdk.create_stage(StageSpec(name="wrapped")).stage, Stage)
    assert "us-east-1" in repr(sdk)
    assert "testing" not in repr(sdk)
    sdk.close()
    with pytest.raises(ClientClosedError):
        sdk.list_stages()
    # The facade does not close a client it did not make: its owner still uses it.
    assert client.list_stages()["stages"]
    client.close()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(spec=models(StageSpec))
def test_any_valid_spec_passes_the_service_models_constraints(
    spec: StageSpec, server: LocalIVSRealTime
) -> None:
    spec = StageSpec(
        name=spec.name,
        participant_token_configurations=spec.participant_token_configurations,
        tags=spec.tags,
    )
    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    with IVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
        created = sdk.create_stage(spec)
    assert created.stage.name == (spec.name or created.stage.name)
    assert len(created.participant_tokens) == len(spec.participant_token_configurations)
