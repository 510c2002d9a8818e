"""aiortc tracks fed by one ingest connection, for the WebRTC fan-out.

`IngestTracks` is an `IngestSink`: hand it to `IngestAccept` and give its
`video`/`audio` tracks to aiortc. Frames are decoded here (aiortc re-encodes
video to H.264/VP8 and the decoded AAC to Opus); H.264 pass-through is a
later optimisation that would skip `H264Decoder`. Queues are bounded and
drop the oldest frame: a slow subscriber must not grow memory or stall the
encoder's connection.
"""

from __future__ import annotations

import asyncio
import fractions

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from ._decode import AudioDecoders, H264Decoder
from ._types import AudioAccessUnit, EndReason, StreamInfo, VideoAccessUnit

_VIDEO_TIME_BASE = fractions.Fraction(1, 90000)


class _QueueTrack(MediaStreamTrack):
    def __init__(self, kind: str, maxsize: int) -> None:
        super().__init__()
        self.kind = kind
        self._queue: asyncio.Queue[av.VideoFrame | av.AudioFrame | None] = asyncio.Queue(maxsize)
        self.dropped = 0

    def put(self, frame: av.VideoFrame | av.AudioFrame | None) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(frame)

    async def recv(self) -> av.VideoFrame | av.AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        frame = await self._queue.get()
        if frame is None:
            self.stop()
            raise MediaStreamError
        return frame


class IngestTracks:
    """A sink that decodes a connection into an aiortc (video, audio) pair."""

    def __init__(self, *, queue_frames: int = 30) -> None:
        self.video: MediaStreamTrack = _QueueTrack("video", queue_frames)
        self.audio: MediaStreamTrack = _QueueTrack("audio", queue_frames * 2)
        self.info: StreamInfo | None = None
        self.ended: EndReason | None = None
        self._h264 = H264Decoder()
        self._aac = AudioDecoders()
        self._resampler = av.AudioResampler(
            format="s16", layout="stereo", rate=48000, frame_size=960
        )

    def on_start(self, info: StreamInfo) -> None:
        """Remember what the stream is (size, profile) for the fan-out."""
        self.info = info

    def on_video(self, unit: VideoAccessUnit) -> None:
        """Decode and queue; aiortc wants a 90 kHz clock."""
        for frame in self._h264.decode(unit):
            frame.pts = unit.pts_ms * 90
            frame.time_base = _VIDEO_TIME_BASE
            self._put(self.video, frame)

    def on_audio(self, unit: AudioAccessUnit) -> None:
        """Decode AAC to 20 ms s16 48 kHz stereo frames.

        aiortc's Opus encoder asserts s16 input (AAC decodes to fltp), and
        20 ms frames are what its own audio tracks yield.
        """
        for frame in self._aac.decode(unit):
            for out in self._resampler.resample(frame):
                self._put(self.audio, out)

    def on_end(self, reason: EndReason, detail: str) -> None:
        """End both tracks (their `recv` raises MediaStreamError)."""
        self.ended = reason
        self._put(self.video, None)
        self._put(self.audio, None)

    @staticmethod
    def _put(track: MediaStreamTrack, frame: av.VideoFrame | av.AudioFrame | None) -> None:
        assert isinstance(track, _QueueTrack)
        track.put(frame)
