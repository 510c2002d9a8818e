"""One participant's recording: fed media as it arrives, writes the documented files.

The emulator creates a ``ParticipantRecorder`` when a participant starts
publishing to a stage with auto participant recording, feeds it the
packets its WebRTC receiver already has (H.264 access units and Opus, as
``av.Packet``) or decoded frames, and tells it when the publisher leaves
or rejoins. Everything under the prefix is written by one worker task, in
order, on a thread (storage calls block): a segment is uploaded before the
playlist that names it, and the feed methods never wait for storage.

Lifecycle (``state``)::

    IDLE --start()--> ACTIVE --disconnected()--> PAUSED --window lapses--> ENDED
             |            ^                         |
             |            +------ reconnected() ----+
             +--(storage refuses)--> FAILED (Recording Start Failure)

A storage failure while recording stops media writes; the recording then
ends with ``recording-failed.json`` (where the storage still takes it) and
Recording End Failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import fractions
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs
import av
from av.audio.codeccontext import AudioCodecContext
from av.audio.frame import AudioFrame
from av.audio.resampler import AudioResampler
from av.error import FFmpegError
from av.video.codeccontext import VideoCodecContext
from av.video.frame import PictureType, VideoFrame

from ._fmp4 import AUDIO_TIME_BASE, VIDEO_TIME_BASE, Fragment, FragmentedMp4Muxer
from ._h264 import codec_string, is_keyframe, parameter_sets
from ._hls import Segment, init_name, media_playlist, multivariant_playlist, segment_name
from ._metadata import (
    HLS_PATH,
    LATEST_THUMBNAIL_PATH,
    MULTIVARIANT,
    PLAYLIST,
    RENDITION,
    THUMBNAILS_PATH,
    RecordingStatus,
    metadata_document,
    recording_prefix,
)
from ._settings import RecordingSettings, RecordingTarget, ThumbnailStorage
from ._storage import RecordingStorage, StorageError
from ._thumbnails import jpeg_from_frame, jpeg_from_keyframe

__all__ = ["ParticipantRecorder", "RecorderState", "RecordingEvent", "RecordingEventName"]

_log = logging.getLogger("ivs_realtime_sdk.local.recording")

_JSON = "application/json"
_M3U8 = "application/x-mpegURL"
_MP4 = "video/mp4"
_JPEG = "image/jpeg"
_WRAP = 1 << 32  # RTP timestamps wrap at 32 bits


class RecorderState(enum.StrEnum):
    """Where a recorder is in its lifecycle."""

    IDLE = "IDLE"
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    ENDED = "ENDED"
    FAILED = "FAILED"


class RecordingEventName(enum.StrEnum):
    """``event_name`` of "IVS Participant Recording State Change"."""

    START = "Recording Start"
    END = "Recording End"
    START_FAILURE = "Recording Start Failure"
    END_FAILURE = "Recording End Failure"


@attrs.frozen(kw_only=True)
class RecordingEvent:
    """What the emulator turns into an EventBridge event and GetParticipant's recording fields."""

    name: RecordingEventName
    """The event's ``event_name``."""
    bucket: str
    """``recording_s3_bucket_name``."""
    prefix: str
    """``recording_s3_key_prefix``."""
    reason: str | None = None
    """Why a failure happened (safe to show), None otherwise."""


class _Unwrap:
    """Turns 32-bit RTP timestamps into a monotonic count from the first one seen."""

    def __init__(self) -> None:
        self._first: int | None = None
        self._last = 0

    def __call__(self, ticks: int) -> int:
        if self._first is None:
            self._first = self._last = ticks
            return 0
        # The nearest unwrapped value to the last one: a jump of half the
        # range or more is a wrap, not a real gap.
        delta = (ticks - self._last) % _WRAP
        if delta >= _WRAP // 2:
            delta -= _WRAP
        self._last += delta
        return self._last - self._first


def _ticks(packet: av.Packet[Any], rate: int) -> int:
    if packet.pts is None:
        raise ValueError("a packet needs a pts")
    base = packet.time_base or fractions.Fraction(1, rate)
    return int(packet.pts * base * rate)


class _Run:
    """One connection's worth of media: its own muxer, init segment and timeline."""

    def __init__(self, number: int, *, hls_video: bool, hls_audio: bool, offset: float) -> None:
        self.number = number
        self.hls_video = hls_video
        self.hls_audio = hls_audio
        self.offset = offset  # seconds of earlier runs, for the thumbnail schedule
        self.origin: float | None = None  # monotonic time of the run's time zero
        self.muxer: FragmentedMp4Muxer | None = None
        self.init_sent = False
        self.video_clock = _Unwrap()
        self.audio_clock = _Unwrap()
        self.video_shift: int | None = None
        self.audio_shift: int | None = None
        self.segment: list[Fragment] = []
        self.end = 0.0  # seconds: end of the last packet muxed or seen
        self.last_video: int | None = None  # pts in ticks, for the last frame's duration
        self.last_audio: int | None = None


class ParticipantRecorder:
    """Writes one participant's individual recording under its IVS prefix.

    Args:
        storage: where objects go (local directory or S3).
        target: stage, session, participant and bucket.
        settings: the stage's recording settings.
        on_event: called with each Recording Start/End/Failure, on the loop.
        now: the wall clock for metadata timestamps and the prefix.
    """

    def __init__(
        self,
        *,
        storage: RecordingStorage,
        target: RecordingTarget,
        settings: RecordingSettings,
        on_event: Callable[[RecordingEvent], None] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._storage = storage
        self.target = target
        self.settings = settings
        self._on_event = on_event
        self._now = now
        self.state = RecorderState.IDLE
        self.prefix = ""
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.failure: StorageError | None = None
        self.segments: list[Segment] = []
        self.thumbnails_written = 0
        self._run: _Run | None = None
        self._runs = 0
        self._next_thumbnail = 0.0
        self._queue: asyncio.Queue[Callable[[], None] | None] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._window: asyncio.Task[None] | None = None
        self._ended = asyncio.Event()
        self._video_encoder: VideoCodecContext | None = None
        self._next_forced_key = 0.0
        self._audio_encoder: AudioCodecContext | None = None
        self._resampler: AudioResampler | None = None
        self._codecs: list[str] = []
        self._resolution: tuple[int, int] | None = None

    def __repr__(self) -> str:
        return (
            f"ParticipantRecorder(participant={self.target.participant_id!r}, "
            f"prefix={self.prefix!r}, state={self.state.value})"
        )

    # ---- lifecycle -------------------------------------------------------------------

    @property
    def duration_ms(self) -> int:
        """Duration of the HLS written so far, from the segments' own timestamps."""
        return round(sum(s.duration for s in self.segments) * 1000)

    def key(self, relative: str) -> str:
        """The object key of a file under this recording's prefix."""
        return f"{self.prefix}/{relative}"

    async def start(self, *, has_video: bool, has_audio: bool) -> bool:
        """Write ``recording-started.json``; False (and Start Failure) if the storage refuses.

        Args:
            has_video: the participant publishes a video track.
            has_audio: the participant publishes an audio track.
        """
        if self.state is not RecorderState.IDLE:
            raise RuntimeError(f"start() on a recorder that is {self.state.value}")
        self.started_at = self._now()
        self.prefix = recording_prefix(self.target, self.started_at)
        try:
            await asyncio.to_thread(self._storage.check_bucket, self.target.bucket)
            await self._put_now(
                "events/recording-started.json",
                self._metadata(RecordingStatus.RECORDING_STARTED),
                _JSON,
            )
        except StorageError as exc:
            self.failure = exc
            self.state = RecorderState.FAILED
            with contextlib.suppress(StorageError):
                doc = self._metadata(RecordingStatus.RECORDING_START_FAILED, message=exc.reason)
                await self._put_now("events/recording-failed.json", doc, _JSON)
            self._ended.set()
            self._emit(RecordingEventName.START_FAILURE, exc.reason)
            return False
        self.state = RecorderState.ACTIVE
        self._worker = asyncio.create_task(self._drain(), name=f"recording {self.prefix}")
        self._new_run(has_video=has_video, has_audio=has_audio)
        self._emit(RecordingEventName.START)
        return True

    async def disconnected(self) -> None:
        """The publisher left: close the current run, end once the reconnect window lapses."""
        if self.state is not RecorderState.ACTIVE:
            return
        self._close_run()
        self.state = RecorderState.PAUSED
        window = self.settings.reconnect_window_seconds
        if window <= 0:
            await self.end()
            return
        self._window = asyncio.create_task(self._end_after(window))

    async def reconnected(self, *, has_video: bool, has_audio: bool) -> bool:
        """The publisher rejoined: continue under the same prefix if the window is still open.

        Returns False when the recording already ended; the caller then
        starts a new recorder (a new prefix), as IVS does.
        """
        if self.state is not RecorderState.PAUSED:
            return False
        if self._window is not None:
            self._window.cancel()
            self._window = None
        self.state = RecorderState.ACTIVE
        self._new_run(has_video=has_video, has_audio=has_audio)
        return True

    async def end(self) -> None:
        """End now (stage deleted, emulator stopping): flush, then write the final metadata."""
        if self.state in {RecorderState.IDLE, RecorderState.ENDED, RecorderState.FAILED}:
            return
        if self._window is not None and self._window is not asyncio.current_task():
            self._window.cancel()
        self._window = None
        if self.state is RecorderState.ACTIVE:
            self._close_run()
        self.state = RecorderState.ENDED
        self.ended_at = self._now()
        if self.settings.records_hls and self.segments:
            self._enqueue_playlists(ended=True)
        self._queue.put_nowait(None)
        if self._worker is not None:
            await self._worker
        if self.failure is None:
            try:
                doc = self._metadata(RecordingStatus.RECORDING_ENDED, message="Recording ended")
                await self._put_now("events/recording-ended.json", doc, _JSON)
            except StorageError as exc:
                self.failure = exc
        if self.failure is not None:
            with contextlib.suppress(StorageError):
                doc = self._metadata(
                    RecordingStatus.RECORDING_ENDED_WITH_FAILURE, message=self.failure.reason
                )
                await self._put_now("events/recording-failed.json", doc, _JSON)
            self._emit(RecordingEventName.END_FAILURE, self.failure.reason)
        else:
            self._emit(RecordingEventName.END)
        self._ended.set()

    async def wait_ended(self) -> None:
        """Return once ended (or failed to start): all files are then complete."""
        await self._ended.wait()

    async def _end_after(self, window: float) -> None:
        await asyncio.sleep(window)
        await self.end()

    # ---- feeding ---------------------------------------------------------------------

    def feed_video_packet(self, packet: av.Packet[Any]) -> None:
        """One H.264 access unit (Annex B), pts in its ``time_base`` (RTP: 1/90000)."""
        run = self._run
        if run is None or self.state is not RecorderState.ACTIVE or self.failure is not None:
            return
        data = bytes(packet)
        try:
            self._on_video(
                run, data, run.video_clock(_ticks(packet, 90000)), is_keyframe(data), None
            )
        except (FFmpegError, ValueError) as exc:
            # One bad access unit must not stop the receiver that feeds us.
            _log.warning("recording %s: video packet dropped (%s)", self.prefix, exc)

    def feed_audio_packet(self, packet: av.Packet[Any]) -> None:
        """One Opus packet, pts in its ``time_base`` (RTP: 1/48000)."""
        run = self._run
        if run is None or self.state is not RecorderState.ACTIVE or self.failure is not None:
            return
        try:
            self._on_audio(run, bytes(packet), run.audio_clock(_ticks(packet, 48000)))
        except (FFmpegError, ValueError) as exc:
            _log.warning("recording %s: audio packet dropped (%s)", self.prefix, exc)

    def feed_video_frame(self, frame: VideoFrame) -> None:
        """A decoded frame (a publisher whose codec cannot be remuxed): encoded to H.264 here."""
        run = self._run
        if run is None or self.state is not RecorderState.ACTIVE or self.failure is not None:
            return
        encoder = self._video_encoder
        if encoder is None or (encoder.width, encoder.height) != (frame.width, frame.height):
            encoder = self._video_encoder = self._h264_encoder(frame.width, frame.height)
        seconds = (
            float(frame.pts * frame.time_base)
            if frame.pts is not None and frame.time_base
            else time.monotonic()
        )
        picture = frame.reformat(format="yuv420p")
        picture.pts = round(seconds * 90000)
        picture.time_base = VIDEO_TIME_BASE
        # A keyframe a second, whatever the frame rate: segments can only cut there.
        picture.pict_type = PictureType.I if seconds >= self._next_forced_key else PictureType.NONE
        if seconds >= self._next_forced_key:
            self._next_forced_key = seconds + 1.0
        encoded: list[av.Packet[Any]] = encoder.encode(picture)  # pyright: ignore[reportUnknownVariableType]
        for packet in encoded:
            if packet.pts is None:
                continue
            data = bytes(packet)
            self._on_video(run, data, run.video_clock(packet.pts), is_keyframe(data), frame)

    def feed_audio_frame(self, frame: AudioFrame) -> None:
        """Decoded audio: encoded to Opus here, so the rendition has one audio codec."""
        run = self._run
        if run is None or self.state is not RecorderState.ACTIVE or self.failure is not None:
            return
        if self._audio_encoder is None:
            encoder = av.CodecContext.create("libopus", "w")
            assert isinstance(encoder, AudioCodecContext)
            encoder.sample_rate = 48000
            encoder.layout = "stereo"
            encoder.format = "s16"
            encoder.time_base = AUDIO_TIME_BASE
            self._audio_encoder = encoder
            self._resampler = AudioResampler(
                format="s16", layout="stereo", rate=48000, frame_size=960
            )
        assert self._resampler is not None
        for chunk in self._resampler.resample(frame):
            encoded: list[av.Packet[Any]] = self._audio_encoder.encode(chunk)  # pyright: ignore[reportUnknownVariableType]
            for packet in encoded:
                if packet.pts is not None:
                    self._on_audio(run, bytes(packet), run.audio_clock(packet.pts))

    @staticmethod
    def _h264_encoder(width: int, height: int) -> VideoCodecContext:
        encoder = av.CodecContext.create("libx264", "w")
        assert isinstance(encoder, VideoCodecContext)
        encoder.width = width
        encoder.height = height
        encoder.pix_fmt = "yuv420p"
        encoder.time_base = VIDEO_TIME_BASE
        encoder.options = {
            "profile": "baseline",
            "preset": "ultrafast",
            "tune": "zerolatency",
            "x264-params": "scenecut=0:bframes=0",
        }
        return encoder

    def _mark_origin(self, run: _Run) -> float:
        now = time.monotonic()
        if run.origin is None:
            run.origin = now
        return now - run.origin

    def _on_video(
        self, run: _Run, data: bytes, ticks: int, keyframe: bool, frame: VideoFrame | None
    ) -> None:
        if run.video_shift is None:
            if not keyframe:
                return  # nothing decodes before the first IDR
            waits_for_audio = run.muxer is None and not run.hls_video and run.hls_audio
            if waits_for_audio:
                return  # audio-only HLS: the audio sets time zero; thumbnails follow it
            if run.hls_video and parameter_sets(data) is None:
                return  # the init segment needs SPS/PPS; senders repeat them
            run.video_shift = round(self._mark_origin(run) * 90000) - ticks
        pts = ticks + run.video_shift
        if pts < 0:
            return
        seconds = pts / 90000
        step = pts - run.last_video if run.last_video is not None and pts > run.last_video else 3000
        run.last_video = pts
        run.end = max(run.end, (pts + step) / 90000)
        if self.settings.takes_thumbnails and (keyframe or frame is not None):
            self._maybe_thumbnail(run.offset + seconds, data, frame)
        if not run.hls_video:
            return
        if run.muxer is None:
            run.muxer = FragmentedMp4Muxer(first_keyframe=data, audio=run.hls_audio)
            self._describe(run.muxer)
        elif keyframe and (sets := parameter_sets(data)) and sets != run.muxer.extradata:
            # New SPS/PPS (the sender changed resolution): the init segment no
            # longer describes the stream, so a new run starts here.
            self._split_run(run, data, ticks)
            return
        self._take(run, run.muxer.mux_video(data, pts, keyframe))

    def _split_run(self, run: _Run, data: bytes, ticks: int) -> None:
        self._close_run()
        self._new_run(has_video=run.hls_video, has_audio=run.hls_audio)
        fresh = self._run
        assert fresh is not None
        # Same connection, same RTP clocks.
        fresh.video_clock, fresh.audio_clock = run.video_clock, run.audio_clock
        self._on_video(fresh, data, ticks, True, None)

    def _on_audio(self, run: _Run, data: bytes, ticks: int) -> None:
        if not run.hls_audio:
            return
        if run.muxer is None:
            if run.hls_video:
                return  # the video's first keyframe opens the run
            run.muxer = FragmentedMp4Muxer(first_keyframe=None, audio=True)
            self._describe(run.muxer)
        if run.audio_shift is None:
            run.audio_shift = round(self._mark_origin(run) * 48000) - ticks
        pts = ticks + run.audio_shift
        if pts < 0:
            return
        step = pts - run.last_audio if run.last_audio is not None and pts > run.last_audio else 960
        run.last_audio = pts
        run.end = max(run.end, (pts + step) / 48000)
        self._take(run, run.muxer.mux_audio(data, pts))

    def _describe(self, muxer: FragmentedMp4Muxer) -> None:
        # The first run decides what the multivariant playlist announces.
        if self._codecs:
            return
        if muxer.extradata is not None:
            self._codecs.append(codec_string(muxer.extradata))
            self._resolution = (muxer.width, muxer.height)
        if muxer.audio is not None:
            self._codecs.append("Opus")

    # ---- segments and playlists ------------------------------------------------------

    def _take(self, run: _Run, fragments: list[Fragment]) -> None:
        muxer = run.muxer
        if muxer is not None and muxer.init is not None and not run.init_sent:
            run.init_sent = True
            self._enqueue_put(f"{HLS_PATH}/{RENDITION}/{init_name(run.number)}", muxer.init, _MP4)
        target = self.settings.target_segment_duration_seconds
        for fragment in fragments:
            if run.segment and fragment.start - run.segment[0].start >= target - 1e-6:
                self._finish_segment(run, fragment.start)
            run.segment.append(fragment)

    def _finish_segment(self, run: _Run, end: float) -> None:
        data = b"".join(f.data for f in run.segment)
        segment = Segment(
            number=len(self.segments) + 1,
            run=run.number,
            duration=max(end - run.segment[0].start, 0.0),
            size=len(data),
        )
        run.segment = []
        self.segments.append(segment)
        self._enqueue_put(f"{HLS_PATH}/{RENDITION}/{segment_name(segment.number)}", data, _MP4)
        self._enqueue_playlists(ended=False, multivariant=len(self.segments) == 1)

    def _enqueue_playlists(self, *, ended: bool, multivariant: bool = True) -> None:
        segments = list(self.segments)
        playlist = media_playlist(
            segments, target=self.settings.target_segment_duration_seconds, ended=ended
        )
        self._enqueue_put(f"{HLS_PATH}/{RENDITION}/{PLAYLIST}", playlist.encode(), _M3U8)
        if multivariant:
            peak = max((s.size * 8 / s.duration for s in segments if s.duration > 0), default=0.0)
            text = multivariant_playlist(
                rendition_uri=f"{RENDITION}/{PLAYLIST}",
                codecs=self._codecs,
                bandwidth=round(peak),
                resolution=self._resolution,
            )
            self._enqueue_put(f"{HLS_PATH}/{MULTIVARIANT}", text.encode(), _M3U8)

    def _new_run(self, *, has_video: bool, has_audio: bool) -> None:
        self._runs += 1
        offset = self._run.offset + self._run.end if self._run is not None else 0.0
        self._run = _Run(
            self._runs,
            hls_video=has_video and self.settings.records_video,
            hls_audio=has_audio and self.settings.records_hls,
            offset=offset,
        )

    def _close_run(self) -> None:
        run = self._run
        if run is None:
            return
        if self._video_encoder is not None:
            # Frames still inside the encoder belong to this run.
            flushed: list[av.Packet[Any]] = self._video_encoder.encode(None)  # pyright: ignore[reportUnknownVariableType]
            for packet in flushed:
                if packet.pts is not None:
                    data = bytes(packet)
                    self._on_video(run, data, run.video_clock(packet.pts), is_keyframe(data), None)
            self._video_encoder = None
            self._next_forced_key = 0.0
        self._audio_encoder = None
        self._resampler = None
        if run.muxer is not None:
            self._take(run, run.muxer.close())
            if run.segment:
                self._finish_segment(run, run.end)

    # ---- thumbnails ------------------------------------------------------------------

    def _maybe_thumbnail(self, at: float, data: bytes, frame: VideoFrame | None) -> None:
        if at + 1e-6 < self._next_thumbnail:
            return
        interval = self.settings.thumbnail_interval_seconds
        while self._next_thumbnail <= at + 1e-6:
            self._next_thumbnail += interval
        storage = self.settings.thumbnail_storage

        def job() -> None:
            # Decoding happens here, on the writer's thread, not in the feed path.
            jpeg = jpeg_from_frame(frame) if frame is not None else jpeg_from_keyframe(data)
            if jpeg is None:
                return
            if ThumbnailStorage.SEQUENTIAL in storage:
                number = self.thumbnails_written + 1
                self._put(f"{THUMBNAILS_PATH}/{RENDITION}/{number}.jpg", jpeg, _JPEG)
            if ThumbnailStorage.LATEST in storage:
                self._put(f"{LATEST_THUMBNAIL_PATH}/{RENDITION}/thumb.jpg", jpeg, _JPEG)
            self.thumbnails_written += 1

        self._queue.put_nowait(job)

    # ---- writing ---------------------------------------------------------------------

    def _metadata(self, status: RecordingStatus, *, message: str | None = None) -> bytes:
        return metadata_document(
            target=self.target,
            settings=self.settings,
            status=status,
            started_at=self.started_at,
            ended_at=self.ended_at or self._now(),
            duration_ms=self.duration_ms,
            status_message=message,
        )

    def _put(self, relative: str, data: bytes, content_type: str) -> None:
        self._storage.put(self.target.bucket, self.key(relative), data, content_type)

    async def _put_now(self, relative: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put, relative, data, content_type)

    def _enqueue_put(self, relative: str, data: bytes, content_type: str) -> None:
        self._queue.put_nowait(lambda: self._put(relative, data, content_type))

    async def _drain(self) -> None:
        while (job := await self._queue.get()) is not None:
            if self.failure is not None:
                continue  # after a refused write, nothing more is written
            try:
                await asyncio.to_thread(job)
            except StorageError as exc:
                _log.warning("recording %s: %s", self.prefix, exc)
                self.failure = exc
            except FFmpegError as exc:
                # A thumbnail that does not encode is skipped, not a failed recording.
                _log.warning("recording %s: thumbnail skipped (%s)", self.prefix, exc)

    def _emit(self, name: RecordingEventName, reason: str | None = None) -> None:
        if self._on_event is not None:
            self._on_event(
                RecordingEvent(
                    name=name, bucket=self.target.bucket, prefix=self.prefix, reason=reason
                )
            )
