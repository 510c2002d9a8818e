"""What type checkers see of the facades and models: checked by mypy and pyright, never run.

Every facade method's result is pinned with ``assert_type``, sync and
async; a few constructor calls pin the parameter types the converters
give. Lines ending in ``# type: ignore[...]  # pyright: ignore[...]`` must
be errors for both checkers: mypy --strict (warn_unused_ignores) and pyright
(reportUnnecessaryTypeIgnoreComment, with plain ``type: ignore`` comments
disabled for it) report an ignore that is not needed. The functions are named
``check_*`` so that pytest collects nothing here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import datetime, timedelta
from typing import assert_type

from ivs_realtime_sdk import (
    AsyncIVSRealTime,
    ChannelDestinationConfiguration,
    Composition,
    CompositionSpec,
    CompositionState,
    CompositionSummary,
    CreatedStage,
    DestinationConfiguration,
    EncoderConfiguration,
    EncoderConfigurationSpec,
    EncoderConfigurationSummary,
    Event,
    EventName,
    IngestConfiguration,
    IngestConfigurationSpec,
    IngestConfigurationState,
    IngestConfigurationSummary,
    IngestProtocol,
    IVSRealTime,
    Page,
    Participant,
    ParticipantRecordingStateFilter,
    ParticipantReplica,
    ParticipantState,
    ParticipantSummary,
    ParticipantToken,
    ParticipantTokenConfig,
    PublicKey,
    PublicKeySpec,
    PublicKeySummary,
    S3DestinationConfiguration,
    S3StorageConfiguration,
    Stage,
    StageSession,
    StageSessionSummary,
    StageSpec,
    StageSummary,
    StorageConfiguration,
    StorageConfigurationSpec,
    StorageConfigurationSummary,
    ThumbnailStorageType,
    Video,
)

STAGE = "arn:aws:ivs:us-east-1:123456789012:stage/abc"
SESSION = "st-abcdEFGH12345"
ARN = "arn:aws:ivs:us-east-1:123456789012:composition/abc"


def check_sync(sdk: IVSRealTime) -> None:
    assert_type(sdk.create_stage(StageSpec()), CreatedStage)
    assert_type(sdk.get_stage(STAGE), Stage)
    assert_type(sdk.update_stage(STAGE, name="n"), Stage)
    assert_type(sdk.delete_stage(STAGE), None)
    assert_type(sdk.list_stages(max_results=10), Page[StageSummary])
    assert_type(sdk.iter_stages(page_size=10), Iterator[StageSummary])
    assert_type(sdk.create_participant_token(STAGE), ParticipantToken)

    assert_type(sdk.get_stage_session(STAGE, SESSION), StageSession)
    assert_type(sdk.list_stage_sessions(STAGE), Page[StageSessionSummary])
    assert_type(sdk.iter_stage_sessions(STAGE), Iterator[StageSessionSummary])
    assert_type(sdk.get_participant(STAGE, SESSION, "p"), Participant)
    assert_type(
        sdk.list_participants(STAGE, SESSION, filter_by_state=ParticipantState.CONNECTED),
        Page[ParticipantSummary],
    )
    assert_type(
        sdk.iter_participants(
            STAGE, SESSION, filter_by_recording_state=ParticipantRecordingStateFilter.ACTIVE
        ),
        Iterator[ParticipantSummary],
    )
    assert_type(sdk.list_participant_events(STAGE, SESSION, "p"), Page[Event])
    assert_type(sdk.iter_participant_events(STAGE, SESSION, "p"), Iterator[Event])
    assert_type(sdk.disconnect_participant(STAGE, "p", reason="bye"), None)

    assert_type(sdk.start_participant_replication(STAGE, STAGE, "p", attributes={}), None)
    assert_type(sdk.stop_participant_replication(STAGE, STAGE, "p"), None)
    assert_type(sdk.list_participant_replicas(STAGE, "p"), Page[ParticipantReplica])
    assert_type(sdk.iter_participant_replicas(STAGE, "p"), Iterator[ParticipantReplica])

    spec = CompositionSpec(stage_arn=STAGE, destinations=[])
    assert_type(sdk.start_composition(spec), Composition)
    assert_type(sdk.get_composition(ARN), Composition)
    assert_type(sdk.stop_composition(ARN), None)
    assert_type(sdk.list_compositions(filter_by_stage_arn=STAGE), Page[CompositionSummary])
    assert_type(sdk.iter_compositions(), Iterator[CompositionSummary])

    assert_type(sdk.create_encoder_configuration(EncoderConfigurationSpec()), EncoderConfiguration)
    assert_type(sdk.get_encoder_configuration(ARN), EncoderConfiguration)
    assert_type(sdk.delete_encoder_configuration(ARN), None)
    assert_type(sdk.list_encoder_configurations(), Page[EncoderConfigurationSummary])
    assert_type(sdk.iter_encoder_configurations(), Iterator[EncoderConfigurationSummary])

    storage = StorageConfigurationSpec(s3=S3StorageConfiguration(bucket_name="b"))
    assert_type(sdk.create_storage_configuration(storage), StorageConfiguration)
    assert_type(sdk.get_storage_configuration(ARN), StorageConfiguration)
    assert_type(sdk.delete_storage_configuration(ARN), None)
    assert_type(sdk.list_storage_configurations(), Page[StorageConfigurationSummary])
    assert_type(sdk.iter_storage_configurations(), Iterator[StorageConfigurationSummary])

    ingest = IngestConfigurationSpec(ingest_protocol=IngestProtocol.RTMPS)
    assert_type(sdk.create_ingest_configuration(ingest), IngestConfiguration)
    assert_type(sdk.get_ingest_configuration(ARN), IngestConfiguration)
    assert_type(sdk.update_ingest_configuration(ARN, stage_arn=""), IngestConfiguration)
    assert_type(sdk.delete_ingest_configuration(ARN, force=True), None)
    assert_type(
        sdk.list_ingest_configurations(filter_by_state=IngestConfigurationState.ACTIVE),
        Page[IngestConfigurationSummary],
    )
    assert_type(sdk.iter_ingest_configurations(), Iterator[IngestConfigurationSummary])

    assert_type(sdk.import_public_key(PublicKeySpec(public_key_material="k")), PublicKey)
    assert_type(sdk.get_public_key(ARN), PublicKey)
    assert_type(sdk.delete_public_key(ARN), None)
    assert_type(sdk.list_public_keys(), Page[PublicKeySummary])
    assert_type(sdk.iter_public_keys(), Iterator[PublicKeySummary])

    assert_type(sdk.tag_resource(ARN, {"k": "v"}), None)
    assert_type(sdk.untag_resource(ARN, ["k"]), None)
    assert_type(sdk.list_tags_for_resource(ARN), Mapping[str, str])


async def check_async(sdk: AsyncIVSRealTime) -> None:
    assert_type(await sdk.create_stage(StageSpec()), CreatedStage)
    assert_type(await sdk.get_stage(STAGE), Stage)
    assert_type(await sdk.update_stage(STAGE, name="n"), Stage)
    assert_type(await sdk.delete_stage(STAGE), None)
    assert_type(await sdk.list_stages(max_results=10), Page[StageSummary])
    assert_type(sdk.iter_stages(page_size=10), AsyncIterator[StageSummary])
    assert_type(await sdk.create_participant_token(STAGE), ParticipantToken)

    assert_type(await sdk.get_stage_session(STAGE, SESSION), StageSession)
    assert_type(await sdk.list_stage_sessions(STAGE), Page[StageSessionSummary])
    assert_type(sdk.iter_stage_sessions(STAGE), AsyncIterator[StageSessionSummary])
    assert_type(await sdk.get_participant(STAGE, SESSION, "p"), Participant)
    assert_type(
        await sdk.list_participants(STAGE, SESSION, filter_by_published=True),
        Page[ParticipantSummary],
    )
    assert_type(
        sdk.iter_participants(STAGE, SESSION, filter_by_user_id="u"),
        AsyncIterator[ParticipantSummary],
    )
    assert_type(await sdk.list_participant_events(STAGE, SESSION, "p"), Page[Event])
    assert_type(sdk.iter_participant_events(STAGE, SESSION, "p"), AsyncIterator[Event])
    assert_type(await sdk.disconnect_participant(STAGE, "p"), None)

    assert_type(await sdk.start_participant_replication(STAGE, STAGE, "p"), None)
    assert_type(await sdk.stop_participant_replication(STAGE, STAGE, "p"), None)
    assert_type(await sdk.list_participant_replicas(STAGE, "p"), Page[ParticipantReplica])
    assert_type(sdk.iter_participant_replicas(STAGE, "p"), AsyncIterator[ParticipantReplica])

    spec = CompositionSpec(stage_arn=STAGE, destinations=[])
    assert_type(await sdk.start_composition(spec), Composition)
    assert_type(await sdk.get_composition(ARN), Composition)
    assert_type(await sdk.stop_composition(ARN), None)
    assert_type(await sdk.list_compositions(), Page[CompositionSummary])
    assert_type(
        sdk.iter_compositions(filter_by_encoder_configuration_arn=ARN),
        AsyncIterator[CompositionSummary],
    )

    encoder = EncoderConfigurationSpec()
    assert_type(await sdk.create_encoder_configuration(encoder), EncoderConfiguration)
    assert_type(await sdk.get_encoder_configuration(ARN), EncoderConfiguration)
    assert_type(await sdk.delete_encoder_configuration(ARN), None)
    assert_type(await sdk.list_encoder_configurations(), Page[EncoderConfigurationSummary])
    assert_type(sdk.iter_encoder_configurations(), AsyncIterator[EncoderConfigurationSummary])

    storage = StorageConfigurationSpec(s3=S3StorageConfiguration(bucket_name="b"))
    assert_type(await sdk.create_storage_configuration(storage), StorageConfiguration)
    assert_type(await sdk.get_storage_configuration(ARN), StorageConfiguration)
    assert_type(await sdk.delete_storage_configuration(ARN), None)
    assert_type(await sdk.list_storage_configurations(), Page[StorageConfigurationSummary])
    assert_type(sdk.iter_storage_configurations(), AsyncIterator[StorageConfigurationSummary])

    ingest = IngestConfigurationSpec(ingest_protocol=IngestProtocol.RTMP, insecure_ingest=True)
    assert_type(await sdk.create_ingest_configuration(ingest), IngestConfiguration)
    assert_type(await sdk.get_ingest_configuration(ARN), IngestConfiguration)
    assert_type(await sdk.update_ingest_configuration(ARN), IngestConfiguration)
    assert_type(await sdk.delete_ingest_configuration(ARN), None)
    assert_type(await sdk.list_ingest_configurations(), Page[IngestConfigurationSummary])
    assert_type(sdk.iter_ingest_configurations(), AsyncIterator[IngestConfigurationSummary])

    assert_type(await sdk.import_public_key(PublicKeySpec(public_key_material="k")), PublicKey)
    assert_type(await sdk.get_public_key(ARN), PublicKey)
    assert_type(await sdk.delete_public_key(ARN), None)
    assert_type(await sdk.list_public_keys(), Page[PublicKeySummary])
    assert_type(sdk.iter_public_keys(), AsyncIterator[PublicKeySummary])

    assert_type(await sdk.tag_resource(ARN, {"k": "v"}), None)
    assert_type(await sdk.untag_resource(ARN, {"k"}), None)
    assert_type(await sdk.list_tags_for_resource(ARN), Mapping[str, str])


def check_models(token: ParticipantToken, composition: Composition, event: Event) -> None:
    # Lists go in, tuples come out; mappings are read-only.
    destination = DestinationConfiguration(
        s3=S3DestinationConfiguration(
            storage_configuration_arn=ARN, encoder_configuration_arns=[ARN]
        ),
        channel=ChannelDestinationConfiguration(channel_arn=ARN),
    )
    spec = CompositionSpec(stage_arn=STAGE, destinations=[destination], tags={"k": "v"})
    assert_type(spec.destinations, tuple[DestinationConfiguration, ...])
    assert_type(spec.tags, Mapping[str, str])
    assert destination.s3 is not None
    assert_type(destination.s3.encoder_configuration_arns, tuple[str, ...])
    assert_type(composition.state, CompositionState)
    assert_type(composition.start_time, datetime | None)
    assert_type(event.name, EventName | None)
    assert_type(token.expiration_time, datetime)
    assert_type(ParticipantTokenConfig(duration=30).duration, timedelta)
    video = Video(width=1280, framerate=29.97)
    assert_type(video.framerate, float | None)
    assert_type(video.width, int | None)
    from ivs_realtime_sdk import CompositionThumbnailConfiguration

    thumbnails = CompositionThumbnailConfiguration(storage=[ThumbnailStorageType.LATEST])
    assert_type(thumbnails.storage, tuple[ThumbnailStorageType, ...] | None)


def check_refused(sdk: IVSRealTime) -> None:
    Video(width="1280")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    IngestConfigurationSpec(ingest_protocol="RTMPS")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    IngestConfigurationSpec()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    sdk.list_participants(STAGE, SESSION, filter_by_state="CONNECTED")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    sdk.get_stage(STAGE, "extra")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    sdk.delete_ingest_configuration(ARN, True)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
