"""aiortc tracks fed by one ingest connection, for the WebRTC fan-out.

`IngestTracks` is an `IngestSink`: hand it to `IngestAccept` and give its
`video`/`audio` tracks to aiortc. AAC is decoded here (aiortc encodes it to
Opus). H.264 is decoded too (aiortc re-encodes it for each subscriber),
unless ``pass_through_h264`` is set and the push is Baseline or Constrained
Baseline (profile 66, which has no B-frames): then the video track yields
the push's own Annex B access units as ``av.Packet``s, which aiortc's sender
packs as they are, without decoding or encoding. Queues are bounded and
drop the oldest item: a slow subscriber must not grow memory or stall the
encoder's connection; a dropped packet costs the subscriber's decoder until
the next keyframe, as a lost packet would.
"""

from __future__ import annotations

import asyncio
import fractions
from typing import Any, TypeAlias

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from ._decode import AudioDecoders, H264Decoder
from ._types import AudioAccessUnit, EndReason, StreamInfo, VideoAccessUnit

_VIDEO_TIME_BASE = fractions.Fraction(1, 90000)
_BASELINE = 66
_Item: TypeAlias = "av.VideoFrame | av.AudioFrame | av.Packet[Any]"


class _QueueTrack(MediaStreamTrack):
    def __init__(self, kind: str, maxsize: int) -> None:
        super().__init__()
        self.kind = kind
        self._queue: asyncio.Queue[_Item | None] = asyncio.Queue(maxsize)
        self.dropped = 0

    def put(self, frame: _Item | None) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(frame)

    async def recv(self) -> _Item:
        if self.readyState != "live":
            raise MediaStreamError
        frame = await self._queue.get()
        if frame is None:
            self.stop()
            raise MediaStreamError
        return frame


class IngestTracks:
    """A sink that decodes a connection into an aiortc (video, audio) pair."""

    def __init__(self, *, queue_frames: int = 30, pass_through_h264: bool = False) -> None:
        """Bounded queues of ``queue_frames``; ``pass_through_h264`` relays Baseline as is."""
        self.video: MediaStreamTrack = _QueueTrack("video", queue_frames)
        self.audio: MediaStreamTrack = _QueueTrack("audio", queue_frames * 2)
        self.info: StreamInfo | None = None
        self.ended: EndReason | None = None
        self._h264 = H264Decoder()
        self._may_pass_through = pass_through_h264
        self.passing_through = False
        """True once a Baseline push is relayed without decoding (set at start)."""
        self.decoded_video_frames = 0
        self.passed_video_units = 0
        self._aac = AudioDecoders()
        self._resampler = av.AudioResampler(
            format="s16", layout="stereo", rate=48000, frame_size=960
        )

    def on_start(self, info: StreamInfo) -> None:
        """Remember what the stream is (size, profile); choose relaying or decoding."""
        self.info = info
        self.passing_through = self._may_pass_through and info.video_profile_idc == _BASELINE

    def on_video(self, unit: VideoAccessUnit) -> None:
        """Relay (Baseline) or decode, and queue; aiortc wants a 90 kHz clock."""
        if self.passing_through:
            packet = av.Packet(unit.data)
            packet.pts = packet.dts = unit.pts_ms * 90
            packet.time_base = _VIDEO_TIME_BASE
            self.passed_video_units += 1
            self._put(self.video, packet)
            return
        for frame in self._h264.decode(unit):
            self.decoded_video_frames += 1
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
    def _put(track: MediaStreamTrack, frame: _Item | None) -> None:
        assert isinstance(track, _QueueTrack)
        track.put(frame)
