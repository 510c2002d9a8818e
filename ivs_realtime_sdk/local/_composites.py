"""The media plane's compositions: each S3 destination of an ACTIVE composition, composed.

The backend says what to compose (:meth:`~.backend.Backend.composite_plans`:
one plan per ACTIVE S3 destination, with the stage's publishers now); this
module makes it happen. Per plan, one :class:`~.composition.Compositor` per
encoder configuration (a rendition) writes through one
:class:`~.recording.CompositeRecording` under the destination's
``recordingPrefix``. Each publisher's relayed packets (H.264, Opus) are
decoded here, once per composite, and pushed to its compositors; an RTMP(S)
push whose tracks already yield frames is pushed as it is.

When a plan goes (StopComposition, the idle stop, a deleted stage), the
compositors render what is owed and flush, the recording writes its final
files, and only then does the backend hear of it
(:meth:`~.backend.Backend.composite_ended`): the composition reaches STOPPED,
with Session End, once every file is complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import av
from aiortc import MediaStreamTrack, RTCPeerConnection
from aiortc.contrib.media import MediaRelay
from aiortc.mediastreams import MediaStreamError
from av.error import FFmpegError

from ._recordings import open_storage, request_keyframe
from .backend import Backend, CompositePlan, CompositePublisher
from .composition import (
    Compositor,
    EncoderSettings,
    GridLayout,
    PipBehavior,
    PipLayout,
    PipPosition,
    VideoAspectRatio,
    VideoFillMode,
)
from .composition.layout import Layout
from .recording import (
    CompositeRecording,
    CompositeRendition,
    CompositeTarget,
    composite_settings,
)

__all__ = ["Composites", "PublisherMedia", "layout_of"]

_log = logging.getLogger("ivs_realtime_sdk.local")

# A publisher's media as the media plane holds it: its peer (None for a push) and tracks.
PublisherMedia = tuple[RTCPeerConnection | None, Mapping[str, MediaStreamTrack]]


# A layout member of the API -> the compositor's field, and how its value converts.
# Members the composition leaves out take the layout classes' defaults (IVS's).
_LAYOUT_FIELDS: Mapping[str, tuple[str, Callable[[Any], Any]]] = {
    "featuredParticipantAttribute": ("featured_participant_attribute", str),
    "omitStoppedVideo": ("omit_stopped_video", bool),
    "videoAspectRatio": ("video_aspect_ratio", VideoAspectRatio),
    "videoFillMode": ("video_fill_mode", VideoFillMode),
    "gridGap": ("grid_gap", int),
    "participantOrderAttribute": ("participant_order_attribute", str),
    "pipParticipantAttribute": ("pip_participant_attribute", str),
    "pipBehavior": ("pip_behavior", PipBehavior),
    "pipOffset": ("pip_offset", int),
    "pipPosition": ("pip_position", PipPosition),
    "pipWidth": ("pip_width", int),
    "pipHeight": ("pip_height", int),
}


def layout_of(layout: Mapping[str, Any]) -> Layout:
    """The compositor's layout from a composition's (``{"grid": {...}}`` or ``{"pip": {...}}``)."""
    kind: type[GridLayout] | type[PipLayout] = PipLayout if "pip" in layout else GridLayout
    given: Mapping[str, Any] = layout.get("pip" if kind is PipLayout else "grid", {})
    # Only the kind's own fields: a member of the other kind is not this layout's.
    own = {f.name for f in fields(kind)}
    return kind(
        **{
            name: convert(given[member])
            for member, (name, convert) in _LAYOUT_FIELDS.items()
            if name in own and given.get(member) is not None
        }
    )


@dataclass(eq=False)
class _Composite:
    """One S3 destination being composed: its recording, compositors and feeds."""

    plan: CompositePlan
    recording: CompositeRecording
    compositors: list[Compositor]
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    runs: list[asyncio.Task[None]] = field(default_factory=list[asyncio.Task[None]])
    # Participant id -> the tasks decoding its tracks into the compositors.
    feeds: dict[str, list[asyncio.Task[None]]] = field(
        default_factory=dict[str, list[asyncio.Task[None]]]
    )


class Composites:
    """Every composite of one media plane, by (composition ARN, destination ID)."""

    def __init__(self, backend: Backend, relay: MediaRelay) -> None:
        """Compose ``backend``'s compositions, tapping publishers' tracks through ``relay``."""
        self._backend = backend
        self._relay = relay
        self._running: dict[tuple[str, str], _Composite] = {}

    async def sync(self, media_of: Callable[[str, str], PublisherMedia | None]) -> None:
        """Start, feed and finish composites as the backend's plans say.

        ``media_of(stage ARN, participant ID)`` gives a publisher's peer and tracks,
        or None while the media plane has none for it.
        """
        plans = {(p.composition_arn, p.destination_id): p for p in self._backend.composite_plans()}
        for key in [k for k in self._running if k not in plans]:
            await self._finish(self._running.pop(key))
        for key, plan in plans.items():
            composite = self._running.get(key)
            if composite is None:
                composite = await self._start(plan)
                if composite is None:
                    continue
                self._running[key] = composite
            self._follow(composite, plan.publishers, media_of)

    async def _start(self, plan: CompositePlan) -> _Composite | None:
        self._backend.composite_started(plan.composition_arn, plan.destination_id)
        segment_seconds, thumbnails = composite_settings(plan.s3)
        renditions = [
            CompositeRendition(
                encoder_configuration_arn=r.encoder_configuration_arn,
                width=r.width,
                height=r.height,
                framerate=r.framerate,
                bitrate=r.bitrate,
            )
            for r in plan.renditions
        ]
        recording = CompositeRecording(
            storage=open_storage(self._backend),
            target=CompositeTarget(
                stage_arn=plan.stage_arn, bucket=plan.bucket, prefix=plan.prefix
            ),
            renditions=renditions,
            target_segment_duration_seconds=segment_seconds,
            thumbnails=thumbnails,
        )
        failure = await recording.start()
        if failure is not None:
            self._backend.composite_ended(plan.composition_arn, plan.destination_id, failure)
            return None
        layout = layout_of(plan.layout)
        compositors = [
            Compositor(
                layout,
                EncoderSettings(
                    width=r.width, height=r.height, framerate=r.framerate, bitrate=r.bitrate
                ),
                recording.sink(r),
            )
            for r in renditions
        ]
        composite = _Composite(plan, recording, compositors)
        composite.runs = [asyncio.create_task(c.run(composite.stop)) for c in compositors]
        return composite

    def _follow(
        self,
        composite: _Composite,
        publishers: tuple[CompositePublisher, ...],
        media_of: Callable[[str, str], PublisherMedia | None],
    ) -> None:
        """Add the publishers that arrived (with media), drop those that left."""
        present = {p.participant_id for p in publishers}
        for participant_id in [p for p in composite.feeds if p not in present]:
            for task in composite.feeds.pop(participant_id):
                task.cancel()
            for compositor in composite.compositors:
                compositor.remove_participant(participant_id)
        for publisher in publishers:
            if publisher.participant_id in composite.feeds:
                continue
            media = media_of(publisher.media_stage_arn, publisher.participant_id)
            if media is None or not media[1]:
                continue  # not yet: the next look tries again
            pc, tracks = media
            for compositor in composite.compositors:
                compositor.add_participant(publisher.participant_id, publisher.attributes)
                compositor.set_video_stopped(publisher.participant_id, "video" not in tracks)
            tasks = [
                asyncio.create_task(
                    _feed(
                        composite.compositors,
                        publisher.participant_id,
                        self._relay.subscribe(track, buffered=True),
                    )
                )
                for track in tracks.values()
            ]
            if pc is not None:
                # The first picture needs a keyframe: ask rather than wait for the next one.
                tasks.append(asyncio.create_task(request_keyframe(pc)))
            composite.feeds[publisher.participant_id] = tasks

    async def _finish(self, composite: _Composite) -> None:
        """Render what is owed, flush, write the final files; then tell the backend."""
        plan = composite.plan
        composite.stop.set()
        results = await asyncio.gather(*composite.runs, return_exceptions=True)
        feeds = [task for tasks in composite.feeds.values() for task in tasks]
        composite.feeds.clear()
        for task in feeds:
            task.cancel()
        await asyncio.gather(*feeds, return_exceptions=True)
        failure: str | None = None
        for result in results:
            if isinstance(result, BaseException):
                _log.error("composite %s failed", plan.prefix, exc_info=result)
                failure = "the compositor failed"
        try:
            ended = await composite.recording.end()
        except Exception:  # the backend must hear of the end whatever happened
            _log.exception("composite %s did not end cleanly", plan.prefix)
            ended = "the recording did not end cleanly"
        self._backend.composite_ended(plan.composition_arn, plan.destination_id, failure or ended)

    async def aclose(self) -> None:
        """Finish every composite now (the emulator is stopping): all files are then complete."""
        running, self._running = list(self._running.values()), {}
        for composite in running:
            await self._finish(composite)


async def _feed(
    compositors: list[Compositor], participant_id: str, track: MediaStreamTrack
) -> None:
    """Decode one relayed track and push its frames to every compositor of a composite."""
    decoder: av.VideoCodecContext | av.AudioCodecContext | None = None
    with contextlib.suppress(MediaStreamError):
        while True:
            # A WHIP publisher's track yields packets (local._passthrough); a push's, frames.
            item = await track.recv()  # pyright: ignore[reportUnknownVariableType]
            frames: list[av.VideoFrame | av.AudioFrame]
            if isinstance(item, av.Packet):
                if decoder is None:
                    decoder = _decoder(track.kind)
                try:
                    frames = list(decoder.decode(item))
                except FFmpegError:
                    continue  # before the first keyframe, or a damaged packet: the next will do
            elif isinstance(item, av.VideoFrame | av.AudioFrame):
                frames = [item]
            else:
                continue
            for frame in frames:
                for compositor in compositors:
                    if isinstance(frame, av.VideoFrame):
                        compositor.push_video(participant_id, frame)
                    else:
                        compositor.push_audio(participant_id, frame)


def _decoder(kind: str) -> av.VideoCodecContext | av.AudioCodecContext:
    """A decoder of what IVS's WebRTC carries: H.264 video, Opus audio."""
    decoder = av.CodecContext.create("h264" if kind == "video" else "opus", "r")
    assert isinstance(decoder, av.VideoCodecContext | av.AudioCodecContext)
    return decoder
