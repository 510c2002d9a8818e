"""Tags on every taggable resource (``models/_tags_requests.py``)."""

from __future__ import annotations

from typing import Any

from ..backend import Backend
from ._registry import handler


@handler("TagResource")
def tag_resource(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Add or overwrite tags; a resource holds at most 50."""
    backend.tag_resource(params["resourceArn"], params["tags"])
    return {}


@handler("UntagResource")
def untag_resource(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Remove tags by key (absent keys are ignored)."""
    backend.untag_resource(params["resourceArn"], params["tagKeys"])
    return {}


@handler("ListTagsForResource")
def list_tags_for_resource(backend: Backend, params: dict[str, Any]) -> dict[str, Any]:
    """Return a resource's tags."""
    return {"tags": backend.list_tags_for_resource(params["resourceArn"])}
