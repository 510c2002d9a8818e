"""The public face of the RTMP ingest: what `authorize` gets and returns,
and the sink a connection feeds."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeAlias

from ._flv import AacConfig


class IngestProtocol(enum.StrEnum):
    """How the encoder reached us; IVS reports it as the participant's protocol."""

    RTMP = "RTMP"
    RTMPS = "RTMPS"


@dataclass(frozen=True, slots=True)
class StreamKey:
    """A stream key: a secret, so it never shows in repr, str or logs."""

    value: str = field(repr=False)

    def __str__(self) -> str:
        return "StreamKey(***)"


@dataclass(frozen=True, slots=True)
class IngestRequest:
    """One encoder's publish request, handed to `authorize`."""

    connection_id: int
    stream_key: StreamKey
    protocol: IngestProtocol
    app: str
    """The application name in the URL path (IVS's is `app`)."""
    peer: str
    """`host:port` of the encoder, for logs."""


class EndReason(enum.StrEnum):
    """Why a connection that was accepted ended (exactly one `on_end`)."""

    ENCODER_ENDED = "encoder ended the stream"
    CONNECTION_CLOSED = "connection closed by the encoder"
    TIMEOUT = "no data from the encoder"
    MEDIA_REFUSED = "media outside IVS's rules"
    PROTOCOL_ERROR = "protocol error"
    DISCONNECTED = "disconnected by the server"
    SERVER_STOPPED = "server stopped"


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """What the stream turned out to be, given once its media is validated."""

    connection_id: int
    protocol: IngestProtocol
    width: int | None
    height: int | None
    video_profile_idc: int | None
    constrained_baseline: bool
    """True when WebRTC subscribers could take the H.264 as is."""
    audio: AacConfig | None
    metadata_bitrate_kbps: float | None


@dataclass(frozen=True, slots=True)
class VideoAccessUnit:
    """One H.264 access unit in Annex B form (keyframes carry SPS/PPS first)."""

    data: bytes = field(repr=False)
    pts_ms: int
    dts_ms: int
    keyframe: bool


@dataclass(frozen=True, slots=True)
class AudioAccessUnit:
    """One raw AAC frame with the AudioSpecificConfig needed to decode it."""

    data: bytes = field(repr=False)
    pts_ms: int
    config: AacConfig


class IngestSink(Protocol):
    """Receives one accepted connection's media; called on the event loop.

    Calls must return quickly (queue work elsewhere): they run inside the
    connection's read loop, so a slow sink delays reading, as TCP would.
    """

    def on_start(self, info: StreamInfo) -> None:
        """The media passed IVS's rules; frames follow. Not called if refused."""

    def on_video(self, unit: VideoAccessUnit) -> None:
        """One video access unit, in decode order."""

    def on_audio(self, unit: AudioAccessUnit) -> None:
        """One AAC frame."""

    def on_end(self, reason: EndReason, detail: str) -> None:
        """Called exactly once for every accepted connection, started or not."""


@dataclass(frozen=True, slots=True)
class IngestAccept:
    """`authorize`'s yes: where the media goes and which rules apply."""

    sink: IngestSink
    allow_b_frames: bool = False
    """IVS ingest configurations may allow B-frames; off by default as in IVS."""


@dataclass(frozen=True, slots=True)
class IngestRefusal:
    """`authorize`'s no; the reason is logged, so it must not hold the key."""

    reason: str


AuthorizeResult: TypeAlias = IngestAccept | IngestRefusal
Authorize: TypeAlias = Callable[[IngestRequest], AuthorizeResult | Awaitable[AuthorizeResult]]
