"""Compositions: a stage mixed into one stream, sent to IVS channels or recorded to S3."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import attrs

from .._frozen import EMPTY
from ._arns import (
    CHANNEL_ARN,
    ENCODER_CONFIGURATION_ARN,
    STAGE_ARN,
    STORAGE_CONFIGURATION_ARN,
    TAGS,
)
from ._constraints import (
    Enum,
    Integer,
    Items,
    Nested,
    Text,
    optional,
    str_map,
    to_tuple,
)
from ._enum import ServiceEnum
from ._response import typed_fields
from .layout import LayoutConfiguration
from .recording import ThumbnailStorageType

__all__ = [
    "ChannelDestinationConfiguration",
    "Composition",
    "CompositionRecordingHlsConfiguration",
    "CompositionSpec",
    "CompositionState",
    "CompositionSummary",
    "CompositionThumbnailConfiguration",
    "Destination",
    "DestinationConfiguration",
    "DestinationDetail",
    "DestinationState",
    "DestinationSummary",
    "RecordingConfiguration",
    "RecordingConfigurationFormat",
    "S3DestinationConfiguration",
    "S3Detail",
]


class CompositionState(ServiceEnum):
    """Where a composition stands."""

    STARTING = "STARTING"
    """Starting."""
    ACTIVE = "ACTIVE"
    """Running."""
    STOPPING = "STOPPING"
    """Stopping."""
    FAILED = "FAILED"
    """Failed."""
    STOPPED = "STOPPED"
    """Stopped."""


class DestinationState(ServiceEnum):
    """Where one destination of a composition stands."""

    STARTING = "STARTING"
    """Starting."""
    ACTIVE = "ACTIVE"
    """Receiving the composition."""
    STOPPING = "STOPPING"
    """Stopping."""
    RECONNECTING = "RECONNECTING"
    """Reconnecting after an interruption."""
    FAILED = "FAILED"
    """Failed."""
    STOPPED = "STOPPED"
    """Stopped."""


class RecordingConfigurationFormat(ServiceEnum):
    """The file format of a composition's recording."""

    HLS = "HLS"
    """HTTP Live Streaming."""


_DESTINATION_NAME = Text(max=128, pattern=r"[a-zA-Z0-9-_]*", optional=True)
_ENCODER_ARN = optional(ENCODER_CONFIGURATION_ARN)


def _storage_types(
    value: Sequence[ThumbnailStorageType] | None,
) -> tuple[ThumbnailStorageType, ...] | None:
    return to_tuple(value)  # type: ignore[no-any-return]


def _strings(value: Sequence[str]) -> tuple[str, ...]:
    return to_tuple(value)  # type: ignore[no-any-return]


def _thumbnail_configs(
    value: Sequence[CompositionThumbnailConfiguration],
) -> tuple[CompositionThumbnailConfiguration, ...]:
    return to_tuple(value)  # type: ignore[no-any-return]


def _destination_configs(
    value: Sequence[DestinationConfiguration],
) -> tuple[DestinationConfiguration, ...]:
    return to_tuple(value)  # type: ignore[no-any-return]


def _destinations(value: Sequence[Destination]) -> tuple[Destination, ...]:
    return to_tuple(value)  # type: ignore[no-any-return]


def _destination_summaries(value: Sequence[DestinationSummary]) -> tuple[DestinationSummary, ...]:
    return to_tuple(value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class ChannelDestinationConfiguration:
    """Send the composition to an IVS (low-latency) channel."""

    channel_arn: str = attrs.field(validator=CHANNEL_ARN)
    """ARN of the IVS channel to stream to."""
    encoder_configuration_arn: str | None = attrs.field(default=None, validator=_ENCODER_ARN)
    """ARN of the encoder configuration to stream with (service default: 720p, 30 fps)."""


@attrs.frozen(kw_only=True)
class CompositionRecordingHlsConfiguration:
    """HLS settings of a composition's recording."""

    target_segment_duration_seconds: int | None = attrs.field(
        default=None, validator=Integer(min=2, max=10, optional=True)
    )
    """Target HLS segment length in seconds, 2 to 10 (service default 2)."""


@attrs.frozen(kw_only=True)
class RecordingConfiguration:
    """How a composition is recorded to S3."""

    hls_configuration: CompositionRecordingHlsConfiguration | None = attrs.field(
        default=None, validator=Nested(CompositionRecordingHlsConfiguration, optional=True)
    )
    """HLS settings."""
    format: RecordingConfigurationFormat | None = attrs.field(
        default=None, validator=Enum(RecordingConfigurationFormat, optional=True)
    )
    """The recording's format (service default HLS)."""


@attrs.frozen(kw_only=True)
class CompositionThumbnailConfiguration:
    """Thumbnails of a composition recorded to S3."""

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


@attrs.frozen(kw_only=True)
class S3DestinationConfiguration:
    """Record the composition to S3."""

    storage_configuration_arn: str = attrs.field(validator=STORAGE_CONFIGURATION_ARN)
    """ARN of the storage configuration to record into."""
    encoder_configuration_arns: tuple[str, ...] = attrs.field(
        converter=_strings, validator=Items(ENCODER_CONFIGURATION_ARN, min=1, max=1)
    )
    """ARNs of the encoder configurations to record with: exactly one."""
    recording_configuration: RecordingConfiguration | None = attrs.field(
        default=None, validator=Nested(RecordingConfiguration, optional=True)
    )
    """Recording settings."""
    thumbnail_configurations: tuple[CompositionThumbnailConfiguration, ...] = attrs.field(
        default=(),
        converter=_thumbnail_configs,
        validator=Items(Nested(CompositionThumbnailConfiguration), max=1),
    )
    """Thumbnail settings, at most one."""


@attrs.frozen(kw_only=True)
class DestinationConfiguration:
    """One place a composition goes: set one of ``channel`` or ``s3``."""

    name: str | None = attrs.field(default=None, validator=_DESTINATION_NAME)
    """The destination's name: at most 128 of ``[a-zA-Z0-9-_]``."""
    channel: ChannelDestinationConfiguration | None = attrs.field(
        default=None, validator=Nested(ChannelDestinationConfiguration, optional=True)
    )
    """Stream to an IVS channel."""
    s3: S3DestinationConfiguration | None = attrs.field(
        default=None, validator=Nested(S3DestinationConfiguration, optional=True)
    )
    """Record to S3."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class S3Detail:
    """Where an S3 destination's recording went."""

    recording_prefix: str
    """The S3 prefix the composition is recorded under."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class DestinationDetail:
    """Details the service adds to a running destination."""

    s3: S3Detail | None = None
    """For an S3 destination, where it records."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Destination:
    """One destination of a composition, as ``get_composition`` describes it."""

    id: str
    """The destination's id."""
    state: DestinationState
    """Where the destination stands."""
    start_time: datetime | None = None
    """When the destination started, in UTC."""
    end_time: datetime | None = None
    """When the destination stopped, in UTC."""
    configuration: DestinationConfiguration
    """The destination as it was configured."""
    detail: DestinationDetail | None = None
    """Details the service adds, such as the S3 prefix."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class DestinationSummary:
    """One destination of a composition, as ``list_compositions`` shows it."""

    id: str
    """The destination's id."""
    state: DestinationState
    """Where the destination stands."""
    start_time: datetime | None = None
    """When the destination started, in UTC."""
    end_time: datetime | None = None
    """When the destination stopped, in UTC."""


@attrs.frozen(kw_only=True)
class CompositionSpec:
    """Everything needed to start a composition: what ``start_composition`` takes."""

    stage_arn: str = attrs.field(validator=STAGE_ARN)
    """ARN of the stage to compose."""
    destinations: tuple[DestinationConfiguration, ...] = attrs.field(
        converter=_destination_configs,
        validator=Items(Nested(DestinationConfiguration), min=1, max=2),
    )
    """Where the composition goes: one or two destinations."""
    layout: LayoutConfiguration | None = attrs.field(
        default=None, validator=Nested(LayoutConfiguration, optional=True)
    )
    """The layout (service default: a grid)."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """Tags: at most 50, keys of 1 to 128 characters, values of at most 256."""
    idempotency_token: str | None = attrs.field(
        default=None, validator=Text(min=1, max=64, pattern=r"[a-zA-Z0-9-_]*", optional=True)
    )
    """Reuse to retry without starting a second composition; boto makes one up if omitted."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Composition:
    """A composition, as ``get_composition`` and ``start_composition`` describe it."""

    arn: str
    """The composition's ARN."""
    stage_arn: str
    """ARN of the stage it composes."""
    state: CompositionState
    """Where the composition stands."""
    layout: LayoutConfiguration
    """Its layout."""
    destinations: tuple[Destination, ...] = attrs.field(converter=_destinations)
    """Where it goes: one or two destinations."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Its tags."""
    start_time: datetime | None = None
    """When it started, in UTC."""
    end_time: datetime | None = None
    """When it stopped, in UTC."""

    @property
    def id(self) -> str:
        """The composition id: the last part of the ARN."""
        return self.arn.rsplit("/", 1)[-1]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CompositionSummary:
    """A composition, as ``list_compositions`` shows it."""

    arn: str
    """The composition's ARN."""
    stage_arn: str
    """ARN of the stage it composes."""
    destinations: tuple[DestinationSummary, ...] = attrs.field(converter=_destination_summaries)
    """Where it goes: one or two destinations."""
    state: CompositionState
    """Where the composition stands."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Its tags."""
    start_time: datetime | None = None
    """When it started, in UTC."""
    end_time: datetime | None = None
    """When it stopped, in UTC."""
