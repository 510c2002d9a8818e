"""Replicated media: a replica in the destination stage publishes its source's media."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import av

from ivs_realtime_sdk import Capability, ParticipantTokenConfig, StageSpec
from ivs_realtime_sdk.media import make_test_pattern, publish, subscribe

from .conftest import MediaStage
from .test_recordings import (
    FAST,
    Recorded,
    files_under,
    ivs_client,
    recorded_stage,
    wait_recording,
)

DEADLINE = 10.0


async def test_a_subscriber_in_the_destination_receives_the_replica(stage: MediaStage) -> None:
    sdk = stage.sdk
    destination = sdk.create_stage(
        StageSpec(
            name="destination",
            participant_token_configurations=(
                ParticipantTokenConfig(user_id="viewer", capabilities={Capability.SUBSCRIBE}),
            ),
        )
    )
    viewer = destination.participant_tokens[0]
    source_id = stage.publisher.participant_id
    audio, video = make_test_pattern(320, 240, 30)
    async with publish(
        stage.publisher, audio=audio, video=video, whip_endpoint=stage.server.whip_endpoint
    ):
        sdk.start_participant_replication(stage.arn, destination.stage.arn, source_id)
        async with subscribe(viewer, source_id) as subscription:
            assert subscription.video is not None
            frame = await asyncio.wait_for(subscription.video.recv(), DEADLINE)
            assert isinstance(frame, av.VideoFrame)
            assert (frame.width, frame.height) == (320, 240)

            # Ending the replication ends the media session of the replica's subscriber.
            sdk.stop_participant_replication(stage.arn, destination.stage.arn, source_id)
            session = sdk.list_stage_sessions(destination.stage.arn).items[0].session_id
            deadline = time.monotonic() + DEADLINE
            while True:
                events = sdk.list_participant_events(
                    destination.stage.arn, session, viewer.participant_id
                ).items
                names = [str(e.name) for e in events]
                if "LEFT" in names:
                    break
                assert time.monotonic() < deadline, names
                await asyncio.sleep(0.1)
            assert names == ["JOINED", "SUBSCRIBE_STARTED", "SUBSCRIBE_STOPPED", "LEFT"]


async def test_replicas_are_recorded_in_the_destination(stage: MediaStage) -> None:
    """With recordParticipantReplicas (the default), the destination records the replica."""
    client = ivs_client(stage.server.endpoint_url)
    destination = recorded_stage(client, "replicas", publishers=0, **FAST)
    source_id = stage.publisher.participant_id
    replica = Recorded(destination.arn, "replicas", [], [source_id])
    audio, video = make_test_pattern(320, 240, 30)
    async with publish(
        stage.publisher, audio=audio, video=video, whip_endpoint=stage.server.whip_endpoint
    ):
        stage.sdk.start_participant_replication(stage.arn, destination.arn, source_id)
        await asyncio.sleep(3)
        stage.sdk.stop_participant_replication(stage.arn, destination.arn, source_id)
    found = await asyncio.to_thread(wait_recording, client, replica, 0, {"STOPPED", "FAILED"})
    assert found["recordingState"] == "STOPPED"
    prefix = found["recordingS3Prefix"]
    assert prefix.split("/")[:1] == [destination.arn.rsplit("/", 1)[1]]
    assert prefix.split("/")[2] == source_id
    assert stage.server.recordings_dir is not None
    root = Path(stage.server.recordings_dir) / "replicas" / prefix
    names = files_under(root)
    assert {"events/recording-ended.json", "media/hls/high/playlist.m3u8"} <= names, names
    with av.open(str(root / "media/hls/high/playlist.m3u8")) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames >= 20 * 2, frames
