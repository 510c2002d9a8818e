"""Stages and participant tokens, through both facades, on the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ivs_realtime_sdk import (
    AutoParticipantRecordingConfiguration,
    Capability,
    CreatedStage,
    Page,
    ParticipantRecordingMediaType,
    ParticipantToken,
    ParticipantTokenConfig,
    S3StorageConfiguration,
    Stage,
    StageEndpoints,
    StageSpec,
    StageSummary,
    StorageConfigurationSpec,
)
from ivs_realtime_sdk.errors import ResourceNotFoundError

from .conftest import Facade, arn


async def test_create_get_update_and_delete_a_stage(api: Facade) -> None:
    spec = StageSpec(
        name="studio",
        tags={"team": "video"},
        participant_token_configurations=[
            ParticipantTokenConfig(user_id="host", capabilities={Capability.PUBLISH}),
            ParticipantTokenConfig(user_id="guest", duration=timedelta(minutes=30)),
        ],
    )
    created = await api.create_stage(spec)

    assert isinstance(created, CreatedStage)
    assert isinstance(created.stage, Stage)
    assert created.stage.name == "studio"
    assert created.stage.tags == {"team": "video"}
    assert isinstance(created.stage.endpoints, StageEndpoints)
    assert [t.user_id for t in created.participant_tokens] == ["host", "guest"]
    assert created.participant_tokens[0].capabilities == {Capability.PUBLISH}
    assert created.participant_tokens[1].duration == timedelta(minutes=30)

    stage = await api.get_stage(created.stage.arn)
    assert stage == created.stage

    storage = await api.create_storage_configuration(
        StorageConfigurationSpec(s3=S3StorageConfiguration(bucket_name="recordings"))
    )
    recording = AutoParticipantRecordingConfiguration(
        storage_configuration_arn=storage.arn,
        media_types=[ParticipantRecordingMediaType.AUDIO_ONLY],
    )
    updated = await api.update_stage(
        stage.arn, name="renamed", auto_participant_recording_configuration=recording
    )
    assert isinstance(updated, Stage)
    assert updated.name == "renamed"
    assert updated.auto_participant_recording_configuration is not None
    assert updated.auto_participant_recording_configuration.storage_configuration_arn == storage.arn
    assert updated.auto_participant_recording_configuration.media_types == (
        ParticipantRecordingMediaType.AUDIO_ONLY,
    )
    assert (await api.update_stage(stage.arn)).name == "renamed"

    assert await api.delete_stage(stage.arn) is None
    with pytest.raises(ResourceNotFoundError) as caught:
        await api.get_stage(stage.arn)
    assert caught.value.operation_name == "GetStage"


async def test_list_and_iterate_stages(api: Facade) -> None:
    arns = {(await api.create_stage(StageSpec(name=f"s{i}"))).stage.arn for i in range(3)}

    page = await api.list_stages()
    assert isinstance(page, Page)
    assert all(isinstance(item, StageSummary) for item in page.items)
    assert {item.arn for item in page.items} == arns
    assert page.next_token is None

    every = await api.iter_stages(page_size=1)
    assert {item.arn for item in every} == arns


async def test_create_a_participant_token(api: Facade) -> None:
    stage = (await api.create_stage(StageSpec(name="tokens"))).stage
    before = datetime.now(UTC)

    token = await api.create_participant_token(
        stage.arn,
        ParticipantTokenConfig(
            user_id="viewer", attributes={"role": "audience"}, capabilities={Capability.SUBSCRIBE}
        ),
    )

    assert isinstance(token, ParticipantToken)
    assert token.user_id == "viewer"
    assert token.attributes == {"role": "audience"}
    assert token.capabilities == {Capability.SUBSCRIBE}
    assert token.expiration_time.tzinfo is UTC
    assert token.expiration_time > before
    assert not token.is_expired()
    assert token.token not in repr(token)

    default = await api.create_participant_token(stage.arn)
    assert default.capabilities == {Capability.PUBLISH, Capability.SUBSCRIBE}
    assert default.duration == timedelta(hours=12)


async def test_a_token_for_a_missing_stage_is_not_found(api: Facade) -> None:
    with pytest.raises(ResourceNotFoundError):
        await api.create_participant_token(arn("stage"))
