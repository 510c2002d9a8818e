"""Requests about ingest configurations; creating one takes an IngestConfigurationSpec."""

from __future__ import annotations

import attrs

from ._arns import (
    INGEST_CONFIGURATION_ARN,
    OPTIONAL_STAGE_ARN,
    PAGINATION_TOKEN,
    STAGE_ARN_OR_EMPTY,
    max_results,
)
from ._constraints import Boolean, Enum, optional
from .ingest import IngestConfigurationState


@attrs.frozen(kw_only=True)
class IngestConfigurationArnRequest:
    """GetIngestConfiguration: one by its ARN."""

    arn: str = attrs.field(validator=INGEST_CONFIGURATION_ARN)
    """The ingest configuration's ARN."""


@attrs.frozen(kw_only=True)
class UpdateIngestConfigurationRequest:
    """UpdateIngestConfiguration: None leaves a field as it is; a stage of "" detaches it."""

    arn: str = attrs.field(validator=INGEST_CONFIGURATION_ARN)
    """The ingest configuration's ARN."""
    stage_arn: str | None = attrs.field(default=None, validator=optional(STAGE_ARN_OR_EMPTY))
    """The stage its publisher joins from now on; "" for none."""
    redundant_ingest: bool | None = attrs.field(default=None, validator=Boolean(optional=True))
    """Whether publishers may stream over redundant paths."""


@attrs.frozen(kw_only=True)
class DeleteIngestConfigurationRequest:
    """DeleteIngestConfiguration: ``force`` deletes it even while a publisher streams."""

    arn: str = attrs.field(validator=INGEST_CONFIGURATION_ARN)
    """The ingest configuration's ARN."""
    force: bool = attrs.field(default=False, validator=Boolean())
    """Delete it even while its publisher streams, disconnecting it."""


@attrs.frozen(kw_only=True)
class ListIngestConfigurationsRequest:
    """ListIngestConfigurations: one page, filtered."""

    filter_by_stage_arn: str | None = attrs.field(default=None, validator=OPTIONAL_STAGE_ARN)
    """Only those of this stage."""
    filter_by_state: IngestConfigurationState | None = attrs.field(
        default=None, validator=Enum(IngestConfigurationState, optional=True)
    )
    """Only those in this state."""
    max_results: int | None = attrs.field(default=None, validator=max_results())
    """At most this many, 1 to 100 (service default 50)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""
