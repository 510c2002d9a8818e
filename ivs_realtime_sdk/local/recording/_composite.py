"""A composition's recording to S3: the composite's HLS, thumbnails and metadata.

IVS's composite recording (RealTimeUserGuide ``rt-composite-recording``)
writes under the S3 destination's ``recordingPrefix`` (which ends in
``/composite``)::

    events/recording-started.json, recording-ended.json (or recording-failed.json)
    media/hls/multivariant.m3u8
    media/hls/<height>p<framerate>/playlist.m3u8, init.mp4, 1.mp4, 2.mp4...
    media/thumbnails/<width>x<height>/1.jpg, 2.jpg...
    media/latest_thumbnail/<width>x<height>/thumb.jpg

One ``CompositeRecording`` per S3 destination; one sink per encoder
configuration (rendition), handed to that rendition's ``Compositor``. The
compositor's H.264 and AAC packets are remuxed into fMP4 (never
re-encoded) on the compositor's worker thread; every storage call runs on
one writer thread per recording, in order (a segment is written before the
playlist that names it), so neither the event loop nor the compositor
waits for S3.

Choices where IVS documents nothing: the init segment is ``init.mp4``;
segments are numbered from 1; a segment starts on a keyframe at or after
``target_segment_duration_seconds``; the first thumbnail is of the first
frame, then one per ``interval_seconds`` of media; thumbnails come from
the first rendition of each resolution.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import fractions
import logging
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs
import av
from av.error import FFmpegError
from av.stream import Stream

from ..composition.sink import AudioStreamInfo, CompositeSink, VideoStreamInfo
from ._fmp4 import Fragment, FragmentedMp4Muxer
from ._h264 import codec_string, is_keyframe, parameter_sets
from ._hls import Segment, Variant, media_playlist, multivariant_playlist_of, segment_name
from ._metadata import (
    HLS_PATH,
    LATEST_THUMBNAIL_PATH,
    MULTIVARIANT,
    PLAYLIST,
    THUMBNAILS_PATH,
    CompositeRenditionEntry,
    RecordingStatus,
    composite_metadata_document,
)
from ._settings import ThumbnailStorage
from ._storage import RecordingStorage, StorageError
from ._thumbnails import jpeg_from_keyframe

__all__ = [
    "CompositeRecording",
    "CompositeRendition",
    "CompositeTarget",
    "CompositeThumbnails",
    "composite_settings",
    "rendition_names",
]

_log = logging.getLogger("ivs_realtime_sdk.local.recording")

_JSON = "application/json"
_M3U8 = "application/x-mpegURL"
_MP4 = "video/mp4"
_JPEG = "image/jpeg"
INIT_SEGMENT = "init.mp4"
AAC_LC = "mp4a.40.2"
DEFAULT_TARGET_SEGMENT_SECONDS = 2
_VIDEO_RATE = 90000
_AUDIO_RATE = 48000
_PENDING_AUDIO_LIMIT = 500  # AAC frames (about 10 s) held until the first keyframe


def _in_range(low: int, high: int) -> Any:
    # attrs has no public name for a validator type; its stubs check the call.
    return attrs.validators.and_(attrs.validators.ge(low), attrs.validators.le(high))


@attrs.frozen(kw_only=True)
class CompositeRendition:
    """One encoder configuration of the S3 destination: one HLS rendition."""

    encoder_configuration_arn: str
    width: int
    height: int
    framerate: int
    bitrate: int


@attrs.frozen(kw_only=True)
class CompositeThumbnails:
    """The destination's ``thumbnailConfigurations[0]``; defaults are IVS's."""

    interval_seconds: int = attrs.field(default=60, validator=_in_range(1, 86400))
    """``targetIntervalSeconds``: seconds of media between two thumbnails."""
    storage: frozenset[ThumbnailStorage] = frozenset({ThumbnailStorage.SEQUENTIAL})
    """SEQUENTIAL keeps every thumbnail (1.jpg, 2.jpg...); LATEST keeps thumb.jpg."""


@attrs.frozen(kw_only=True)
class CompositeTarget:
    """Where the composite goes and whose it is."""

    stage_arn: str
    """The composed stage (the metadata's ``stage_arn``)."""
    bucket: str
    """The storage configuration's bucket."""
    prefix: str
    """The destination's ``recordingPrefix``, ending with ``/composite``."""


def composite_settings(
    s3_destination_configuration: Mapping[str, Any],
) -> tuple[int, CompositeThumbnails | None]:
    """Segment target and thumbnails of an S3 destination configuration (API shape).

    ``recordingConfiguration.hlsConfiguration.targetSegmentDurationSeconds``
    defaults to 2. The API reference gives defaults for each field of a
    ``CompositionThumbnailConfiguration`` (60 s, SEQUENTIAL) but says
    nothing of an absent ``thumbnailConfigurations`` list; the emulator
    takes an absent list as one default configuration (thumbnails every
    60 s, SEQUENTIAL), and an empty list, or an empty ``storage``, as no
    thumbnails.
    """
    recording: Mapping[str, Any] = s3_destination_configuration.get("recordingConfiguration") or {}
    hls: Mapping[str, Any] = recording.get("hlsConfiguration") or {}
    target = int(hls.get("targetSegmentDurationSeconds", DEFAULT_TARGET_SEGMENT_SECONDS))
    configurations: Sequence[Mapping[str, Any]] | None = s3_destination_configuration.get(
        "thumbnailConfigurations"
    )
    if configurations is None:
        return target, CompositeThumbnails()
    if not configurations:
        return target, None
    first = configurations[0]
    storage = frozenset(ThumbnailStorage(s) for s in first.get("storage", ["SEQUENTIAL"]))
    if not storage:
        return target, None
    interval = int(first.get("targetIntervalSeconds", 60))
    return target, CompositeThumbnails(interval_seconds=interval, storage=storage)


def rendition_names(renditions: Sequence[CompositeRendition]) -> list[str]:
    """``<height>p<framerate>`` each; a repeated name gets ``-2``, ``-3``... in order."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for rendition in renditions:
        base = f"{rendition.height}p{rendition.framerate}"
        count = seen.get(base, 0) + 1
        seen[base] = count
        names.append(base if count == 1 else f"{base}-{count}")
    return names


class _State(enum.Enum):
    IDLE = "IDLE"
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"
    FAILED = "FAILED"


class _Writer:
    """One thread that runs storage jobs in the order they were submitted."""

    def __init__(self, name: str, on_failure: Callable[[StorageError], None]) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._on_failure = on_failure
        self.failed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, job: Callable[[], None]) -> None:
        self._jobs.put(job)

    def close(self) -> None:
        """Run what is queued, then stop (blocking: call it on a thread)."""
        self._jobs.put(None)
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self.failed:
                continue  # after a refused write, nothing more is written
            try:
                job()
            except StorageError as exc:
                self.failed = True
                self._on_failure(exc)
            except FFmpegError as exc:
                # A thumbnail that does not encode is skipped, not a failed recording.
                _log.warning("composite recording: thumbnail skipped (%s)", exc)
            except Exception:  # a bug must not stop the files that follow
                _log.exception("composite recording: a write job failed")


class _RenditionSink:
    """A ``CompositeSink`` for one rendition: remuxes, cuts segments, picks thumbnails.

    Called from the compositor's worker thread, one call at a time.
    """

    def __init__(
        self,
        recording: CompositeRecording,
        rendition: CompositeRendition,
        path: str,
        *,
        takes_thumbnails: bool,
    ) -> None:
        self._recording = recording
        self.rendition = rendition
        self.path = path
        self.takes_thumbnails = takes_thumbnails
        self.segments: list[Segment] = []
        self.codecs: list[str] = []
        self.ended = False
        self._video: VideoStreamInfo | None = None
        self._audio: AudioStreamInfo | None = None
        self._muxer: FragmentedMp4Muxer | None = None
        self._init_sent = False
        self._origin: fractions.Fraction | None = None  # seconds of the first keyframe
        self._pending_audio: list[tuple[bytes, fractions.Fraction]] = []
        self._segment: list[Fragment] = []
        self._keyframes: list[float] = []  # seconds of keyframes muxed, not yet in a segment
        self._video_end = 0.0
        self._next_thumbnail = 0.0

    # ---- CompositeSink -------------------------------------------------------------

    def on_start(self, video: VideoStreamInfo, audio: AudioStreamInfo) -> None:
        """Remember the streams; the muxer opens on the first keyframe."""
        self._video = video
        self._audio = audio

    def on_video_packet(self, packet: av.Packet[Stream]) -> None:
        """One H.264 access unit, pts in 1/framerate."""
        if not self._recording.accepts_media or self.ended:
            return
        try:
            self._on_video(packet)
        except (FFmpegError, ValueError) as exc:
            # One bad access unit must not stop the compositor that feeds us.
            _log.warning("composite %s: video packet dropped (%s)", self.path, exc)

    def on_audio_packet(self, packet: av.Packet[Stream]) -> None:
        """One AAC frame, pts in 1/48000."""
        if not self._recording.accepts_media or self.ended:
            return
        try:
            self._on_audio(packet)
        except (FFmpegError, ValueError) as exc:
            _log.warning("composite %s: audio packet dropped (%s)", self.path, exc)

    def on_end(self) -> None:
        """Flush the muxer: the last segment and its playlist."""
        self.finish()

    # ---- media ---------------------------------------------------------------------

    def _seconds(
        self, packet: av.Packet[Stream], fallback: fractions.Fraction
    ) -> fractions.Fraction:
        if packet.pts is None:
            raise ValueError("a packet needs a pts")
        return packet.pts * (packet.time_base or fallback)

    def _on_video(self, packet: av.Packet[Stream]) -> None:
        video = self._video
        if video is None:
            raise ValueError("a video packet before on_start")
        data = bytes(packet)
        keyframe = packet.is_keyframe or is_keyframe(data)
        seconds = self._seconds(packet, video.time_base)
        if self._muxer is None:
            if not keyframe or parameter_sets(data) is None:
                return  # nothing decodes before the first IDR with SPS/PPS
            audio = self._audio
            self._muxer = FragmentedMp4Muxer(
                first_keyframe=data,
                audio=audio is not None,
                aac_config=audio.extradata if audio is not None else None,
                eager=True,
            )
            assert self._muxer.extradata is not None
            self.codecs = [codec_string(self._muxer.extradata)]
            if audio is not None:
                self.codecs.append(AAC_LC)
            self._origin = seconds
            pending, self._pending_audio = self._pending_audio, []
            for payload, at in pending:
                self._mux_audio(payload, at)
        assert self._origin is not None
        at = seconds - self._origin
        if at < 0:
            return
        self._video_end = max(self._video_end, float(at) + 1 / video.framerate)
        if self.takes_thumbnails and keyframe and float(at) + 1e-6 >= self._next_thumbnail:
            interval = self._recording.thumbnail_interval
            while self._next_thumbnail <= float(at) + 1e-6:
                self._next_thumbnail += interval
            self._recording.enqueue_thumbnail(self.rendition, data)
        pts = round(at * _VIDEO_RATE)
        if keyframe:
            self._keyframes.append(pts / _VIDEO_RATE)
        self._take(self._muxer.mux_video(data, pts, keyframe))

    def _on_audio(self, packet: av.Packet[Stream]) -> None:
        audio = self._audio
        if audio is None:
            raise ValueError("an audio packet before on_start")
        seconds = self._seconds(packet, audio.time_base)
        if self._muxer is None:
            if len(self._pending_audio) < _PENDING_AUDIO_LIMIT:
                self._pending_audio.append((bytes(packet), seconds))
            return
        self._mux_audio(bytes(packet), seconds)

    def _mux_audio(self, data: bytes, seconds: fractions.Fraction) -> None:
        assert self._muxer is not None
        assert self._origin is not None
        pts = round((seconds - self._origin) * _AUDIO_RATE)
        if pts < 0:
            # The AAC encoder's priming frame (pts -1024). A fragmented MP4 has
            # no edit list to hide it, and the muxer would shift every track
            # to make it non-negative; dropping it keeps audio and video on
            # one timeline, at the cost of the first 21 ms of decoder pre-roll.
            return
        self._take(self._muxer.mux_audio(data, pts))

    # ---- segments ------------------------------------------------------------------

    def _take(self, fragments: list[Fragment]) -> None:
        muxer = self._muxer
        if muxer is not None and muxer.init is not None and not self._init_sent:
            self._init_sent = True
            self._recording.enqueue_put(f"{HLS_PATH}/{self.path}/{INIT_SEGMENT}", muxer.init, _MP4)
        target = self._recording.target_segment_duration_seconds
        for fragment in fragments:
            if self._segment and fragment.start - self._segment[0].start >= target - 1e-6:
                self._finish_segment(fragment.start)
            self._segment.append(fragment)
            # A fragment runs from its keyframe to the next one, which the muxer
            # has already seen (it closed the fragment): a segment that reaches
            # the target there is complete now, not one fragment later.
            self._keyframes = [k for k in self._keyframes if k > fragment.start + 1e-6]
            if self._keyframes and self._keyframes[0] - self._segment[0].start >= target - 1e-6:
                self._finish_segment(self._keyframes[0])

    def _finish_segment(self, end: float) -> None:
        data = b"".join(f.data for f in self._segment)
        start = self._segment[0].start
        self._segment = []
        self._recording.add_segment(self, data, max(end - start, 0.0))

    def finish(self) -> None:
        """Close the muxer and write the last segment; idempotent."""
        if self.ended:
            return
        self.ended = True
        muxer = self._muxer
        if muxer is None or not self._recording.accepts_media:
            return
        try:
            fragments = muxer.close()
        except FFmpegError as exc:
            _log.warning("composite %s: the last fragment is lost (%s)", self.path, exc)
            fragments = []
        self._take(fragments)
        if self._segment:
            self._finish_segment(max(self._video_end, self._segment[-1].start))


class CompositeRecording:
    """Writes one composition's S3 destination as IVS's composite recording.

    Args:
        storage: where objects go (local directory or S3).
        target: stage, bucket and the destination's recording prefix.
        renditions: one per encoder configuration, in the destination's order.
        target_segment_duration_seconds: HLS segment target, 2 to 10.
        thumbnails: interval and storage, or None for no thumbnails.
        now: the wall clock for the metadata's timestamps.

    ``start()`` before the compositors' first packet, ``end()`` after every
    compositor closed. A ``StorageError`` while recording stops further
    media writes; ``end()`` then writes ``recording-failed.json``.
    """

    def __init__(
        self,
        *,
        storage: RecordingStorage,
        target: CompositeTarget,
        renditions: Sequence[CompositeRendition],
        target_segment_duration_seconds: int = DEFAULT_TARGET_SEGMENT_SECONDS,
        thumbnails: CompositeThumbnails | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not renditions:
            raise ValueError("a composite recording needs at least one rendition")
        if len(set(renditions)) != len(renditions):
            raise ValueError("the same rendition is listed twice")
        if not 2 <= target_segment_duration_seconds <= 10:
            raise ValueError("target_segment_duration_seconds must be 2 to 10")
        self._storage = storage
        self.target = target
        self._prefix = target.prefix.rstrip("/")
        self.target_segment_duration_seconds = target_segment_duration_seconds
        self.thumbnails = thumbnails if thumbnails is not None and thumbnails.storage else None
        self._now = now
        self._state = _State.IDLE
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.failure: StorageError | None = None
        self._lock = threading.Lock()
        self._sinks: dict[CompositeRendition, _RenditionSink] = {}
        thumbnail_sizes: set[tuple[int, int]] = set()
        for rendition, path in zip(renditions, rendition_names(renditions), strict=True):
            size = (rendition.width, rendition.height)
            takes = self.thumbnails is not None and size not in thumbnail_sizes
            thumbnail_sizes.add(size)
            self._sinks[rendition] = _RenditionSink(self, rendition, path, takes_thumbnails=takes)
        self._thumbnails_written: dict[tuple[int, int], int] = {}
        self._writer = _Writer(f"composite {self._prefix}", self._failed)

    def __repr__(self) -> str:
        return (
            f"CompositeRecording(bucket={self.target.bucket!r}, prefix={self._prefix!r}, "
            f"state={self._state.value})"
        )

    # ---- the interface -------------------------------------------------------------

    def sink(self, rendition: CompositeRendition) -> CompositeSink:
        """The sink to give the rendition's ``Compositor`` (the same one on every call)."""
        try:
            return self._sinks[rendition]
        except KeyError:
            raise ValueError(f"not a rendition of this recording: {rendition!r}") from None

    def rendition_path(self, rendition: CompositeRendition) -> str:
        """The rendition's folder under ``media/hls`` (``720p30``, ``720p30-2``...)."""
        sink = self._sinks.get(rendition)
        if sink is None:
            raise ValueError(f"not a rendition of this recording: {rendition!r}")
        return sink.path

    @property
    def duration_ms(self) -> int:
        """Duration of the HLS written so far (the first rendition's segments)."""
        first = next(iter(self._sinks.values()))
        with self._lock:
            return round(sum(s.duration for s in first.segments) * 1000)

    @property
    def thumbnail_interval(self) -> int:
        """Seconds of media between thumbnails (60 when none are taken)."""
        return self.thumbnails.interval_seconds if self.thumbnails is not None else 60

    @property
    def accepts_media(self) -> bool:
        """Whether media still goes to storage (started, not ended, nothing refused)."""
        return self._state is _State.ACTIVE and self.failure is None

    def key(self, relative: str) -> str:
        """The object key of a file under the recording prefix."""
        return f"{self._prefix}/{relative}"

    async def start(self) -> str | None:
        """Check the bucket and write ``recording-started.json``.

        Returns None on success, else the failure reason (safe to show),
        after writing ``recording-failed.json`` (RECORDING_START_FAILED)
        where the storage still takes it.
        """
        if self._state is not _State.IDLE:
            raise RuntimeError(f"start() on a recording that is {self._state.value}")
        self.started_at = self._now()
        try:
            await asyncio.to_thread(self._storage.check_bucket, self.target.bucket)
            await self._put_now(
                "events/recording-started.json", self._metadata(RecordingStatus.RECORDING_STARTED)
            )
        except StorageError as exc:
            self.failure = exc
            self._state = _State.FAILED
            with contextlib.suppress(StorageError):
                doc = self._metadata(RecordingStatus.RECORDING_START_FAILED, message=exc.reason)
                await self._put_now("events/recording-failed.json", doc)
            return exc.reason
        self._state = _State.ACTIVE
        self._writer.start()
        return None

    async def end(self) -> str | None:
        """Flush, write the final playlists and ``recording-ended.json``.

        Call after every compositor closed (their ``on_end`` ran); a sink
        whose compositor never ended is closed here. Returns None, or the
        failure reason after writing ``recording-failed.json`` where the
        storage still takes it. Idempotent.
        """
        if self._state is _State.FAILED:
            return self.failure.reason if self.failure is not None else None
        if self._state is _State.IDLE:
            self._state = _State.ENDED
            return None
        if self._state is _State.ENDED:
            return self.failure.reason if self.failure is not None else None
        for sink in self._sinks.values():
            if not sink.ended:
                await asyncio.to_thread(sink.finish)
        self._state = _State.ENDED
        self.ended_at = self._now()
        with self._lock:
            for sink in self._sinks.values():
                if sink.segments:
                    self._enqueue_playlists(sink, ended=True, multivariant=False)
            if any(sink.segments for sink in self._sinks.values()):
                self._enqueue_multivariant()
        await asyncio.to_thread(self._writer.close)
        if self.failure is None:
            try:
                doc = self._metadata(RecordingStatus.RECORDING_ENDED, message="Recording ended")
                await self._put_now("events/recording-ended.json", doc)
            except StorageError as exc:
                self.failure = exc
        if self.failure is None:
            return None
        with contextlib.suppress(StorageError):
            doc = self._metadata(
                RecordingStatus.RECORDING_ENDED_WITH_FAILURE, message=self.failure.reason
            )
            await self._put_now("events/recording-failed.json", doc)
        return self.failure.reason

    # ---- from the sinks (compositor threads) ---------------------------------------

    def enqueue_put(self, relative: str, data: bytes, content_type: str) -> None:
        """Write one object on the writer thread, after everything queued before it."""
        self._writer.submit(lambda: self._put(relative, data, content_type))

    def add_segment(self, sink: _RenditionSink, data: bytes, duration: float) -> None:
        """A rendition's segment is complete: write it, then its playlist."""
        with self._lock:
            segment = Segment(
                number=len(sink.segments) + 1, run=1, duration=duration, size=len(data)
            )
            sink.segments.append(segment)
            self.enqueue_put(f"{HLS_PATH}/{sink.path}/{segment_name(segment.number)}", data, _MP4)
            self._enqueue_playlists(sink, ended=False, multivariant=segment.number == 1)

    def enqueue_thumbnail(self, rendition: CompositeRendition, keyframe: bytes) -> None:
        """Decode the keyframe and store it as JPEG, on the writer thread."""
        thumbnails = self.thumbnails
        if thumbnails is None:
            return
        folder = f"{rendition.width}x{rendition.height}"
        size = (rendition.width, rendition.height)

        def job() -> None:
            jpeg = jpeg_from_keyframe(keyframe)
            if jpeg is None:
                return
            number = self._thumbnails_written.get(size, 0) + 1
            if ThumbnailStorage.SEQUENTIAL in thumbnails.storage:
                self._put(f"{THUMBNAILS_PATH}/{folder}/{number}.jpg", jpeg, _JPEG)
            if ThumbnailStorage.LATEST in thumbnails.storage:
                self._put(f"{LATEST_THUMBNAIL_PATH}/{folder}/thumb.jpg", jpeg, _JPEG)
            self._thumbnails_written[size] = number

        self._writer.submit(job)

    # ---- internals -----------------------------------------------------------------

    def _enqueue_playlists(self, sink: _RenditionSink, *, ended: bool, multivariant: bool) -> None:
        # Under self._lock: the texts are rendered now, in queue order.
        text = media_playlist(
            list(sink.segments),
            target=self.target_segment_duration_seconds,
            ended=ended,
            init=lambda _run: INIT_SEGMENT,
        )
        self.enqueue_put(f"{HLS_PATH}/{sink.path}/{PLAYLIST}", text.encode(), _M3U8)
        if multivariant:
            self._enqueue_multivariant()

    def _enqueue_multivariant(self) -> None:
        # Under self._lock. Only renditions with a segment: a player must find each one.
        variants: list[Variant] = []
        for sink in self._sinks.values():
            if not sink.segments:
                continue
            peak = max(
                (s.size * 8 / s.duration for s in sink.segments if s.duration > 0), default=0
            )
            rendition = sink.rendition
            variants.append(
                Variant(
                    uri=f"{sink.path}/{PLAYLIST}",
                    codecs=list(sink.codecs),
                    bandwidth=round(peak) or rendition.bitrate,
                    resolution=(rendition.width, rendition.height),
                    frame_rate=float(rendition.framerate),
                )
            )
        text = multivariant_playlist_of(variants)
        self.enqueue_put(f"{HLS_PATH}/{MULTIVARIANT}", text.encode(), _M3U8)

    def _failed(self, exc: StorageError) -> None:
        _log.warning("composite recording %s: %s", self._prefix, exc)
        if self.failure is None:
            self.failure = exc

    def _metadata(self, status: RecordingStatus, *, message: str | None = None) -> bytes:
        return composite_metadata_document(
            stage_arn=self.target.stage_arn,
            status=status,
            started_at=self.started_at,
            renditions=[
                CompositeRenditionEntry(path=s.path, width=r.width, height=r.height)
                for r, s in self._sinks.items()
            ],
            thumbnail_storage=self.thumbnails.storage if self.thumbnails else frozenset(),
            ended_at=self.ended_at or self._now(),
            duration_ms=self.duration_ms,
            status_message=message,
        )

    def _put(self, relative: str, data: bytes, content_type: str) -> None:
        self._storage.put(self.target.bucket, self.key(relative), data, content_type)

    async def _put_now(self, relative: str, data: bytes) -> None:
        await asyncio.to_thread(self._put, relative, data, _JSON)
