"""Individual participant recording, configured on a stage."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ._arns import STORAGE_CONFIGURATION_ARN as _STORAGE_ARN
from ._constraints import Boolean, Enum, Integer, Items, Nested, Text, to_tuple
from ._enum import ServiceEnum

__all__ = [
    "AutoParticipantRecordingConfiguration",
    "ParticipantRecordingHlsConfiguration",
    "ParticipantRecordingMediaType",
    "ParticipantThumbnailConfiguration",
    "ThumbnailRecordingMode",
    "ThumbnailStorageType",
]


class ParticipantRecordingMediaType(ServiceEnum):
    """Which media of a participant are recorded."""

    AUDIO_VIDEO = "AUDIO_VIDEO"
    """Audio and video."""
    AUDIO_ONLY = "AUDIO_ONLY"
    """Audio only."""
    NONE = "NONE"
    """Nothing: thumbnails only, if configured."""


class ThumbnailRecordingMode(ServiceEnum):
    """Whether thumbnails are recorded."""

    INTERVAL = "INTERVAL"
    """One thumbnail every target interval."""
    DISABLED = "DISABLED"
    """No thumbnails."""


class ThumbnailStorageType(ServiceEnum):
    """How thumbnails are kept in S3."""

    SEQUENTIAL = "SEQUENTIAL"
    """Every thumbnail, in order."""
    LATEST = "LATEST"
    """Only the latest thumbnail, overwritten."""


def _storage_types(
    value: Iterable[ThumbnailStorageType] | None,
) -> tuple[ThumbnailStorageType, ...] | None:
    return to_tuple(value)  # type: ignore[no-any-return]


def _media_types(
    value: Iterable[ParticipantRecordingMediaType] | None,
) -> tuple[ParticipantRecordingMediaType, ...] | None:
    return to_tuple(value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class ParticipantThumbnailConfiguration:
    """Thumbnails of an individually recorded participant."""

    target_interval_seconds: int | None = attrs.field(
        default=None, validator=Integer(min=1, max=86400, optional=True)
    )
    """Seconds between thumbnails, 1 to 86,400 (service default 60)."""
    storage: tuple[ThumbnailStorageType, ...] | None = attrs.field(
        default=None,
        converter=_storage_types,
        validator=Items(Enum(ThumbnailStorageType), max=2, optional=True),
    )
    """How thumbnails are stored: SEQUENTIAL, LATEST or both."""
    recording_mode: ThumbnailRecordingMode | None = attrs.field(
        default=None, validator=Enum(ThumbnailRecordingMode, optional=True)
    )
    """Whether thumbnails are recorded (service default INTERVAL)."""


@attrs.frozen(kw_only=True)
class ParticipantRecordingHlsConfiguration:
    """HLS settings of individual participant recordings."""

    target_segment_duration_seconds: int | None = attrs.field(
        default=None, validator=Integer(min=2, max=10, optional=True)
    )
    """Target HLS segment length in seconds, 2 to 10 (service default 6)."""


@attrs.frozen(kw_only=True)
class AutoParticipantRecordingConfiguration:
    """Record every publishing participant of a stage on its own, into S3."""

    storage_configuration_arn: str = attrs.field(
        validator=Text(max=128, pattern=rf"^$|^{_STORAGE_ARN.pattern}$")
    )
    """ARN of the storage configuration to record into; empty disables recording."""
    media_types: tuple[ParticipantRecordingMediaType, ...] | None = attrs.field(
        default=None,
        converter=_media_types,
        validator=Items(Enum(ParticipantRecordingMediaType), max=1, optional=True),
    )
    """What to record, at most one type (service default AUDIO_VIDEO)."""
    thumbnail_configuration: ParticipantThumbnailConfiguration | None = attrs.field(
        default=None, validator=Nested(ParticipantThumbnailConfiguration, optional=True)
    )
    """Thumbnail settings."""
    recording_reconnect_window_seconds: int | None = attrs.field(
        default=None, validator=Integer(min=0, max=300, optional=True)
    )
    """Seconds a participant may be gone and still continue the same recording, 0 to 300."""
    hls_configuration: ParticipantRecordingHlsConfiguration | None = attrs.field(
        default=None, validator=Nested(ParticipantRecordingHlsConfiguration, optional=True)
    )
    """HLS settings."""
    record_participant_replicas: bool | None = attrs.field(
        default=None, validator=Boolean(optional=True)
    )
    """Whether replicated participants are recorded too (service default true)."""
