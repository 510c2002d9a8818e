"""The media half of the compositor: filter graph, audio mix, encoders.

Everything here is synchronous PyAV; the clock and threads live in
``compositor.py``. No numpy (PyAV does not depend on it), so video is
composed by an FFmpeg filter graph and audio is summed with ``array``.
"""

from __future__ import annotations

import fractions
import operator
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import av
import av.filter

from .layout import Placement, Rect, Size, Tile

__all__ = [
    "AUDIO_CHANNELS",
    "AUDIO_FRAME_SAMPLES",
    "AUDIO_LAYOUT",
    "AUDIO_RATE",
    "AudioMixer",
    "EncoderSettings",
    "VideoComposer",
    "open_audio_encoder",
    "open_video_encoder",
]

AUDIO_RATE = 48_000
AUDIO_LAYOUT = "stereo"
AUDIO_CHANNELS = 2
AUDIO_FRAME_SAMPLES = 1024  # AAC-LC frame size
# Mixed audio older than this is dropped: a publisher whose clock runs
# fast must not make the composite drift further and further behind.
_MAX_AUDIO_BACKLOG = AUDIO_RATE // 2
# Black in limited-range BT.601 (yuv420p).
_BACKGROUND = (16, 128, 128)
# Tiles without video (stopped, or no frame yet) show as dark grey.
_BLANK_TILE = "0x303030"


@dataclass(frozen=True, slots=True, kw_only=True)
class EncoderSettings:
    """The EncoderConfiguration's video settings plus the encoder's knobs.

    ``preset``/``tune``/``threads`` trade quality for speed (see NOTES.md
    for measured figures); ``keyframe_interval_seconds`` fixes the GOP so
    HLS segments start on keyframes at a steady pace.
    """

    width: int = 1280
    height: int = 720
    framerate: int = 30
    bitrate: int = 2_500_000
    preset: str = "ultrafast"
    tune: str = "zerolatency"
    threads: int = 1
    keyframe_interval_seconds: int = 2
    audio_bitrate: int = 128_000

    @property
    def canvas(self) -> Size:
        """The composite's frame size."""
        return Size(self.width, self.height)

    @property
    def time_base(self) -> fractions.Fraction:
        """One tick per output frame."""
        return fractions.Fraction(1, self.framerate)


def open_video_encoder(settings: EncoderSettings) -> av.VideoCodecContext:
    """An opened libx264 encoder for the settings.

    No global header: SPS/PPS go in band on every keyframe, so each HLS
    segment (and a writer that starts late) can decode on its own.
    Scene-cut keyframes are off so that GOPs, hence segments, stay regular.
    """
    enc = av.CodecContext.create("libx264", "w")
    assert isinstance(enc, av.VideoCodecContext)
    enc.width = settings.width
    enc.height = settings.height
    enc.pix_fmt = "yuv420p"
    enc.time_base = settings.time_base
    enc.framerate = fractions.Fraction(settings.framerate, 1)
    enc.bit_rate = settings.bitrate
    enc.thread_count = settings.threads
    keyint = settings.framerate * settings.keyframe_interval_seconds
    kbps = max(1, settings.bitrate // 1000)
    enc.options = {
        "preset": settings.preset,
        "tune": settings.tune,
        "x264-params": (
            f"keyint={keyint}:min-keyint={keyint}:scenecut=0"
            f":vbv-maxrate={kbps}:vbv-bufsize={kbps * 2}"
        ),
    }
    enc.open()
    return enc


def open_audio_encoder(settings: EncoderSettings) -> av.AudioCodecContext:
    """An opened AAC-LC encoder, 48 kHz stereo."""
    enc = av.CodecContext.create("aac", "w")
    assert isinstance(enc, av.AudioCodecContext)
    enc.sample_rate = AUDIO_RATE
    enc.layout = AUDIO_LAYOUT
    enc.format = "fltp"
    enc.bit_rate = settings.audio_bitrate
    enc.time_base = fractions.Fraction(1, AUDIO_RATE)
    enc.open()
    return enc


def _solid_frame(size: Size, yuv: tuple[int, int, int]) -> av.VideoFrame:
    frame = av.VideoFrame(size.width, size.height, "yuv420p")
    for plane, value in zip(frame.planes, yuv, strict=True):
        plane.update(bytes([value]) * plane.buffer_size)
    return frame


@dataclass(frozen=True, slots=True)
class _Input:
    participant_id: str
    size: Size
    pix_fmt: str
    placement: Placement


def _graph_key(
    canvas: Size, inputs: Sequence[_Input], blanks: Sequence[Rect]
) -> tuple[object, ...]:
    return (canvas, tuple(inputs), tuple(blanks))


class VideoComposer:
    """Turns the current input frames and the tiles into one canvas frame.

    One filter graph per layout: a background buffer, grey boxes for
    blank tiles, then per input scale -> crop -> overlay, in paint order.
    The graph is rebuilt only when the tiles or an input's size/format
    change (a join, a leave, a resolution switch): building costs about a
    millisecond, pushing frames through a built graph is the hot path.
    """

    def __init__(self, canvas: Size, time_base: fractions.Fraction) -> None:
        self._canvas = canvas
        self._time_base = time_base
        self._background = _solid_frame(canvas, _BACKGROUND)
        self._key: tuple[object, ...] | None = None
        self._graph: av.filter.Graph | None = None
        self._sources: list[tuple[str, av.filter.FilterContext]] = []
        self._base: av.filter.FilterContext | None = None
        self._sink: av.filter.FilterContext | None = None
        self.rebuilds = 0

    def compose(
        self, tiles: Sequence[Tile], frames: Mapping[str, av.VideoFrame], pts: int
    ) -> av.VideoFrame:
        """The canvas for output tick ``pts``, from each participant's latest frame."""
        inputs: list[_Input] = []
        blanks: list[Rect] = []
        for tile in tiles:
            frame = frames.get(tile.participant_id)
            if tile.placement is None or frame is None:
                blanks.append(tile.cell)
                continue
            size = Size(frame.width, frame.height)
            inputs.append(_Input(tile.participant_id, size, frame.format.name, tile.placement))
        key = _graph_key(self._canvas, inputs, blanks)
        if key != self._key:
            self._build(inputs, blanks)
            self._key = key
        assert self._base is not None
        assert self._sink is not None
        # Input frames are pushed untouched (the media plane may share them
        # with a recorder): a setpts=N after each source gives every input
        # the same tick count, which is all overlay needs to pair them.
        self._base.push(self._background)
        for participant_id, source in self._sources:
            source.push(frames[participant_id])
        out = self._sink.pull()
        assert isinstance(out, av.VideoFrame)
        out.pts = pts
        out.time_base = self._time_base
        return out

    def _build(self, inputs: Sequence[_Input], blanks: Sequence[Rect]) -> None:
        graph = av.filter.Graph()
        canvas = self._canvas
        base = graph.add_buffer(
            width=canvas.width,
            height=canvas.height,
            format=av.VideoFormat("yuv420p"),
            time_base=self._time_base,
        )
        last = graph.add("setpts", "N")
        base.link_to(last)
        for cell in blanks:
            box = graph.add(
                "drawbox",
                f"x={cell.x}:y={cell.y}:w={cell.width}:h={cell.height}:color={_BLANK_TILE}@1:t=fill",
            )
            last.link_to(box)
            last = box
        sources: list[tuple[str, av.filter.FilterContext]] = []
        for item in inputs:
            src = graph.add_buffer(
                width=item.size.width,
                height=item.size.height,
                format=av.VideoFormat(item.pix_fmt),
                time_base=self._time_base,
            )
            ticks = graph.add("setpts", "N")
            src.link_to(ticks)
            p = item.placement
            # fast_bilinear: the cheapest swscale mode that still looks
            # right at tile sizes; this is an emulator, not a broadcast.
            scale = graph.add("scale", f"{p.scaled.width}:{p.scaled.height}:flags=fast_bilinear")
            ticks.link_to(scale)
            tail = scale
            if (p.crop.width, p.crop.height) != (p.scaled.width, p.scaled.height):
                crop = graph.add("crop", f"{p.crop.width}:{p.crop.height}:{p.crop.x}:{p.crop.y}")
                scale.link_to(crop)
                tail = crop
            overlay = graph.add("overlay", f"x={p.at[0]}:y={p.at[1]}:format=yuv420")
            last.link_to(overlay, 0, 0)
            tail.link_to(overlay, 0, 1)
            last = overlay
            sources.append((item.participant_id, src))
        sink = graph.add("buffersink")
        last.link_to(sink)
        graph.configure()
        self._graph, self._base, self._sink, self._sources = graph, base, sink, sources
        self.rebuilds += 1


class AudioMixer:
    """Mixes every participant's audio into 1024-sample 48 kHz stereo frames.

    Each input is resampled on arrival into its own FIFO; each output frame
    sums what every FIFO holds for that slot (silence for an input that has
    nothing yet). Summing in Python costs about 2 ms per output second per
    input, small next to the video encoder, and needs no graph rebuild
    when someone joins or leaves.
    """

    def __init__(self) -> None:
        self._fifos: dict[str, av.AudioFifo] = {}
        self._resamplers: dict[str, av.AudioResampler] = {}

    def add(self, participant_id: str) -> None:
        """Start mixing a participant."""
        self._fifos[participant_id] = av.AudioFifo()
        self._resamplers[participant_id] = av.AudioResampler(
            format="fltp", layout=AUDIO_LAYOUT, rate=AUDIO_RATE
        )

    def remove(self, participant_id: str) -> None:
        """Stop mixing a participant; its unplayed audio is dropped."""
        self._fifos.pop(participant_id, None)
        self._resamplers.pop(participant_id, None)

    def push(self, participant_id: str, frame: av.AudioFrame) -> None:
        """Queue one input frame (any format, layout and rate)."""
        fifo = self._fifos.get(participant_id)
        resampler = self._resamplers.get(participant_id)
        if fifo is None or resampler is None:
            return
        for out in resampler.resample(frame):
            out.pts = None  # the FIFO checks pts continuity; arrival order is the timeline
            fifo.write(out)
        excess = fifo.samples - _MAX_AUDIO_BACKLOG
        if excess > 0:
            fifo.read(excess)

    def mix(self, pts: int) -> av.AudioFrame:
        """The next output frame, stamped ``pts`` (in samples)."""
        parts = [
            f
            for f in (fifo.read(AUDIO_FRAME_SAMPLES) for fifo in self._fifos.values())
            if f is not None
        ]
        if not parts:
            # A fresh frame each time: the encoder may still hold the last one.
            out = self._frame_from(array("f", bytes(4 * AUDIO_FRAME_SAMPLES)), array("f"))
        elif len(parts) == 1:
            out = parts[0]
        else:
            channels: list[array[float]] = []
            for index in range(AUDIO_CHANNELS):
                planes = [_samples(part, index) for part in parts]
                # map(operator.add) runs the loop in C: about 4x a comprehension.
                total: list[float] = list(map(operator.add, planes[0], planes[1]))
                for plane in planes[2:]:
                    total = list(map(operator.add, total, plane))
                channels.append(array("f", _clip(total)))
            out = self._frame_from(channels[0], channels[1])
        out.pts = pts
        out.time_base = fractions.Fraction(1, AUDIO_RATE)
        out.sample_rate = AUDIO_RATE
        return out

    @staticmethod
    def _frame_from(left: array[float], right: array[float]) -> av.AudioFrame:
        frame = av.AudioFrame(format="fltp", layout=AUDIO_LAYOUT, samples=AUDIO_FRAME_SAMPLES)
        frame.sample_rate = AUDIO_RATE
        if not right:
            right = left
        for plane, data in zip(frame.planes, (left, right), strict=True):
            raw = data.tobytes()
            plane.update(raw + bytes(plane.buffer_size - len(raw)))
        return frame


def _samples(frame: av.AudioFrame, channel: int) -> memoryview[float]:
    """One fltp channel as floats (the plane may be padded past the samples)."""
    return memoryview(frame.planes[channel]).cast("f")[:AUDIO_FRAME_SAMPLES]


def _clip(values: list[float]) -> list[float]:
    # Summed voices can exceed full scale; clip rather than wrap. Checking
    # first keeps the common, quiet case at two C-speed passes.
    if max(values) <= 1.0 and min(values) >= -1.0:
        return values
    return [min(1.0, max(-1.0, v)) for v in values]
