"""Requests about storage configurations; creating one takes a StorageConfigurationSpec."""

from __future__ import annotations

import attrs

from ._arns import PAGINATION_TOKEN, STORAGE_CONFIGURATION_ARN, max_results


@attrs.frozen(kw_only=True)
class StorageConfigurationArnRequest:
    """GetStorageConfiguration and DeleteStorageConfiguration: one by its ARN."""

    arn: str = attrs.field(validator=STORAGE_CONFIGURATION_ARN)


@attrs.frozen(kw_only=True)
class ListStorageConfigurationsRequest:
    """ListStorageConfigurations: one page."""

    max_results: int | None = attrs.field(default=None, validator=max_results())
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
