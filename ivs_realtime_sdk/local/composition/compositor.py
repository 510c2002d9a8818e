"""The compositor of one composition: live inputs in, encoded packets out.

Inputs are pushed (frames at whatever size and rate each publisher
sends); output is pulled by a clock at the encoder configuration's frame
rate, each tick taking every participant's latest frame. Sampling the
latest frame decouples the output rate from every input rate, and a
publisher that stalls simply freezes in its tile.

``render_next`` is synchronous and clock-free, so tests and the benchmark
drive it directly; ``run`` is the live loop, which renders in a worker
thread (PyAV releases the GIL while encoding) to keep the emulator's
event loop, and its WebRTC sessions, responsive.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterable, Callable, Mapping
from dataclasses import replace
from types import MappingProxyType

import av
from av.stream import Stream

from .layout import Layout, Participant, Size, Tile, compute_layout
from .media import (
    AUDIO_FRAME_SAMPLES,
    AUDIO_LAYOUT,
    AUDIO_RATE,
    AudioMixer,
    EncoderSettings,
    VideoComposer,
    open_audio_encoder,
    open_video_encoder,
)
from .sink import AudioStreamInfo, CompositeSink, VideoStreamInfo

__all__ = ["Compositor"]


class Compositor:
    """Composes a stage's publishers into one H.264 + AAC stream.

    Thread-safety: ``add_participant``, ``remove_participant``,
    ``set_video_stopped``, ``push_video`` and ``push_audio`` may be called
    from the event loop while ``render_next`` runs in a worker thread; one
    lock guards the shared state and is never held while encoding.
    """

    def __init__(
        self,
        layout: Layout,
        settings: EncoderSettings,
        sink: CompositeSink,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._layout = layout
        self._settings = settings
        self._sink = sink
        self._clock = clock
        self._lock = threading.Lock()
        self._participants: dict[str, Participant] = {}
        self._frames: dict[str, av.VideoFrame] = {}
        self._join_seq = 0
        self._idle_since: float | None = clock()
        self._composer = VideoComposer(settings.canvas, settings.time_base)
        self._mixer = AudioMixer()
        self._venc = open_video_encoder(settings)
        self._aenc = open_audio_encoder(settings)
        self._frames_out = 0
        self._samples_out = 0
        self._closed = False
        self._tiles: tuple[Tile, ...] = ()
        sink.on_start(
            VideoStreamInfo(
                codec="h264",
                width=settings.width,
                height=settings.height,
                framerate=settings.framerate,
                time_base=settings.time_base,
                bit_rate=settings.bitrate,
            ),
            AudioStreamInfo(
                codec="aac",
                sample_rate=AUDIO_RATE,
                layout=AUDIO_LAYOUT,
                time_base=self._aenc.time_base,
                bit_rate=settings.audio_bitrate,
                extradata=bytes(self._aenc.extradata or b""),
            ),
        )

    # -- participants -------------------------------------------------

    def add_participant(
        self, participant_id: str, attributes: Mapping[str, str] | None = None
    ) -> None:
        """A publisher joined: it gets a tile from the next frame on."""
        with self._lock:
            self._join_seq += 1
            self._participants[participant_id] = Participant(
                participant_id=participant_id,
                attributes=MappingProxyType(dict(attributes or {})),
                join_seq=self._join_seq,
            )
            self._mixer.add(participant_id)
            self._idle_since = None

    def remove_participant(self, participant_id: str) -> None:
        """A publisher left (or unpublished): its tile and audio go."""
        with self._lock:
            self._participants.pop(participant_id, None)
            self._frames.pop(participant_id, None)
            self._mixer.remove(participant_id)
            if not self._participants and self._idle_since is None:
                self._idle_since = self._clock()

    def set_video_stopped(self, participant_id: str, stopped: bool) -> None:
        """Video muted/stopped (omitStoppedVideo decides if the tile stays)."""
        with self._lock:
            current = self._participants.get(participant_id)
            if current is not None:
                self._participants[participant_id] = replace(current, video_stopped=stopped)

    def push_video(self, participant_id: str, frame: av.VideoFrame) -> None:
        """The participant's newest decoded frame; replaces the previous one."""
        with self._lock:
            current = self._participants.get(participant_id)
            if current is None:
                return
            self._frames[participant_id] = frame
            size = Size(frame.width, frame.height)
            if current.video_size != size:
                self._participants[participant_id] = replace(current, video_size=size)

    def push_audio(self, participant_id: str, frame: av.AudioFrame) -> None:
        """A decoded audio frame of the participant (any rate or layout)."""
        with self._lock:
            self._mixer.push(participant_id, frame)

    async def feed(
        self, participant_id: str, source: AsyncIterable[av.VideoFrame | av.AudioFrame]
    ) -> None:
        """Push every frame of ``source`` until it ends (the caller adds and removes)."""
        async for frame in source:
            if isinstance(frame, av.VideoFrame):
                self.push_video(participant_id, frame)
            else:
                self.push_audio(participant_id, frame)

    def idle_seconds(self) -> float:
        """Seconds without any publisher (0 while someone publishes).

        IVS stops a composition after 60 s of this; the emulator polls it
        and decides, so the rule lives with the composition's state.
        """
        with self._lock:
            since = self._idle_since
        return 0.0 if since is None else max(0.0, self._clock() - since)

    # -- output -------------------------------------------------------

    @property
    def frames_out(self) -> int:
        """Video frames rendered so far."""
        return self._frames_out

    @property
    def tiles(self) -> tuple[Tile, ...]:
        """The layout of the last rendered frame (for events, debugging, tests)."""
        return self._tiles

    @property
    def duration(self) -> float:
        """Seconds of output rendered so far."""
        return self._frames_out / self._settings.framerate

    def render_next(self) -> None:
        """Compose, encode and emit one output frame and the audio up to its end."""
        with self._lock:
            participants = list(self._participants.values())
            frames = dict(self._frames)
            tiles = compute_layout(self._settings.canvas, participants, self._layout)
            fps = self._settings.framerate
            audio_frames: list[av.AudioFrame] = []
            audio_due = (self._frames_out + 1) * AUDIO_RATE // fps
            while self._samples_out < audio_due:
                audio_frames.append(self._mixer.mix(self._samples_out))
                self._samples_out += AUDIO_FRAME_SAMPLES
        self._tiles = tiles
        canvas = self._composer.compose(tiles, frames, self._frames_out)
        self._frames_out += 1
        for packet in _encode(self._venc, canvas):
            self._sink.on_video_packet(packet)
        for audio in audio_frames:
            for packet in _encode(self._aenc, audio):
                self._sink.on_audio_packet(packet)

    def close(self) -> None:
        """Flush both encoders and end the sink; idempotent."""
        if self._closed:
            return
        self._closed = True
        for packet in _encode(self._venc, None):
            self._sink.on_video_packet(packet)
        for packet in _encode(self._aenc, None):
            self._sink.on_audio_packet(packet)
        self._sink.on_end()

    async def run(self, stop: asyncio.Event) -> None:
        """Render in real time until ``stop`` is set, then close.

        Frame n is due at start + n / framerate; a late loop renders the
        missed frames back to back, so the output lasts as long as the
        composition ran even if a render was slow; when ``stop`` is set, the
        frames due until then are rendered (a loaded machine finishes late,
        never short) before the encoders are flushed.
        """
        loop = asyncio.get_running_loop()
        start = loop.time()
        fps = self._settings.framerate
        try:
            while not stop.is_set():
                due = start + self._frames_out / fps
                delay = due - loop.time()
                if delay > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=delay)
                    continue
                await asyncio.to_thread(self.render_next)
            owed = int((loop.time() - start) * fps)
            if owed > self._frames_out:
                await asyncio.to_thread(self._render_until, owed)
        finally:
            await asyncio.to_thread(self.close)

    def _render_until(self, frames: int) -> None:
        """Render back to back until ``frames`` frames are out."""
        while self._frames_out < frames:
            self.render_next()


def _encode(
    encoder: av.VideoCodecContext | av.AudioCodecContext,
    frame: av.VideoFrame | av.AudioFrame | None,
) -> list[av.Packet[Stream]]:
    """The packets of one encode call (``None`` flushes), typed for the sink."""
    packets: list[av.Packet[Stream]] = encoder.encode(frame)  # type: ignore[arg-type]  # pyright: ignore[reportUnknownVariableType, reportArgumentType]
    return packets
