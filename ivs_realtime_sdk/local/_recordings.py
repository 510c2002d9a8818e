"""The media plane's recorders: each publisher of a recording stage, written to storage.

For a publisher whose stage has ``autoParticipantRecordingConfiguration``,
the backend gives a :class:`~.backend.RecordingPlan`; a
:class:`~.recording.ParticipantRecorder` then remuxes the packets the media
plane already relays (a tee of each received track through the plane's
``MediaRelay``: nothing is decoded but the thumbnails' keyframes) into the
documented layout under ``<stageId>/<sessionId>/<participantId>/<timestamp>``.
What the recorder reports (Start, End, the failures, with that prefix) goes
back to the backend, which sets GetParticipant's recording fields and sends
the events. A rejoin of the same participant inside
``recordingReconnectWindowSeconds`` continues the same recording.

An RTMP(S) push is recorded the same way from the tracks the ingest gives the
media plane: its relayed Baseline H.264 packets are remuxed as they are; the
decoded frames of other profiles, and its decoded AAC, are encoded by the
recorder (H.264, Opus), so a rendition always has one video and one audio codec.
A push has no peer connection: the recording starts at its next keyframe.

Where it writes is the emulator's ``RecordingOutput``: boto3's S3 client
(with an endpoint URL, or AWS's own, which moto's ``mock_aws()`` intercepts
in-process), or a local directory laid out as ``<bucket>/<key>``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

import av
from aiortc import MediaStreamTrack, RTCPeerConnection
from aiortc.contrib.media import MediaRelay
from aiortc.mediastreams import MediaStreamError

from ._recording_files import s3_client
from .backend import Backend, RecordingPlan
from .recording import (
    LocalDirectoryStorage,
    MediaTypes,
    ParticipantRecorder,
    RecordingEvent,
    RecordingSettings,
    RecordingStorage,
    RecordingTarget,
    S3Storage,
    ThumbnailMode,
    ThumbnailStorage,
)

__all__ = ["Recordings", "open_storage", "request_keyframe", "settings_of"]

_log = logging.getLogger("ivs_realtime_sdk.local")


def open_storage(backend: Backend) -> RecordingStorage:
    """The storage recordings go to: an S3 API through boto3, or a local directory."""
    directory = backend.recordings_directory()
    if backend.recording_output.s3:
        return S3Storage(s3_client(backend))
    return LocalDirectoryStorage(str(directory), create_buckets=True)


def settings_of(configuration: Mapping[str, Any]) -> RecordingSettings:
    """The recorder's settings from a stage's ``autoParticipantRecordingConfiguration``."""
    media_types = configuration.get("mediaTypes") or ["AUDIO_VIDEO"]
    thumbnails: Mapping[str, Any] = configuration.get("thumbnailConfiguration") or {}
    hls: Mapping[str, Any] = configuration.get("hlsConfiguration") or {}
    storage = thumbnails.get("storage") or ["SEQUENTIAL"]
    return RecordingSettings(
        media_types=MediaTypes(media_types[0]),
        target_segment_duration_seconds=int(hls.get("targetSegmentDurationSeconds", 6)),
        thumbnail_mode=ThumbnailMode(thumbnails.get("recordingMode", "INTERVAL")),
        thumbnail_storage=frozenset(ThumbnailStorage(s) for s in storage),
        thumbnail_interval_seconds=int(thumbnails.get("targetIntervalSeconds", 60)),
        reconnect_window_seconds=int(configuration.get("recordingReconnectWindowSeconds", 0)),
    )


async def request_keyframe(pc: RTCPeerConnection) -> None:
    """Send the publisher a PLI: a recording or composite starts without waiting for an IDR."""
    for receiver in pc.getReceivers():
        if receiver.track.kind != "video":
            continue
        streams: dict[int, Any] = getattr(receiver, "_RTCRtpReceiver__remote_streams", {})
        send_pli = getattr(receiver, "_send_rtcp_pli", None)
        for ssrc in list(streams):
            if send_pli is not None:
                with contextlib.suppress(Exception):
                    await send_pli(ssrc)


class _Recording:
    """One participant's recorder and the tasks feeding it."""

    def __init__(self, plan: RecordingPlan, recorder: ParticipantRecorder) -> None:
        self.plan = plan
        self.recorder = recorder
        self.pumps: list[asyncio.Task[None]] = []


class Recordings:
    """Every recorder of one media plane, by stage and participant."""

    def __init__(self, backend: Backend, relay: MediaRelay) -> None:
        """Record ``backend``'s publishers, tapping tracks through ``relay``."""
        self._backend = backend
        self._relay = relay
        self._storage: RecordingStorage | None = None
        self._recordings: dict[tuple[str, str], _Recording] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def _storage_now(self) -> RecordingStorage:
        if self._storage is None:
            self._storage = open_storage(self._backend)
        return self._storage

    def publish_started(
        self,
        stage_arn: str,
        participant_id: str,
        pc: RTCPeerConnection | None,
        tracks: list[MediaStreamTrack],
    ) -> None:
        """A publisher started (a WHIP offer answered, an RTMP push accepted): record it
        if its stage records; ``pc`` is None for a push (no keyframe can be asked for)."""
        plan = self._backend.recording_plan(stage_arn, participant_id)
        if plan is None:
            return
        task = asyncio.create_task(self._start(plan, pc, tracks))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _start(
        self, plan: RecordingPlan, pc: RTCPeerConnection | None, tracks: list[MediaStreamTrack]
    ) -> None:
        key = (plan.stage_arn, plan.participant_id)
        kinds = {t.kind for t in tracks}
        has_video, has_audio = "video" in kinds, "audio" in kinds
        existing = self._recordings.get(key)
        if existing is not None and await existing.recorder.reconnected(
            has_video=has_video, has_audio=has_audio
        ):
            recording = existing
        else:
            recording = self._new(plan)
            self._recordings[key] = recording
            if not await recording.recorder.start(has_video=has_video, has_audio=has_audio):
                return
        for track in tracks:
            proxy = self._relay.subscribe(track, buffered=True)
            recording.pumps.append(asyncio.create_task(self._pump(recording.recorder, proxy)))
        if pc is not None:
            await request_keyframe(pc)

    def _new(self, plan: RecordingPlan) -> _Recording:
        holder: list[_Recording] = []

        def on_event(event: RecordingEvent) -> None:
            recorder = holder[0].recorder if holder else None
            ended = event.name.value.startswith("Recording End")
            self._backend.recording_changed(
                plan,
                event_name=event.name.value,
                prefix=event.prefix,
                reason=event.reason,
                duration_ms=recorder.duration_ms if recorder is not None and ended else None,
            )

        recorder = ParticipantRecorder(
            storage=self._storage_now(),
            target=RecordingTarget(
                stage_arn=plan.stage_arn,
                session_id=plan.session_id,
                participant_id=plan.participant_id,
                bucket=plan.bucket,
            ),
            settings=settings_of(plan.configuration),
            on_event=on_event,
        )
        holder.append(_Recording(plan, recorder))
        return holder[0]

    @staticmethod
    async def _pump(recorder: ParticipantRecorder, track: MediaStreamTrack) -> None:
        video = track.kind == "video"
        feed = recorder.feed_video_packet if video else recorder.feed_audio_packet
        with contextlib.suppress(MediaStreamError):
            while True:
                # A WHIP publisher's track is a pass-through one (local._passthrough): it
                # yields packets. A push's yields packets (Baseline H.264) or decoded frames.
                item = await track.recv()  # pyright: ignore[reportUnknownVariableType]
                if isinstance(item, av.Packet):
                    feed(item)  # pyright: ignore[reportUnknownArgumentType]
                elif isinstance(item, av.VideoFrame) and video:
                    recorder.feed_video_frame(item)
                elif isinstance(item, av.AudioFrame) and not video:
                    recorder.feed_audio_frame(item)

    async def publish_ended(self, stage_arn: str, participant_id: str) -> None:
        """A recorded publisher's session ended: pause; the recording ends after the window."""
        for task in list(self._tasks):
            await asyncio.wait({task})
        recording = self._recordings.get((stage_arn, participant_id))
        if recording is None:
            return
        pumps, recording.pumps = recording.pumps, []
        for pump in pumps:
            pump.cancel()
        await asyncio.gather(*pumps, return_exceptions=True)
        await recording.recorder.disconnected()

    async def aclose(self) -> None:
        """End every recording now (the emulator is stopping): all files are then complete."""
        for task in list(self._tasks):
            await asyncio.wait({task})
        recordings, self._recordings = list(self._recordings.values()), {}
        for recording in recordings:
            for pump in recording.pumps:
                pump.cancel()
            await asyncio.gather(*recording.pumps, return_exceptions=True)
            try:
                await recording.recorder.end()
            except Exception:  # one recording failing to end must not stop the others
                _log.exception("recording %s did not end cleanly", recording.recorder.prefix)
