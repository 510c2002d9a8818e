"""The table from operation name to handler function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..._service_model import DOCUMENTED_MAX_BYTES
from .._errors import ValidationException
from .._state import Store

__all__ = [
    "HANDLERS",
    "Handler",
    "check_attributes",
    "check_tags",
    "handler",
    "omit_none",
]

Handler = Callable[[Store, dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}

# The documented "1 KB total", the limit the SDK's token attributes check too.
_ATTRIBUTES_LIMIT = DOCUMENTED_MAX_BYTES["ParticipantTokenAttributes"]


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of operation ``name``."""

    def register(function: Handler) -> Handler:
        HANDLERS[name] = function
        return function

    return register


def omit_none(fields: dict[str, Any]) -> dict[str, Any]:
    """Drop members whose value is ``None``: the service omits unset members."""
    return {key: value for key, value in fields.items() if value is not None}


def check_tags(tags: dict[str, str] | None) -> dict[str, str]:
    """Return a copy of ``tags``; refuse keys in the reserved ``aws:`` namespace."""
    if not tags:
        return {}
    for key in tags:
        if key.lower().startswith("aws:"):
            raise ValidationException(f"Tag keys may not start with 'aws:' (got tag key '{key}')")
    return dict(tags)


def check_attributes(attributes: dict[str, str] | None, field: str) -> dict[str, str]:
    """Return a copy of ``attributes``; refuse more than the documented 1 KB in total.

    The documentation says "1 KB total" without a unit of measure; the emulator
    counts the UTF-8 bytes of every key and value.
    """
    if not attributes:
        return {}
    size = sum(len(k.encode("utf-8")) + len(v.encode("utf-8")) for k, v in attributes.items())
    if size > _ATTRIBUTES_LIMIT:
        raise ValidationException(
            f"Value at '{field}' failed to satisfy constraint: "
            f"attributes must total at most {_ATTRIBUTES_LIMIT} bytes (got {size})"
        )
    return dict(attributes)
