"""What a participant recording is asked to do: the stage's recording settings, typed.

These mirror ``AutoParticipantRecordingConfiguration`` of the ivs-realtime
API. The emulator builds one from the stage it already validated; the
checks here only guard the recorder against values it cannot honour.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

__all__ = [
    "MediaTypes",
    "RecordingSettings",
    "RecordingTarget",
    "ThumbnailMode",
    "ThumbnailStorage",
]


class MediaTypes(enum.StrEnum):
    """Which media go to HLS (``mediaTypes``)."""

    AUDIO_VIDEO = "AUDIO_VIDEO"
    AUDIO_ONLY = "AUDIO_ONLY"
    NONE = "NONE"


class ThumbnailMode(enum.StrEnum):
    """Whether thumbnails are taken (``thumbnailConfiguration.recordingMode``)."""

    INTERVAL = "INTERVAL"
    DISABLED = "DISABLED"


class ThumbnailStorage(enum.StrEnum):
    """Where thumbnails go (``thumbnailConfiguration.storage``)."""

    SEQUENTIAL = "SEQUENTIAL"
    LATEST = "LATEST"


def _in_range(low: int, high: int) -> Any:
    # attrs has no public name for a validator type; its stubs check the call.
    return attrs.validators.and_(attrs.validators.ge(low), attrs.validators.le(high))


@attrs.frozen(kw_only=True)
class RecordingSettings:
    """The settings one participant recording honours; defaults are IVS's."""

    media_types: MediaTypes = MediaTypes.AUDIO_VIDEO
    """HLS content: audio and video, audio only, or none (thumbnails only)."""
    target_segment_duration_seconds: int = attrs.field(default=6, validator=_in_range(2, 10))
    """A segment lasts this long or a little more, so that it starts on a keyframe."""
    thumbnail_mode: ThumbnailMode = ThumbnailMode.INTERVAL
    """INTERVAL takes a thumbnail every ``thumbnail_interval_seconds``."""
    thumbnail_storage: frozenset[ThumbnailStorage] = frozenset({ThumbnailStorage.SEQUENTIAL})
    """SEQUENTIAL keeps every thumbnail (1.jpg, 2.jpg...); LATEST keeps thumb.jpg."""
    thumbnail_interval_seconds: int = attrs.field(default=60, validator=_in_range(1, 86400))
    """Seconds of media between two thumbnails."""
    reconnect_window_seconds: int = attrs.field(default=0, validator=_in_range(0, 300))
    """A rejoin within this window continues the same prefix; 0 disables merging."""

    @property
    def records_hls(self) -> bool:
        """Whether any HLS is written (``NONE`` writes thumbnails only)."""
        return self.media_types is not MediaTypes.NONE

    @property
    def records_video(self) -> bool:
        """Whether video goes into the HLS rendition."""
        return self.media_types is MediaTypes.AUDIO_VIDEO

    @property
    def takes_thumbnails(self) -> bool:
        """Whether thumbnails are taken and stored somewhere."""
        return self.thumbnail_mode is ThumbnailMode.INTERVAL and bool(self.thumbnail_storage)


@attrs.frozen(kw_only=True)
class RecordingTarget:
    """Who is recorded and where: the identity every metadata file repeats."""

    stage_arn: str
    """ARN of the stage the participant publishes to."""
    session_id: str
    """The stage session (``st-...``)."""
    participant_id: str
    """The recorded participant."""
    bucket: str
    """The storage configuration's S3 bucket."""

    @property
    def stage_id(self) -> str:
        """The stage's resource id, the last part of its ARN."""
        return self.stage_arn.rsplit("/", 1)[-1]
