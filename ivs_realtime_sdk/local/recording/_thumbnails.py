"""Thumbnails as JPEG: from a keyframe's bytes (decoding that one picture only) or a frame.

An IDR access unit decodes on its own, so a thumbnail costs one picture's
decode and one JPEG encode, whatever the frame rate. A fresh decoder per
thumbnail keeps no state between them (they are seconds apart).
"""

from __future__ import annotations

import fractions
from typing import Any

import av
from av.error import FFmpegError
from av.video.codeccontext import VideoCodecContext
from av.video.frame import VideoFrame

__all__ = ["jpeg_from_frame", "jpeg_from_keyframe"]


def jpeg_from_frame(frame: VideoFrame) -> bytes:
    """Encode one frame as a baseline JPEG at its own resolution."""
    encoder = av.CodecContext.create("mjpeg", "w")
    assert isinstance(encoder, VideoCodecContext)
    encoder.width = frame.width
    encoder.height = frame.height
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = fractions.Fraction(1, 1)
    encoder.options = {"qmin": "2", "qmax": "8"}
    picture = frame.reformat(format="yuvj420p")
    picture.pts = 0
    packets: list[av.Packet[Any]] = encoder.encode(picture) + encoder.encode(None)  # pyright: ignore[reportUnknownVariableType]
    return b"".join(bytes(p) for p in packets)


def jpeg_from_keyframe(access_unit: bytes) -> bytes | None:
    """Decode one H.264 IDR access unit (Annex B) as JPEG; None if it does not decode."""
    decoder = av.CodecContext.create("h264", "r")
    try:
        frames = decoder.decode(av.Packet(access_unit)) + decoder.decode(None)
    except FFmpegError:
        return None
    return jpeg_from_frame(frames[0]) if frames else None
