"""Decoding ingest access units with PyAV (FFmpeg's codecs, no binary).

One decoder object per stream: H.264 keeps reference pictures between
calls, and AAC needs the AudioSpecificConfig as extradata.
"""

from __future__ import annotations

import fractions

import av
import av.error

from ._flv import AacConfig
from ._types import AudioAccessUnit, VideoAccessUnit

MS = fractions.Fraction(1, 1000)


class H264Decoder:
    """Annex B access units -> `av.VideoFrame` (pts in ms, time_base 1/1000)."""

    def __init__(self) -> None:
        self._ctx = av.CodecContext.create("h264", "r")
        self.errors = 0

    def decode(self, unit: VideoAccessUnit) -> list[av.VideoFrame]:
        """Decode one unit; a corrupt one yields nothing (counted), not an error."""
        packet = av.Packet(unit.data)
        packet.pts = unit.pts_ms
        packet.dts = unit.dts_ms
        packet.time_base = MS
        try:
            frames = self._ctx.decode(packet)
        except av.error.FFmpegError:
            self.errors += 1
            return []
        out: list[av.VideoFrame] = []
        for f in frames:
            if isinstance(f, av.VideoFrame):  # pyright: ignore[reportUnnecessaryIsInstance]
                f.time_base = MS
                out.append(f)
        return out


class AacDecoder:
    """Raw AAC frames -> `av.AudioFrame` (pts in samples, time_base 1/rate)."""

    def __init__(self, config: AacConfig) -> None:
        self.config = config
        self._ctx = av.CodecContext.create("aac", "r")
        self._ctx.extradata = config.asc
        self.errors = 0

    def decode(self, unit: AudioAccessUnit) -> list[av.AudioFrame]:
        """Decode one frame; a corrupt one yields nothing (counted)."""
        packet = av.Packet(unit.data)
        packet.pts = unit.pts_ms
        packet.time_base = MS
        try:
            frames = self._ctx.decode(packet)
        except av.error.FFmpegError:
            self.errors += 1
            return []
        out: list[av.AudioFrame] = []
        for f in frames:
            if isinstance(f, av.AudioFrame):  # pyright: ignore[reportUnnecessaryIsInstance]
                f.pts = unit.pts_ms * f.sample_rate // 1000
                f.time_base = fractions.Fraction(1, f.sample_rate)
                out.append(f)
        return out


class AudioDecoders:
    """Picks a new AAC decoder whenever the AudioSpecificConfig changes."""

    def __init__(self) -> None:
        self._decoder: AacDecoder | None = None

    def decode(self, unit: AudioAccessUnit) -> list[av.AudioFrame]:
        """Decode with the decoder for this unit's configuration."""
        if self._decoder is None or self._decoder.config != unit.config:
            self._decoder = AacDecoder(unit.config)
        return self._decoder.decode(unit)
