"""Storage configurations: the S3 buckets recordings go into."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .._frozen import EMPTY
from ._arns import RESOURCE_NAME, TAGS
from ._constraints import Nested, Text, str_map
from ._response import typed_fields

__all__ = [
    "S3StorageConfiguration",
    "StorageConfiguration",
    "StorageConfigurationSpec",
    "StorageConfigurationSummary",
]


@attrs.frozen(kw_only=True)
class S3StorageConfiguration:
    """An S3 bucket to record into, in the same region as the stage."""

    bucket_name: str = attrs.field(validator=Text(min=3, max=63, pattern=r"[a-z0-9-.]+"))
    """The bucket's name: 3 to 63 of ``[a-z0-9-.]``."""


@attrs.frozen(kw_only=True)
class StorageConfigurationSpec:
    """Everything needed to create a storage configuration."""

    s3: S3StorageConfiguration = attrs.field(validator=Nested(S3StorageConfiguration))
    """The S3 bucket to record into."""
    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """Name: at most 128 of ``[a-zA-Z0-9-_]``."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """Tags: at most 50, keys of 1 to 128 characters, values of at most 256."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class StorageConfiguration:
    """A storage configuration, as the service describes it."""

    arn: str
    """The storage configuration's ARN."""
    name: str | None = None
    """Its name."""
    s3: S3StorageConfiguration | None = None
    """Its S3 bucket."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Its tags."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class StorageConfigurationSummary:
    """A storage configuration, as ``list_storage_configurations`` shows it."""

    arn: str
    """The storage configuration's ARN."""
    name: str | None = None
    """Its name."""
    s3: S3StorageConfiguration | None = None
    """Its S3 bucket."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Its tags."""
