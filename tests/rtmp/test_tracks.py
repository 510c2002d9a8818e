"""The aiortc side: tracks fed by an ffmpeg push, encoded by aiortc's own
Opus and H.264 encoders (what a WebRTC subscriber would receive)."""

from __future__ import annotations

import asyncio
import signal

import av
from aiortc.codecs import CODECS, get_encoder
from aiortc.mediastreams import MediaStreamError

from ivs_realtime_sdk.local._rtmp import (
    IngestAccept,
    IngestProtocol,
    IngestRefusal,
    IngestRequest,
    IngestTracks,
    RtmpIngestServer,
)

from .conftest import Push

KEY = "sk_tracks"


async def test_tracks_feed_aiortc_encoders() -> None:
    tracks = IngestTracks()

    def authorize(req: IngestRequest) -> IngestAccept | IngestRefusal:  # a sync callback
        return (
            IngestAccept(sink=tracks) if req.stream_key.value == KEY else IngestRefusal("unknown")
        )

    async with RtmpIngestServer(authorize, rtmps_port=None) as server:
        push = await Push.start(server.endpoint(IngestProtocol.RTMP) + KEY, duration=30)
        try:
            opus = get_encoder(next(c for c in CODECS["audio"] if c.mimeType == "audio/opus"))
            h264 = get_encoder(next(c for c in CODECS["video"] if c.mimeType == "video/H264"))
            opus_packets = h264_packets = 0
            sizes = set()
            async with asyncio.timeout(30):
                for _ in range(30):
                    frame = await tracks.video.recv()
                    assert isinstance(frame, av.VideoFrame)
                    sizes.add((frame.width, frame.height))
                    payloads, _ = h264.encode(frame)
                    h264_packets += len(payloads)
                for _ in range(50):
                    aframe = await tracks.audio.recv()
                    assert isinstance(aframe, av.AudioFrame)
                    payloads, _ = opus.encode(aframe)
                    opus_packets += len(payloads)
            assert sizes == {(320, 240)}
            assert h264_packets >= 30
            assert opus_packets >= 50
            print(f"FIGURE track_h264_rtp_packets={h264_packets} opus_packets={opus_packets}")
            push.signal(signal.SIGTERM)
            await push.wait(10)
        finally:
            await push.ensure_dead()
        # The end of the push ends the tracks (subscribers see the track end).
        async with asyncio.timeout(5):
            try:
                while True:
                    await tracks.video.recv()
            except MediaStreamError:
                pass
        assert tracks.ended is not None
        assert tracks.info is not None
        assert tracks.info.constrained_baseline
