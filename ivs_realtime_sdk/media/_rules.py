"""IVS's media rules, in one place, and what enforces them on a publisher.

AWS's ingest documentation for IVS Real-Time (RTMP and WHIP) asks for:

- audio: Opus;
- video: H.264 Baseline (constrained baseline), no B-frames, an IDR frame
  every 1 to 2 seconds, at most 720p.

Enforcement: codec preferences on the transceivers (Opus; H.264 with
``packetization-mode=1`` and a Baseline ``profile-level-id``), a timer that
asks the sender for an IDR frame every :data:`IDR_INTERVAL`, and
:class:`ShapedVideoTrack`, which scales frames larger than 720p down.
aiortc's H.264 encoder already runs libx264 with the Baseline profile and
``tune=zerolatency``, which emits no B-frames.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import cast

import av
from aiortc import MediaStreamTrack, RTCRtpSender, RTCRtpTransceiver
from aiortc.mediastreams import MediaStreamError
from aiortc.rtcrtpparameters import RTCRtpCodecCapability

__all__ = [
    "AUDIO_MIME_TYPE",
    "IDR_INTERVAL",
    "MAX_LONG_SIDE",
    "MAX_SHORT_SIDE",
    "VIDEO_MIME_TYPE",
    "ShapedVideoTrack",
    "codec_preferences",
    "fit_720p",
    "is_baseline_h264",
    "keep_sending_keyframes",
    "prefer_ivs_codecs",
]

AUDIO_MIME_TYPE = "audio/opus"
"""The one audio codec."""
VIDEO_MIME_TYPE = "video/H264"
"""The one video codec."""
IDR_INTERVAL = timedelta(seconds=1.5)
"""How often a publisher sends an IDR frame: inside IVS's 1 to 2 seconds."""
MAX_LONG_SIDE = 1280
"""720p: the longer side of a frame, at most."""
MAX_SHORT_SIDE = 720
"""720p: the shorter side of a frame, at most."""

# profile_idc 66 (0x42) is Baseline; the constraint flags (e0, 40, 00...) vary.
_BASELINE_PROFILE_IDC = "42"


def is_baseline_h264(codec: RTCRtpCodecCapability) -> bool:
    """Tell whether a codec is H.264 Baseline with non-interleaved packetization."""
    if codec.mimeType.lower() != VIDEO_MIME_TYPE.lower():
        return False
    profile = str(codec.parameters.get("profile-level-id", ""))
    mode = str(codec.parameters.get("packetization-mode", "0"))
    return profile.lower().startswith(_BASELINE_PROFILE_IDC) and mode == "1"


def codec_preferences(kind: str) -> list[RTCRtpCodecCapability]:
    """Return the codecs IVS's rules allow for ``kind`` (``audio`` or ``video``)."""
    capabilities = RTCRtpSender.getCapabilities(kind)
    if kind == "audio":
        return [c for c in capabilities.codecs if c.mimeType.lower() == AUDIO_MIME_TYPE]
    return [c for c in capabilities.codecs if is_baseline_h264(c)]


def prefer_ivs_codecs(transceiver: RTCRtpTransceiver) -> None:
    """Restrict a transceiver to the codecs IVS's rules allow."""
    transceiver.setCodecPreferences(codec_preferences(transceiver.kind))


def fit_720p(width: int, height: int) -> tuple[int, int]:
    """Return the largest even size of the same shape that fits in 720p.

    Args:
        width: Frame width in pixels.
        height: Frame height in pixels.

    Returns:
        ``(width, height)`` unchanged when it fits, else scaled down.
    """
    long_side, short_side = max(width, height), min(width, height)
    scale = min(1.0, MAX_LONG_SIDE / long_side, MAX_SHORT_SIDE / short_side)
    if scale == 1.0:
        return width, height
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


class ShapedVideoTrack(MediaStreamTrack):
    """A video track that passes frames of another through, scaled down to 720p at most."""

    kind = "video"

    def __init__(self, source: MediaStreamTrack) -> None:
        """Wrap ``source``, a video track."""
        super().__init__()
        self._source = source

    async def recv(self) -> av.VideoFrame:
        """Return the source's next frame, scaled down if it is larger than 720p."""
        frame = cast(object, await self._source.recv())
        if not isinstance(frame, av.VideoFrame):
            raise MediaStreamError("a video track yielded something that is not a video frame")
        width, height = fit_720p(frame.width, frame.height)
        if (width, height) == (frame.width, frame.height):
            return frame
        scaled = frame.reformat(width=width, height=height)
        scaled.pts = frame.pts
        if frame.time_base is not None:
            scaled.time_base = frame.time_base
        return scaled

    def stop(self) -> None:
        """Stop this track and its source."""
        super().stop()
        self._source.stop()


async def keep_sending_keyframes(sender: RTCRtpSender, interval: timedelta = IDR_INTERVAL) -> None:
    """Ask ``sender`` for an IDR frame every ``interval``, until cancelled.

    A subscriber that joins mid-stream can decode from the next IDR frame
    on, so this bounds how long it waits for its first picture.
    """
    seconds = interval.total_seconds()
    with contextlib.suppress(asyncio.CancelledError):
        while True:
            await asyncio.sleep(seconds)
            # RTCRtpSender's own hook for a received PLI: the next frame is an IDR.
            sender._send_keyframe()  # pyright: ignore[reportPrivateUsage]
