"""Requests about encoder configurations; creating one takes an EncoderConfigurationSpec."""

from __future__ import annotations

import attrs

from ._arns import ENCODER_CONFIGURATION_ARN, PAGINATION_TOKEN, max_results


@attrs.frozen(kw_only=True)
class EncoderConfigurationArnRequest:
    """GetEncoderConfiguration and DeleteEncoderConfiguration: one by its ARN."""

    arn: str = attrs.field(validator=ENCODER_CONFIGURATION_ARN)


@attrs.frozen(kw_only=True)
class ListEncoderConfigurationsRequest:
    """ListEncoderConfigurations: one page."""

    max_results: int | None = attrs.field(default=None, validator=max_results())
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
