"""Tags on every taggable resource, found by the resource type its ARN names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._core import BackendCore
from ._errors import ResourceNotFoundException, ValidationException

__all__ = ["TagRules"]

_MAX_TAGS = 50


class TagRules(BackendCore):
    """TagResource, UntagResource, ListTagsForResource."""

    def tag_resource(self, arn: str, tags: Mapping[str, str]) -> None:
        """Add or overwrite tags; a resource holds at most 50."""
        current = self._tags_of(arn)
        new = self._check_tags(tags)
        if len(current.keys() | new.keys()) > _MAX_TAGS:
            raise ValidationException(f"A resource can have at most {_MAX_TAGS} tags")
        current.update(new)

    def untag_resource(self, arn: str, keys: Iterable[str]) -> None:
        """Remove tags by key (absent keys are ignored)."""
        current = self._tags_of(arn)
        for key in keys:
            current.pop(key, None)

    def list_tags_for_resource(self, arn: str) -> dict[str, str]:
        """Return a copy of a resource's tags."""
        return dict(self._tags_of(arn))

    def _tags_of(self, arn: str) -> dict[str, str]:
        """The live tag dict of any taggable resource, or ResourceNotFoundException."""
        kind = arn.rsplit(":", 1)[-1].split("/", 1)[0]
        tables: dict[str, Mapping[str, Any]] = {
            "stage": self.state.stages,
            "storage-configuration": self.state.storage_configurations,
            "encoder-configuration": self.state.encoder_configurations,
            "ingest-configuration": self.state.ingest_configurations,
            "composition": self.state.compositions,
            "public-key": self.state.public_keys,
        }
        table = tables.get(kind)
        resource = table.get(arn) if table is not None else None
        if resource is None:
            raise ResourceNotFoundException(f"Resource not found: {arn}")
        tags: dict[str, str] = resource.tags
        return tags
