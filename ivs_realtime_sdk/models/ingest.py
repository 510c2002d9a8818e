"""Ingest configurations: RTMP(S) publishers that join a stage as participants."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from .._frozen import EMPTY
from ._arns import (
    OPTIONAL_USER_ID,
    PARTICIPANT_ATTRIBUTES,
    RESOURCE_NAME,
    STAGE_ARN_OR_EMPTY,
    TAGS,
)
from ._constraints import Boolean, Enum, optional, str_map, to_tuple
from ._enum import ServiceEnum
from ._response import typed_fields

__all__ = [
    "IngestConfiguration",
    "IngestConfigurationSpec",
    "IngestConfigurationState",
    "IngestConfigurationSummary",
    "IngestProtocol",
    "RedundantIngestCredential",
]


class IngestProtocol(ServiceEnum):
    """The protocol an ingest configuration accepts."""

    RTMP = "RTMP"
    """RTMP, unencrypted: only with ``insecure_ingest``."""
    RTMPS = "RTMPS"
    """RTMP over TLS."""


class IngestConfigurationState(ServiceEnum):
    """Whether an ingest configuration's publisher is connected."""

    ACTIVE = "ACTIVE"
    """A publisher is streaming with it."""
    INACTIVE = "INACTIVE"
    """No publisher is streaming with it."""


_PROTOCOL = Enum(IngestProtocol)


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class RedundantIngestCredential:
    """What one redundant path streams with: its participant id and stream key.

    The stream key is a secret: it never appears in ``repr`` or ``str``.
    """

    participant_id: str | None = None
    """The id this redundant path has as a participant."""
    stream_key: str | None = attrs.field(default=None, repr=False)
    """The key this redundant path streams with (secret)."""


def _credentials(
    value: Sequence[RedundantIngestCredential],
) -> tuple[RedundantIngestCredential, ...]:
    return to_tuple(value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class IngestConfigurationSpec:
    """Everything needed to create an ingest configuration."""

    ingest_protocol: IngestProtocol = attrs.field(validator=_PROTOCOL)
    """The protocol publishers use: RTMP or RTMPS."""
    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """Name: at most 128 of ``[a-zA-Z0-9-_]``."""
    stage_arn: str | None = attrs.field(default=None, validator=optional(STAGE_ARN_OR_EMPTY))
    """ARN of the stage the publisher joins; None or "" for none yet."""
    user_id: str | None = attrs.field(default=None, validator=OPTIONAL_USER_ID)
    """Your own id for the participant, at most 128 characters; every participant sees it."""
    attributes: Mapping[str, str] = attrs.field(
        default=EMPTY, converter=str_map, validator=PARTICIPANT_ATTRIBUTES
    )
    """Application attributes of the participant; every participant sees them."""
    insecure_ingest: bool | None = attrs.field(default=None, validator=Boolean(optional=True))
    """Whether unencrypted RTMP is allowed (service default false)."""
    redundant_ingest: bool | None = attrs.field(default=None, validator=Boolean(optional=True))
    """Whether publishers may stream over redundant paths (service default false)."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """Tags: at most 50, keys of 1 to 128 characters, values of at most 256."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class IngestConfiguration:
    """An ingest configuration, as the service describes it.

    The stream key is a secret: it never appears in ``repr`` or ``str``.
    """

    name: str | None = None
    """Its name."""
    arn: str
    """The ingest configuration's ARN."""
    ingest_protocol: IngestProtocol
    """The protocol publishers use."""
    stream_key: str = attrs.field(repr=False)
    """The key the publisher streams with (secret)."""
    stage_arn: str
    """ARN of the stage the publisher joins; "" for none."""
    participant_id: str
    """The id the publisher has as a participant."""
    state: IngestConfigurationState
    """Whether a publisher is streaming with it."""
    user_id: str | None = None
    """Your own id for the participant."""
    redundant_ingest: bool | None = None
    """Whether redundant ingest is enabled."""
    redundant_ingest_credentials: tuple[RedundantIngestCredential, ...] = attrs.field(
        default=(), converter=_credentials
    )
    """One participant id and stream key per redundant path, when redundant ingest is on."""
    attributes: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Application attributes of the participant."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Its tags."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class IngestConfigurationSummary:
    """An ingest configuration, as ``list_ingest_configurations`` shows it (no stream key)."""

    name: str | None = None
    """Its name."""
    arn: str
    """The ingest configuration's ARN."""
    ingest_protocol: IngestProtocol
    """The protocol publishers use."""
    stage_arn: str
    """ARN of the stage the publisher joins; "" for none."""
    participant_id: str
    """The id the publisher has as a participant."""
    state: IngestConfigurationState
    """Whether a publisher is streaming with it."""
    user_id: str | None = None
    """Your own id for the participant."""
    redundant_ingest: bool | None = None
    """Whether redundant ingest is enabled."""
