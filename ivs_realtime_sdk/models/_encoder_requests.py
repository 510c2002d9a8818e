"""Requests about encoder configurations; creating one takes an EncoderConfigurationSpec."""

from __future__ import annotations

import attrs

from ._arns import ENCODER_CONFIGURATION_ARN, PAGINATION_TOKEN, max_results


@attrs.frozen(kw_only=True)
class EncoderConfigurationArnRequest:
    """GetEncoderConfiguration and DeleteEncoderConfiguration: one by its ARN."""

    arn: str = attrs.field(validator=ENCODER_CONFIGURATION_ARN)
    """The encoder configuration's ARN."""


@attrs.frozen(kw_only=True)
class ListEncoderConfigurationsRequest:
    """ListEncoderConfigurations: one page."""

    max_results: int | None = attrs.field(default=None, validator=max_results())
    """At most this many, 1 to 100 (service default 100)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""
