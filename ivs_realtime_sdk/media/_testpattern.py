"""A test pattern: moving grey bars and silence, shaped to IVS's media rules."""

from __future__ import annotations

import asyncio
import fractions
import time

import av
from aiortc import MediaStreamTrack

__all__ = ["SilentAudioTrack", "TestPatternVideoTrack", "make_test_pattern"]

_VIDEO_CLOCK = 90_000
_AUDIO_RATE = 48_000
# 20 ms per audio frame: Opus's usual packet time.
_AUDIO_SAMPLES = 960
_BAR_WIDTH = 16


class _Paced(MediaStreamTrack):
    """A live source: frame ``n`` is due ``n * period`` seconds after the first."""

    def __init__(self, period: float) -> None:
        super().__init__()
        self._period = period
        self._start: float | None = None
        self._count = 0

    async def _next_index(self) -> int:
        now = time.monotonic()
        if self._start is None:
            self._start = now
        due = self._start + self._count * self._period
        if due > now:
            await asyncio.sleep(due - now)
        index, self._count = self._count, self._count + 1
        return index


class TestPatternVideoTrack(_Paced):
    """Vertical bars of grey that move one pixel a frame (H.264 compresses them well)."""

    kind = "video"
    __test__ = False  # not a pytest test class

    def __init__(self, width: int = 320, height: int = 240, fps: int = 30) -> None:
        """Make a pattern of ``width`` x ``height`` (even numbers) at ``fps`` frames a second."""
        if width % 2 or height % 2 or width <= 0 or height <= 0:
            raise ValueError("width and height must be positive even numbers")
        super().__init__(1 / fps)
        self.width, self.height, self.fps = width, height, fps
        ramp = bytes(16 + (x // _BAR_WIDTH * 37) % 220 for x in range(width))
        self._row = ramp + ramp  # so every shift is a slice

    async def recv(self) -> av.VideoFrame:
        """Return the next frame, paced to the frame rate."""
        index = await self._next_index()
        shift = index % self.width
        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        luma, cb, cr = frame.planes
        row = self._row[shift : shift + self.width]
        luma.update(_rows(row, luma.line_size, self.height))
        chroma = b"\x80" * (self.width // 2)
        cb.update(_rows(chroma, cb.line_size, self.height // 2))
        cr.update(_rows(chroma, cr.line_size, self.height // 2))
        frame.pts = index * _VIDEO_CLOCK // self.fps
        frame.time_base = fractions.Fraction(1, _VIDEO_CLOCK)
        return frame


def _rows(row: bytes, line_size: int, count: int) -> bytes:
    return (row + b"\x00" * (line_size - len(row))) * count


class SilentAudioTrack(_Paced):
    """Silence: 20 ms frames of mono 48 kHz audio (what Opus encodes)."""

    kind = "audio"

    def __init__(self) -> None:
        """Make a silent source."""
        super().__init__(_AUDIO_SAMPLES / _AUDIO_RATE)
        self._silence = bytes(_AUDIO_SAMPLES * 2)

    async def recv(self) -> av.AudioFrame:
        """Return the next 20 ms of silence, paced to real time."""
        index = await self._next_index()
        frame = av.AudioFrame(format="s16", layout="mono", samples=_AUDIO_SAMPLES)
        frame.planes[0].update(self._silence)
        frame.sample_rate = _AUDIO_RATE
        frame.pts = index * _AUDIO_SAMPLES
        frame.time_base = fractions.Fraction(1, _AUDIO_RATE)
        return frame


def make_test_pattern(
    width: int = 320, height: int = 240, fps: int = 30
) -> tuple[SilentAudioTrack, TestPatternVideoTrack]:
    """Return ``(audio, video)``: silence and moving bars, ready for :func:`publish`.

    Args:
        width: Frame width (even; 720p at most is what IVS takes).
        height: Frame height (even).
        fps: Frames a second.
    """
    return SilentAudioTrack(), TestPatternVideoTrack(width, height, fps)
