"""Requests about the tags of any ivs-realtime resource, and the answer of ListTagsForResource."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import attrs

from ._arns import RESOURCE_ARN, TAG_KEY, TAGS
from ._constraints import Items, str_map
from ._response import typed_fields


def _keys(value: Any) -> Any:
    # A lone str is left to the validator: iterating it would remove one-letter keys.
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return frozenset(cast("Iterable[object]", value))
    return cast(Any, value)


def _tag_keys(value: Iterable[str]) -> frozenset[str]:
    return _keys(value)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True)
class ResourceArnRequest:
    """ListTagsForResource: any resource by its ARN."""

    resource_arn: str = attrs.field(validator=RESOURCE_ARN)
    """The resource's ARN."""


@attrs.frozen(kw_only=True)
class TagResourceRequest:
    """TagResource: add or overwrite tags."""

    resource_arn: str = attrs.field(validator=RESOURCE_ARN)
    """The resource's ARN (a stage, composition, configuration or key)."""
    tags: Mapping[str, str] = attrs.field(converter=str_map, validator=TAGS)
    """The tags to add: keys of 1 to 128 characters, values of at most 256."""


@attrs.frozen(kw_only=True)
class UntagResourceRequest:
    """UntagResource: remove tags by key."""

    resource_arn: str = attrs.field(validator=RESOURCE_ARN)
    """The resource's ARN."""
    tag_keys: frozenset[str] = attrs.field(
        converter=_tag_keys, validator=Items(TAG_KEY, max=50, container=frozenset)
    )
    """The keys of the tags to remove, at most 50."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ResourceTags:
    """What ListTagsForResource returns."""

    tags: Mapping[str, str] = attrs.field(converter=str_map)
