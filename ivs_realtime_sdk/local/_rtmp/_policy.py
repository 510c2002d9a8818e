"""IVS Real-Time's media rules for RTMP ingest, as pure checks.

Each returns a refusal reason (a short sentence without any key) or None.
Kept apart from the connection code so the limits sit in one place and are
tested without sockets.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

from ._h264 import SpsInfo

MAX_LONG_SIDE = 1280
MAX_SHORT_SIDE = 720
MAX_BITRATE_BPS = 8_500_000


@dataclass(frozen=True, slots=True)
class MediaRules:
    """Limits one connection is held to."""

    allow_b_frames: bool = False
    max_long_side: int = MAX_LONG_SIDE
    max_short_side: int = MAX_SHORT_SIDE
    max_bitrate_bps: int = MAX_BITRATE_BPS
    bitrate_window_s: float = 5.0
    """Measured bitrate is averaged over this window (keyframes are bursty)."""


def check_resolution(rules: MediaRules, width: float, height: float) -> str | None:
    """Over 720p in either orientation (1280x720 or 720x1280) is refused."""
    long_side, short_side = max(width, height), min(width, height)
    if long_side > rules.max_long_side or short_side > rules.max_short_side:
        return f"resolution {int(width)}x{int(height)} is over 720p"
    return None


def check_sps(rules: MediaRules, sps: SpsInfo) -> str | None:
    """The SPS is the truth about the picture size (metadata may lie)."""
    return check_resolution(rules, sps.width, sps.height)


def check_metadata_bitrate(rules: MediaRules, kbps: float) -> str | None:
    """onMetaData's video+audio data rates, in kbit/s as encoders write them."""
    if kbps * 1000 > rules.max_bitrate_bps:
        return f"declared bitrate {kbps:.0f} kbps is over {rules.max_bitrate_bps // 1000} kbps"
    return None


def check_cts(rules: MediaRules, cts_ms: int) -> str | None:
    """A non-zero composition time offset means frames are reordered: B-frames."""
    if cts_ms != 0 and not rules.allow_b_frames:
        return "B-frames are not allowed by this ingest configuration"
    return None


class BitrateMeter:
    """Media bytes over a sliding wall-clock window.

    Judged only once a full window has elapsed, so a keyframe or the initial
    burst an encoder sends from its buffer does not trip the limit.
    """

    def __init__(self, rules: MediaRules, start: float) -> None:
        self._rules = rules
        self._start = start
        self._samples: collections.deque[tuple[float, int]] = collections.deque()
        self._bytes = 0

    def add(self, now: float, size: int) -> str | None:
        """Record `size` bytes received at `now`; say if the limit is broken."""
        window = self._rules.bitrate_window_s
        self._samples.append((now, size))
        self._bytes += size
        while self._samples and self._samples[0][0] < now - window:
            self._bytes -= self._samples.popleft()[1]
        if now - self._start < window:
            return None
        bps = self._bytes * 8 / window
        if bps > self._rules.max_bitrate_bps:
            limit = self._rules.max_bitrate_bps / 1e6
            return f"measured bitrate {bps / 1e6:.1f} Mbps is over {limit:.1f} Mbps"
        return None
