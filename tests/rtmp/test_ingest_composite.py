"""An RTMP push is composed like a WebRTC publisher: its packets or frames reach the composite."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import av
import pytest

from ivs_realtime_sdk.local import LocalIVSRealTime

from ..media.test_composites import s3_destination, wait_composition
from ..media.test_recordings import ivs_client
from .conftest import Push

SECONDS = 4
# Luma of the composite's black background and of its dark grey blank tile (0x303030).
_BLANK = {16, 0x30, 57}


@pytest.mark.parametrize(
    "video",
    [("-profile:v", "baseline", "-bf", "0"), ("-profile:v", "high", "-bf", "0")],
    ids=["baseline-relayed-packets", "high-decoded-frames"],
)
async def test_a_push_is_composed(tmp_path: Path, video: tuple[str, ...]) -> None:
    with LocalIVSRealTime(recordings_dir=tmp_path) as server:
        client = ivs_client(server.endpoint_url)
        stage = client.create_stage(name="pushed")["stage"]
        config = client.create_ingest_configuration(
            stageArn=stage["arn"], ingestProtocol="RTMP", insecureIngest=True, userId="encoder"
        )["ingestConfiguration"]
        storage = client.create_storage_configuration(name="c", s3={"bucketName": "composites"})
        encoder = client.create_encoder_configuration(
            name="small", video={"width": 640, "height": 360, "framerate": 15}
        )
        arn = client.start_composition(
            stageArn=stage["arn"],
            destinations=[
                s3_destination(
                    storage["storageConfiguration"]["arn"],
                    encoder["encoderConfiguration"]["arn"],
                )
            ],
        )["composition"]["arn"]
        assert server.rtmp_endpoint is not None
        push = await Push.start(
            server.rtmp_endpoint + config["streamKey"], video=video, duration=SECONDS
        )
        try:
            assert await push.wait(20) == 0
        finally:
            await push.ensure_dead()
        await asyncio.to_thread(client.stop_composition, arn=arn)
        began = time.monotonic()
        stopped = await asyncio.to_thread(wait_composition, client, arn, {"STOPPED", "FAILED"})
        assert time.monotonic() - began < 20
    assert stopped["state"] == "STOPPED"
    prefix = stopped["destinations"][0]["detail"]["s3"]["recordingPrefix"]
    playlist = tmp_path / "composites" / prefix / "media/hls/360p15/playlist.m3u8"
    with av.open(str(playlist)) as container:
        frames = list(container.decode(video=0))
    assert {(f.width, f.height) for f in frames} == {(640, 360)}
    # ffmpeg's testsrc (colour bars, a counter) fills the one tile: the centre is not blank.
    late = frames[len(frames) // 2]
    luma = bytes(late.planes[0])
    stride = late.planes[0].line_size
    centre = {luma[y * stride + x] for y in range(150, 210) for x in range(280, 360)}
    # A blank tile or the background is one flat value; testsrc's bars give several.
    assert len(centre) >= 3, sorted(centre)
    assert not centre <= _BLANK
