"""Relay received media without decoding it: the emulator forwards, it never transcodes.

aiortc decodes every received frame on a thread (``decoder_worker``) and
hands the frames to the remote track. For the tracks registered here, the
worker is replaced by one that hands over the encoded frames as
``av.Packet``s instead; aiortc's sender packs packets as they are (no
encoder), so a subscriber receives the publisher's own H.264 and Opus.
The replaced function is pinned by a test (its source hash), so an aiortc
upgrade that changes it fails loudly.
"""

from __future__ import annotations

import asyncio
import fractions
import queue
import threading
import weakref
from typing import Any, cast

import av
from aiortc import MediaStreamTrack, rtcrtpreceiver

__all__ = ["install", "pass_through"]

_registered: weakref.WeakSet[asyncio.Queue[Any]] = weakref.WeakSet()
_lock = threading.Lock()
_original: Any = None


def _forward(
    loop: asyncio.AbstractEventLoop, input_q: queue.Queue[Any], output_q: asyncio.Queue[Any]
) -> None:
    while True:
        task = input_q.get()
        if task is None:
            asyncio.run_coroutine_threadsafe(output_q.put(None), loop)
            return
        codec, encoded_frame = task
        packet = av.Packet(encoded_frame.data)
        packet.pts = encoded_frame.timestamp
        packet.time_base = fractions.Fraction(1, codec.clockRate)
        asyncio.run_coroutine_threadsafe(output_q.put(packet), loop)


def _worker(
    loop: asyncio.AbstractEventLoop,
    input_q: queue.Queue[Any],
    output_q: asyncio.Queue[Any],
    decode_error: threading.Event,
) -> None:
    with _lock:
        forward = output_q in _registered
    if forward:
        _forward(loop, input_q, output_q)
    else:
        _original(loop, input_q, output_q, decode_error)


def install() -> None:
    """Put the forwarding worker in place (idempotent); other tracks are decoded as before."""
    global _original
    with _lock:
        if _original is None:
            _original = cast(Any, rtcrtpreceiver.decoder_worker)
            rtcrtpreceiver.decoder_worker = _worker


def pass_through(track: MediaStreamTrack) -> None:
    """Make a remote track yield encoded packets instead of decoded frames.

    Call it before the connection starts receiving (right after
    ``setRemoteDescription``).
    """
    install()
    output = cast("asyncio.Queue[Any]", getattr(track, "_queue"))  # noqa: B009  # aiortc's own
    with _lock:
        _registered.add(output)
