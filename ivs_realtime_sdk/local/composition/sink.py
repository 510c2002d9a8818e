"""Where the compositor's encoded output goes: a four-method sink.

The compositor owns decoding, layout and encoding; a sink owns bytes on
disk or in S3. Keeping the seam at encoded packets lets the recording
writer (HLS segments, thumbnails, S3 upload) be built and tested without
a compositor, and lets the compositor be tested with a local directory.
"""

from __future__ import annotations

import fractions
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import av
import av.container
import av.stream
from av.stream import Stream

__all__ = ["AudioStreamInfo", "CompositeSink", "HlsDirectorySink", "VideoStreamInfo"]


@dataclass(frozen=True, slots=True, kw_only=True)
class VideoStreamInfo:
    """The encoded video stream: H.264 Annex B, SPS/PPS in band on each keyframe."""

    codec: str
    width: int
    height: int
    framerate: int
    time_base: fractions.Fraction
    bit_rate: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioStreamInfo:
    """The encoded audio stream: raw AAC-LC frames, config in ``extradata``.

    ``extradata`` is the AudioSpecificConfig; an MP4/fMP4 muxer needs it,
    since raw AAC packets (unlike H.264 with in-band SPS/PPS) do not carry it.
    """

    codec: str
    sample_rate: int
    layout: str
    time_base: fractions.Fraction
    bit_rate: int
    extradata: bytes


class CompositeSink(Protocol):
    """Receives a composition's encoded output, in order.

    Calls come from the compositor's render thread, one at a time. Packets
    carry pts/dts in their stream's ``time_base``; video packets are in
    decode order. ``on_end`` follows the encoders' flush.
    """

    def on_start(self, video: VideoStreamInfo, audio: AudioStreamInfo) -> None:
        """The streams are known; called once, before any packet."""

    def on_video_packet(self, packet: av.Packet[Stream]) -> None:
        """One encoded H.264 access unit (``packet.is_keyframe`` marks IDRs)."""

    def on_audio_packet(self, packet: av.Packet[Stream]) -> None:
        """One encoded AAC frame (1024 samples)."""

    def on_end(self) -> None:
        """No more packets; finish the output."""


class HlsDirectorySink:
    """Writes fMP4 HLS (init.mp4, .m4s segments, a VOD playlist) to a directory.

    For tests and local use; the emulator's recording writer replaces it.
    Segments cut on keyframes, so they last ``target_segment_seconds`` when
    the encoder's keyframe interval divides it.
    """

    def __init__(
        self, directory: Path, *, target_segment_seconds: int = 2, playlist: str = "playlist.m3u8"
    ) -> None:
        self._directory = directory
        self._target = target_segment_seconds
        self._playlist = playlist
        self._container: av.container.OutputContainer | None = None
        self._video: av.stream.Stream | None = None
        self._audio: av.stream.Stream | None = None

    @property
    def playlist_path(self) -> Path:
        """The media playlist this sink writes."""
        return self._directory / self._playlist

    def on_start(self, video: VideoStreamInfo, audio: AudioStreamInfo) -> None:
        """Open the HLS muxer with one video and one audio stream."""
        self._directory.mkdir(parents=True, exist_ok=True)
        container = av.open(
            str(self.playlist_path),
            "w",
            format="hls",
            options={
                "hls_segment_type": "fmp4",
                "hls_time": str(self._target),
                "hls_playlist_type": "vod",
                "hls_fmp4_init_filename": "init.mp4",
            },
        )
        # Video: a codec-less stream; PyAV lifts SPS/PPS from the first
        # keyframe into the init segment, so no extradata is needed here.
        vstream = container.add_mux_stream(
            video.codec, rate=video.framerate, width=video.width, height=video.height
        )
        vstream.time_base = video.time_base
        # Audio: add_mux_stream cannot take extradata, and raw AAC carries
        # none in band; a (never used) AAC encoder context carries it.
        astream = container.add_stream(audio.codec, rate=audio.sample_rate)
        actx = astream.codec_context
        assert isinstance(actx, av.AudioCodecContext)
        actx.layout = audio.layout
        actx.bit_rate = audio.bit_rate
        actx.extradata = audio.extradata
        astream.time_base = audio.time_base
        self._container, self._video, self._audio = container, vstream, astream

    def on_video_packet(self, packet: av.Packet[Stream]) -> None:
        """Mux one video packet."""
        assert self._container is not None
        assert self._video is not None
        packet.stream = self._video
        self._container.mux(packet)

    def on_audio_packet(self, packet: av.Packet[Stream]) -> None:
        """Mux one audio packet."""
        assert self._container is not None
        assert self._audio is not None
        packet.stream = self._audio
        self._container.mux(packet)

    def on_end(self) -> None:
        """Write the last segment and the ENDLIST playlist."""
        if self._container is not None:
            self._container.close()
            self._container = None
