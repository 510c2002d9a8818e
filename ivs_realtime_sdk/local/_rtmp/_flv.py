"""FLV audio and video message bodies as RTMP carries them (H.264 and AAC).

Turns each body into a typed event; anything else (another codec, enhanced
RTMP's HEVC/AV1 headers, MP3) becomes `Unsupported` so the caller can apply
IVS's rule (refuse) rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._h264 import AvcConfig, H264Error, avcc_to_annexb, parse_avc_config

_CODEC_AVC = 7
_SOUND_AAC = 10
_AAC_RATES = (
    96000,
    88200,
    64000,
    48000,
    44100,
    32000,
    24000,
    22050,
    16000,
    12000,
    11025,
    8000,
    7350,
)


class FlvError(ValueError):
    """A malformed audio/video message body."""


@dataclass(frozen=True, slots=True)
class AacConfig:
    """AudioSpecificConfig (ISO 14496-3 1.6.2.1) and what it says."""

    asc: bytes
    object_type: int
    sample_rate: int
    channels: int


@dataclass(frozen=True, slots=True)
class VideoConfigEvent:
    """A new AVC sequence header."""

    config: AvcConfig


@dataclass(frozen=True, slots=True)
class VideoFrameEvent:
    """One coded picture, converted to Annex B."""

    annexb: bytes
    dts_ms: int
    cts_ms: int
    keyframe: bool


@dataclass(frozen=True, slots=True)
class AudioConfigEvent:
    """A new AAC sequence header."""

    config: AacConfig


@dataclass(frozen=True, slots=True)
class AudioFrameEvent:
    """One raw AAC frame."""

    data: bytes
    pts_ms: int


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Media IVS does not take (the reason names the codec, never payloads)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Ignored:
    """Nothing to hand on (empty body, end-of-sequence, info frame)."""


FlvEvent = (
    VideoConfigEvent | VideoFrameEvent | AudioConfigEvent | AudioFrameEvent | Unsupported | Ignored
)


def parse_aac_config(asc: bytes) -> AacConfig:
    """Read object type, sample rate and channels from an AudioSpecificConfig.

    Raises:
        FlvError: if too short or the rate index is invalid.
    """
    if len(asc) < 2:
        raise FlvError("short AudioSpecificConfig")
    bits = int.from_bytes(asc[:5].ljust(5, b"\x00"), "big")
    pos = 40

    def take(n: int) -> int:
        nonlocal pos
        pos -= n
        if pos < 0:
            raise FlvError("short AudioSpecificConfig")
        return (bits >> pos) & ((1 << n) - 1)

    object_type = take(5)
    if object_type == 31:
        object_type = 32 + take(6)
    rate_index = take(4)
    if rate_index == 15:
        if len(asc) < 5:
            raise FlvError("short AudioSpecificConfig")
        rate = take(24)
    elif rate_index < len(_AAC_RATES):
        rate = _AAC_RATES[rate_index]
    else:
        raise FlvError("bad AAC sampling index")
    channels = take(4)
    if rate <= 0:
        raise FlvError("bad AAC sample rate")
    return AacConfig(bytes(asc), object_type, rate, channels)


def parse_video(body: bytes, timestamp: int, avc: AvcConfig | None) -> FlvEvent:
    """Interpret a video message body given the current AVC configuration.

    Raises:
        FlvError: on malformed H.264 structures.
    """
    if not body:
        return Ignored()
    if body[0] & 0x80:
        return Unsupported("enhanced RTMP video (HEVC/AV1/VP9) is not supported")
    frame_type, codec = body[0] >> 4, body[0] & 0x0F
    if codec != _CODEC_AVC:
        return Unsupported(f"video codec id {codec} is not H.264")
    if frame_type == 5 or len(body) < 5:
        return Ignored()
    packet_type = body[1]
    cts = int.from_bytes(body[2:5], "big", signed=True)
    try:
        if packet_type == 0:
            return VideoConfigEvent(parse_avc_config(body[5:]))
        if packet_type == 1:
            if avc is None:
                return Ignored()  # frames before the sequence header cannot decode
            annexb, idr = avcc_to_annexb(body[5:], avc.nal_length_size)
            keyframe = frame_type == 1 or idr
            if keyframe:
                annexb = avc.annexb_parameter_sets() + annexb
            return VideoFrameEvent(annexb, timestamp, cts, keyframe)
    except H264Error as exc:
        raise FlvError(str(exc)) from exc
    return Ignored()


def parse_audio(body: bytes, timestamp: int, aac: AacConfig | None) -> FlvEvent:
    """Interpret an audio message body given the current AAC configuration.

    Raises:
        FlvError: on a malformed AudioSpecificConfig.
    """
    if not body:
        return Ignored()
    sound_format = body[0] >> 4
    if sound_format != _SOUND_AAC:
        return Unsupported(f"audio format id {sound_format} is not AAC")
    if len(body) < 2:
        return Ignored()
    if body[1] == 0:
        return AudioConfigEvent(parse_aac_config(body[2:]))
    if aac is None or len(body) == 2:
        return Ignored()
    return AudioFrameEvent(body[2:], timestamp)
