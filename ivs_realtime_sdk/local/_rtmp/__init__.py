"""RTMP/RTMPS ingest for the local emulator: encoders publish into stages.

A pure-asyncio server (the emulator guide says why not FFmpeg's listen mode): it
asks `authorize` before acknowledging a publish, enforces IVS's media rules,
and hands H.264 access units and AAC frames to a per-connection sink.
"""

from ._chunks import Limits
from ._decode import AacDecoder, AudioDecoders, H264Decoder
from ._flv import AacConfig
from ._server import RtmpIngestServer
from ._tls import TlsFiles, generate_self_signed
from ._tracks import IngestTracks
from ._types import (
    AudioAccessUnit,
    Authorize,
    AuthorizeResult,
    EndReason,
    IngestAccept,
    IngestProtocol,
    IngestRefusal,
    IngestRequest,
    IngestSink,
    StreamInfo,
    StreamKey,
    VideoAccessUnit,
)

__all__ = [
    "AacConfig",
    "AacDecoder",
    "AudioAccessUnit",
    "AudioDecoders",
    "Authorize",
    "AuthorizeResult",
    "EndReason",
    "H264Decoder",
    "IngestAccept",
    "IngestProtocol",
    "IngestRefusal",
    "IngestRequest",
    "IngestSink",
    "IngestTracks",
    "Limits",
    "RtmpIngestServer",
    "StreamInfo",
    "StreamKey",
    "TlsFiles",
    "VideoAccessUnit",
    "generate_self_signed",
]
