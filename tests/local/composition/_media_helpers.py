"""Test sources and output readers (pure PyAV, no numpy, no ffmpeg binary)."""

from __future__ import annotations

import asyncio
import fractions
import math
import re
from array import array
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import av

# Limited-range BT.601 YUV of pure colours.
RED = (81, 90, 240)
BLUE = (41, 240, 110)
GREEN = (145, 54, 34)


def solid(width: int, height: int, yuv: tuple[int, int, int]) -> av.VideoFrame:
    frame = av.VideoFrame(width, height, "yuv420p")
    for plane, value in zip(frame.planes, yuv, strict=True):
        plane.update(bytes([value]) * plane.buffer_size)
    return frame


def tone_chunk(freq: float, rate: int, start: int, samples: int) -> av.AudioFrame:
    """Mono s16 sine, continuing the phase from sample ``start``."""
    data = array(
        "h", (int(6000 * math.sin(2 * math.pi * freq * (start + i) / rate)) for i in range(samples))
    )
    frame = av.AudioFrame(format="s16", layout="mono", samples=samples)
    frame.sample_rate = rate
    raw = data.tobytes()
    frame.planes[0].update(raw + bytes(frame.planes[0].buffer_size - len(raw)))
    frame.pts = start
    frame.time_base = fractions.Fraction(1, rate)
    return frame


@dataclass(frozen=True)
class Publisher:
    """A live test publisher: a solid colour at its own size and rate, and a tone."""

    yuv: tuple[int, int, int]
    width: int
    height: int
    fps: int
    tone_hz: float
    audio_rate: int = 48_000

    async def frames(self, seconds: float) -> AsyncIterator[av.VideoFrame | av.AudioFrame]:
        """Frames in real time (20 ms audio chunks, like WebRTC), for ``seconds``."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        chunk = self.audio_rate // 50
        vn = an = 0
        while True:
            tv, ta = vn / self.fps, an * chunk / self.audio_rate
            due = min(tv, ta)
            if due >= seconds:
                return
            await asyncio.sleep(max(0.0, start + due - loop.time()))
            if tv <= ta:
                frame = solid(self.width, self.height, self.yuv)
                frame.pts, frame.time_base = vn, fractions.Fraction(1, self.fps)
                vn += 1
                yield frame
            else:
                yield tone_chunk(self.tone_hz, self.audio_rate, an * chunk, chunk)
                an += 1


def rgb_at(frame: av.VideoFrame, x: int, y: int) -> tuple[int, int, int]:
    rgb = frame.reformat(format="rgb24")
    plane = rgb.planes[0]
    offset = y * plane.line_size + x * 3
    data = bytes(plane)
    return data[offset], data[offset + 1], data[offset + 2]


def is_red(c: tuple[int, int, int]) -> bool:
    return c[0] > 200 and c[1] < 60 and c[2] < 60


def is_blue(c: tuple[int, int, int]) -> bool:
    return c[2] > 200 and c[0] < 60 and c[1] < 60


def is_black(c: tuple[int, int, int]) -> bool:
    return max(c) < 30


def decode_video(playlist: Path) -> list[av.VideoFrame]:
    with av.open(str(playlist)) as container:
        return list(container.decode(video=0))


def decode_audio_mono(playlist: Path) -> tuple[list[float], int]:
    """The left channel as floats, and the sample rate."""
    out: list[float] = []
    rate = 0
    with av.open(str(playlist)) as container:
        for frame in container.decode(audio=0):
            rate = frame.sample_rate
            assert frame.format.name == "fltp"  # what FFmpeg's AAC decoder gives
            out.extend(memoryview(frame.planes[0]).cast("f")[: frame.samples])
    return out, rate


def goertzel_power(samples: list[float], rate: int, freq: float) -> float:
    """Normalised power of one frequency (a one-bin DFT)."""
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (len(samples) ** 2)


def segment_durations(playlist: Path) -> list[float]:
    return [float(m) for m in re.findall(r"#EXTINF:([0-9.]+),", playlist.read_text())]
