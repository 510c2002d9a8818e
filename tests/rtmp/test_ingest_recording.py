"""An RTMP push into a recording stage is recorded like any other participant."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import av
import pytest

from ivs_realtime_sdk.local import LocalIVSRealTime

from ..media.test_recordings import ivs_client, recorded_stage, wait_recording
from .conftest import Push

SECONDS = 4


@pytest.mark.parametrize(
    "video",
    [("-profile:v", "baseline", "-bf", "0"), ("-profile:v", "high", "-bf", "0")],
    ids=["baseline-remuxed", "high-encoded"],
)
async def test_a_push_is_recorded(tmp_path: Path, video: tuple[str, ...]) -> None:
    events: list[dict[str, Any]] = []
    with LocalIVSRealTime(recordings_dir=tmp_path, on_event=events.append) as server:
        client = ivs_client(server.endpoint_url)
        stage = recorded_stage(
            client, "pushes", hlsConfiguration={"targetSegmentDurationSeconds": 2}
        )
        config = client.create_ingest_configuration(
            stageArn=stage.arn, ingestProtocol="RTMP", insecureIngest=True, userId="encoder"
        )["ingestConfiguration"]
        stage.participant_ids[0] = config["participantId"]
        assert server.rtmp_endpoint is not None
        push = await Push.start(
            server.rtmp_endpoint + config["streamKey"], video=video, duration=SECONDS
        )
        try:
            assert await push.wait(20) == 0
        finally:
            await push.ensure_dead()
        found = await asyncio.to_thread(wait_recording, client, stage, 0, {"STOPPED", "FAILED"})
    assert found["recordingState"] == "STOPPED", found
    root = tmp_path / "pushes" / found["recordingS3Prefix"]
    playlist = root / "media/hls/high/playlist.m3u8"
    assert playlist.read_text().rstrip().endswith("#EXT-X-ENDLIST")
    sizes: set[tuple[int, int]] = set()
    frames = audio = 0
    with av.open(str(playlist)) as container:
        assert container.streams.audio, "the push's audio is recorded"
        for frame in container.decode(video=0):
            sizes.add((frame.width, frame.height))
            frames += 1
    with av.open(str(playlist)) as container:
        assert container.streams.audio[0].codec_context.name == "opus"
        audio = sum(1 for _ in container.decode(audio=0))
    assert sizes == {(320, 240)}
    # A push of SECONDS at 30 fps, recorded from its first keyframe (one a second).
    assert frames >= 30 * (SECONDS - 2), frames
    assert audio >= 50 * (SECONDS - 2), audio
    names = [
        e["detail"]["event_name"]
        for e in events
        if e["detail-type"] == "IVS Participant Recording State Change"
    ]
    assert names == ["Recording Start", "Recording End"]
