"""Requests about storage configurations; creating one takes a StorageConfigurationSpec."""

from __future__ import annotations

import attrs

from ._arns import PAGINATION_TOKEN, STORAGE_CONFIGURATION_ARN, max_results


@attrs.frozen(kw_only=True)
class StorageConfigurationArnRequest:
    """GetStorageConfiguration and DeleteStorageConfiguration: one by its ARN."""

    arn: str = attrs.field(validator=STORAGE_CONFIGURATION_ARN)
    """The storage configuration's ARN."""


@attrs.frozen(kw_only=True)
class ListStorageConfigurationsRequest:
    """ListStorageConfigurations: one page."""

    max_results: int | None = attrs.field(default=None, validator=max_results())
    """At most this many, 1 to 100 (service default 100)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""
