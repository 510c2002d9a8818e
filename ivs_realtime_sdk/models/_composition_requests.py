"""Requests about compositions; StartComposition takes a CompositionSpec."""

from __future__ import annotations

import attrs

from ._arns import (
    COMPOSITION_ARN,
    ENCODER_CONFIGURATION_ARN,
    OPTIONAL_STAGE_ARN,
    PAGINATION_TOKEN,
    max_results,
)
from ._constraints import optional


@attrs.frozen(kw_only=True)
class CompositionArnRequest:
    """GetComposition and StopComposition: one composition by its ARN."""

    arn: str = attrs.field(validator=COMPOSITION_ARN)
    """The composition's ARN."""


@attrs.frozen(kw_only=True)
class ListCompositionsRequest:
    """ListCompositions: one page, filtered."""

    filter_by_stage_arn: str | None = attrs.field(default=None, validator=OPTIONAL_STAGE_ARN)
    """Only compositions of this stage."""
    filter_by_encoder_configuration_arn: str | None = attrs.field(
        default=None, validator=optional(ENCODER_CONFIGURATION_ARN)
    )
    """Only compositions using this encoder
    configuration."""
    max_results: int | None = attrs.field(default=None, validator=max_results())
    """At most this many compositions, 1 to 100 (service default 100)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""
