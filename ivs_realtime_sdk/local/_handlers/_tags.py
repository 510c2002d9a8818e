"""Tags on every taggable resource."""

from __future__ import annotations

from typing import Any

from .._errors import ValidationException
from .._state import Store
from ._registry import check_tags, handler

_MAX_TAGS = 50


@handler("TagResource")
def tag_resource(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Add or overwrite tags; a resource holds at most 50."""
    tags = store.tagged(params["resourceArn"])
    new = check_tags(params["tags"])
    if len(tags.keys() | new.keys()) > _MAX_TAGS:
        raise ValidationException(f"A resource can have at most {_MAX_TAGS} tags")
    tags.update(new)
    return {}


@handler("UntagResource")
def untag_resource(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Remove tags by key (absent keys are ignored)."""
    tags = store.tagged(params["resourceArn"])
    for key in params["tagKeys"]:
        tags.pop(key, None)
    return {}


@handler("ListTagsForResource")
def list_tags_for_resource(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Return a resource's tags."""
    return {"tags": dict(store.tagged(params["resourceArn"]))}
