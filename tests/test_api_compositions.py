"""Compositions, encoder configurations and storage configurations, through both facades."""

from __future__ import annotations

from datetime import UTC

import pytest

from ivs_realtime_sdk import (
    ChannelDestinationConfiguration,
    Composition,
    CompositionRecordingHlsConfiguration,
    CompositionSpec,
    CompositionState,
    CompositionSummary,
    CompositionThumbnailConfiguration,
    Destination,
    DestinationConfiguration,
    DestinationState,
    DestinationSummary,
    EncoderConfiguration,
    EncoderConfigurationSpec,
    EncoderConfigurationSummary,
    GridConfiguration,
    LayoutConfiguration,
    PipBehavior,
    PipConfiguration,
    PipPosition,
    RecordingConfiguration,
    RecordingConfigurationFormat,
    S3DestinationConfiguration,
    S3Detail,
    S3StorageConfiguration,
    StorageConfiguration,
    StorageConfigurationSpec,
    StorageConfigurationSummary,
    ThumbnailStorageType,
    Video,
    VideoAspectRatio,
    VideoFillMode,
)
from ivs_realtime_sdk.errors import ResourceNotFoundError
from ivs_realtime_sdk.local import LocalIVSRealTime

from .conftest import Facade, arn, live_stage

CHANNEL = arn("channel", "chAnnel1")


async def test_encoder_configurations(api: Facade) -> None:
    video = Video(width=1920, height=1080, framerate=60, bitrate=6_000_000)
    created = await api.create_encoder_configuration(
        EncoderConfigurationSpec(name="hd", video=video, tags={"q": "hd"})
    )
    assert isinstance(created, EncoderConfiguration)
    assert created.name == "hd"
    assert created.video == video
    assert isinstance(created.video, Video)
    assert isinstance(created.video.framerate, float)
    assert created.tags == {"q": "hd"}

    assert await api.get_encoder_configuration(created.arn) == created
    page = await api.list_encoder_configurations()
    assert page.items == (
        EncoderConfigurationSummary(arn=created.arn, name="hd", tags={"q": "hd"}),
    )
    assert await api.iter_encoder_configurations() == list(page.items)

    assert await api.delete_encoder_configuration(created.arn) is None
    with pytest.raises(ResourceNotFoundError):
        await api.get_encoder_configuration(created.arn)


async def test_storage_configurations(api: Facade) -> None:
    s3 = S3StorageConfiguration(bucket_name="my-recordings")
    created = await api.create_storage_configuration(StorageConfigurationSpec(s3=s3, name="rec"))
    assert isinstance(created, StorageConfiguration)
    assert created.s3 == s3
    assert created.name == "rec"

    assert await api.get_storage_configuration(created.arn) == created
    page = await api.list_storage_configurations()
    (summary,) = page.items
    assert isinstance(summary, StorageConfigurationSummary)
    assert summary.s3 == s3
    assert await api.iter_storage_configurations() == [summary]

    assert await api.delete_storage_configuration(created.arn) is None
    with pytest.raises(ResourceNotFoundError):
        await api.delete_storage_configuration(created.arn)


async def test_start_get_list_and_stop_a_composition(
    api: Facade, emulator: LocalIVSRealTime
) -> None:
    stage, _ = await live_stage(api, emulator, participants=2)
    encoder = await api.create_encoder_configuration(EncoderConfigurationSpec(name="e"))
    storage = await api.create_storage_configuration(
        StorageConfigurationSpec(s3=S3StorageConfiguration(bucket_name="bucket"))
    )
    spec = CompositionSpec(
        stage_arn=stage.arn,
        idempotency_token="retry-1",
        tags={"show": "evening"},
        layout=LayoutConfiguration(
            pip=PipConfiguration(
                pip_participant_attribute="seat",
                pip_behavior=PipBehavior.DYNAMIC,
                pip_position=PipPosition.TOP_LEFT,
                pip_width=320,
                video_fill_mode=VideoFillMode.CONTAIN,
            )
        ),
        destinations=[
            DestinationConfiguration(
                name="live",
                channel=ChannelDestinationConfiguration(
                    channel_arn=CHANNEL, encoder_configuration_arn=encoder.arn
                ),
            ),
            DestinationConfiguration(
                name="archive",
                s3=S3DestinationConfiguration(
                    storage_configuration_arn=storage.arn,
                    encoder_configuration_arns=[encoder.arn],
                    recording_configuration=RecordingConfiguration(
                        hls_configuration=CompositionRecordingHlsConfiguration(
                            target_segment_duration_seconds=4
                        ),
                        format=RecordingConfigurationFormat.HLS,
                    ),
                    thumbnail_configurations=[
                        CompositionThumbnailConfiguration(
                            target_interval_seconds=10, storage=[ThumbnailStorageType.LATEST]
                        )
                    ],
                ),
            ),
        ],
    )

    started = await api.start_composition(spec)

    assert isinstance(started, Composition)
    assert started.stage_arn == stage.arn
    assert started.tags == {"show": "evening"}
    assert isinstance(started.state, CompositionState)
    assert started.start_time is not None
    assert started.start_time.tzinfo is UTC
    pip = started.layout.pip
    assert isinstance(pip, PipConfiguration)
    assert pip.pip_behavior is PipBehavior.DYNAMIC
    assert pip.pip_position is PipPosition.TOP_LEFT
    assert pip.pip_width == 320
    live, archive = started.destinations
    assert isinstance(live, Destination)
    assert live.configuration == spec.destinations[0]
    assert archive.configuration.s3 is not None
    assert archive.configuration.s3.thumbnail_configurations == (
        CompositionThumbnailConfiguration(
            target_interval_seconds=10, storage=(ThumbnailStorageType.LATEST,)
        ),
    )
    assert archive.detail is not None
    assert isinstance(archive.detail.s3, S3Detail)
    # The same idempotency token starts nothing new.
    assert (await api.start_composition(spec)).arn == started.arn

    got = await api.get_composition(started.arn)
    assert got.arn == started.arn
    assert got.id == started.arn.rsplit("/", 1)[-1]
    assert got.state is CompositionState.ACTIVE
    assert {d.state for d in got.destinations} == {DestinationState.ACTIVE}

    page = await api.list_compositions(filter_by_stage_arn=stage.arn)
    (summary,) = page.items
    assert isinstance(summary, CompositionSummary)
    assert summary.arn == started.arn
    assert all(isinstance(d, DestinationSummary) for d in summary.destinations)
    assert await api.iter_compositions(filter_by_encoder_configuration_arn=encoder.arn) == [summary]
    other_stage = arn("stage", "someOtherStage")
    assert (await api.list_compositions(filter_by_stage_arn=other_stage)).items == ()

    assert await api.stop_composition(started.arn) is None
    stopped = await api.get_composition(started.arn)
    assert stopped.state in {CompositionState.STOPPING, CompositionState.STOPPED}


async def test_a_grid_layout_round_trips(api: Facade, emulator: LocalIVSRealTime) -> None:
    stage, _ = await live_stage(api, emulator)
    grid = GridConfiguration(
        featured_participant_attribute="featured",
        omit_stopped_video=True,
        video_aspect_ratio=VideoAspectRatio.SQUARE,
        video_fill_mode=VideoFillMode.FILL,
        grid_gap=8,
        participant_order_attribute="seat",
    )
    composition = await api.start_composition(
        CompositionSpec(
            stage_arn=stage.arn,
            layout=LayoutConfiguration(grid=grid),
            destinations=[
                DestinationConfiguration(
                    channel=ChannelDestinationConfiguration(channel_arn=CHANNEL)
                )
            ],
        )
    )
    assert composition.layout == LayoutConfiguration(grid=grid)
