"""One run of a recording as fragmented MP4: an init segment, then keyframe-aligned fragments.

PyAV's mp4 muxer (``frag_keyframe+empty_moov+default_base_moof``) writes
into memory; the bytes are cut at top-level box boundaries, so the init
segment is ``ftyp+moov`` and each fragment is one ``moof+mdat`` that starts
on a video keyframe. The fragment's start time is read back from its
``tfdt`` box, so segment durations are what a player will see, not what
the recorder believes it fed. Packets are remuxed, never re-encoded.
"""

from __future__ import annotations

import fractions
import io
import struct
from collections.abc import Iterator

import attrs
import av
from av.container import OutputContainer
from av.stream import Stream

from ._h264 import parameter_sets

__all__ = ["Fragment", "FragmentedMp4Muxer", "VIDEO_TIME_BASE", "AUDIO_TIME_BASE"]

VIDEO_TIME_BASE = fractions.Fraction(1, 90000)
AUDIO_TIME_BASE = fractions.Fraction(1, 48000)
_MUX_OPTIONS_VIDEO = {"movflags": "frag_keyframe+empty_moov+default_base_moof"}
# Audio only has no keyframes to cut at (every Opus packet is one): cut by time.
_MUX_OPTIONS_AUDIO = {"movflags": "empty_moov+default_base_moof", "frag_duration": "1000000"}
# A track that stalls must not hold the other back for ffmpeg's default 10 s.
_INTERLEAVE = {"max_interleave_delta": "1000000"}


@attrs.frozen
class Fragment:
    """One ``moof+mdat``: ``start`` in seconds on the run's timeline."""

    data: bytes
    start: float


class _Memory:
    """The muxer's output file: append-only, so the muxer never seeks back."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        return len(data)


def _boxes(
    data: bytes | bytearray, start: int = 0, end: int | None = None
) -> Iterator[tuple[bytes, int, int]]:
    """(type, offset, size) of each complete box in ``data[start:end]``."""
    end = len(data) if end is None else end
    offset = start
    while offset + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, offset)
        header = 8
        if size == 1:
            if offset + 16 > end:
                return
            (size,) = struct.unpack_from(">Q", data, offset + 8)
            header = 16
        if size < header or offset + size > end:
            return
        yield kind, offset, size
        offset += size


def decode_times(moof: bytes) -> dict[int, int]:
    """track_ID -> baseMediaDecodeTime of each ``traf`` in a ``moof``."""
    times: dict[int, int] = {}
    for kind, off, size in _boxes(moof, 8, len(moof)):
        if kind != b"traf":
            continue
        track: int | None = None
        decode: int | None = None
        for child, coff, _ in _boxes(moof, off + 8, off + size):
            if child == b"tfhd":
                (track,) = struct.unpack_from(">I", moof, coff + 12)
            elif child == b"tfdt":
                version = moof[coff + 8]
                fmt = ">Q" if version == 1 else ">I"
                (decode,) = struct.unpack_from(fmt, moof, coff + 12)
        if track is not None and decode is not None:
            times[track] = decode
    return times


class FragmentedMp4Muxer:
    """Remuxes one run's H.264 and Opus (or AAC) packets into fMP4 pieces.

    Args:
        first_keyframe: the run's first video access unit (Annex B, an IDR
            with SPS/PPS), or None for an audio-only run.
        audio: whether the run has an audio track (Opus unless ``aac_config``).
        aac_config: the AudioSpecificConfig of an AAC-LC 48 kHz stereo
            track; given, the audio track is AAC rather than Opus (raw AAC
            frames carry no configuration, so the init segment needs it).
        eager: hand a fragment over as soon as its ``mdat`` is complete,
            rather than when the next ``moof`` shows that nothing follows it
            (one fragment sooner; the bytes are the same).
    """

    def __init__(
        self,
        *,
        first_keyframe: bytes | None,
        audio: bool,
        aac_config: bytes | None = None,
        eager: bool = False,
    ) -> None:
        if first_keyframe is None and not audio:
            raise ValueError("a run needs a video or an audio track")
        self._memory = _Memory()
        options = _MUX_OPTIONS_VIDEO if first_keyframe is not None else _MUX_OPTIONS_AUDIO
        self._container: OutputContainer = av.open(
            self._memory, "w", format="mp4", options={**options, **_INTERLEAVE}
        )
        self.video: Stream | None = None
        self.audio: Stream | None = None
        self.width = 0
        self.height = 0
        self.extradata: bytes | None = None
        if first_keyframe is not None:
            self._add_video(first_keyframe)
        if audio and aac_config is not None:
            # An (unopened) encoder context only carries the parameters to the muxer.
            aac_stream = self._container.add_stream("aac", rate=48000)
            aac_stream.codec_context.layout = "stereo"
            aac_stream.codec_context.extradata = aac_config
            aac_stream.time_base = AUDIO_TIME_BASE
            self.audio = aac_stream
        elif audio:
            audio_stream = self._container.add_stream("libopus", rate=48000)
            audio_stream.codec_context.layout = "stereo"  # WebRTC signals opus/48000/2
            audio_stream.time_base = AUDIO_TIME_BASE
            self.audio = audio_stream
        self._eager = eager
        self._parsed = 0
        self.init: bytes | None = None
        self._pending: list[bytes] = []

    def _add_video(self, first_keyframe: bytes) -> None:
        extradata = parameter_sets(first_keyframe)
        if extradata is None:
            raise ValueError("the first video access unit carries no SPS/PPS")
        # A template stream (probed from the keyframe itself) gives the
        # muxer codec parameters without opening an encoder.
        with av.open(io.BytesIO(first_keyframe), format="h264") as probe:
            template = probe.streams.video[0]
            stream = self._container.add_stream_from_template(template)
            self.width = template.codec_context.width
            self.height = template.codec_context.height
        stream.codec_context.extradata = extradata
        stream.time_base = VIDEO_TIME_BASE
        self.extradata = extradata
        self.video = stream

    @property
    def _reference(self) -> Stream:
        stream = self.video or self.audio
        assert stream is not None  # __init__ refuses a run with neither
        return stream

    def mux_video(self, data: bytes, pts: int, keyframe: bool) -> list[Fragment]:
        """Mux one access unit; ``pts`` in 1/90000 s from the run's start."""
        if self.video is None:
            return []
        packet = av.Packet(data)
        packet.pts = packet.dts = pts
        packet.time_base = VIDEO_TIME_BASE
        packet.is_keyframe = keyframe
        packet.stream = self.video
        self._container.mux(packet)
        return self._collect()

    def mux_audio(self, data: bytes, pts: int) -> list[Fragment]:
        """Mux one Opus (or AAC) packet; ``pts`` in 1/48000 s from the run's start."""
        if self.audio is None:
            return []
        packet = av.Packet(data)
        packet.pts = packet.dts = pts
        packet.time_base = AUDIO_TIME_BASE
        packet.stream = self.audio
        self._container.mux(packet)
        return self._collect()

    def close(self) -> list[Fragment]:
        """Flush the last fragment; the trailer (``mfra``) is not part of any segment."""
        self._container.close()
        return self._collect(final=True)

    def _collect(self, final: bool = False) -> list[Fragment]:
        buffer = self._memory.buffer
        fragments: list[Fragment] = []
        for kind, off, size in _boxes(buffer, self._parsed):
            box = bytes(buffer[off : off + size])
            self._parsed = off + size
            if self.init is None and kind != b"moof":
                self._pending.append(box)
                continue
            if self.init is None:
                self.init = b"".join(self._pending)
                self._pending = []
            if kind == b"moof":
                if self._pending:
                    fragments.append(self._fragment(self._pending))
                self._pending = [box]
            elif kind != b"mfra" and self._pending:
                self._pending.append(box)
                if self._eager and kind == b"mdat" and self._pending[0][4:8] == b"moof":
                    fragments.append(self._fragment(self._pending))
                    self._pending = []
        if final and self._pending and self.init is not None:
            fragments.append(self._fragment(self._pending))
            self._pending = []
        # What was parsed is no longer needed: keep memory flat over long runs.
        del buffer[: self._parsed]
        self._parsed = 0
        return fragments

    def _fragment(self, boxes: list[bytes]) -> Fragment:
        reference = self._reference
        times = decode_times(boxes[0])
        ticks = times.get(reference.index + 1, min(times.values(), default=0))
        time_base = reference.time_base
        assert time_base is not None  # set by the muxer when it wrote the header
        return Fragment(data=b"".join(boxes), start=float(ticks * time_base))
