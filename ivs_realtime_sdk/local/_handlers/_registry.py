"""The table from operation name to handler function, and what every handler shares.

A handler reads the request's parameters, calls one backend method and
renders what it returns as the service's JSON. It changes no state of its
own (``tests/local/test_layout.py`` checks this).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..backend import Backend

__all__ = ["HANDLERS", "Handler", "handler", "omit_none"]

Handler = Callable[[Backend, dict[str, Any]], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of operation ``name``."""

    def register(function: Handler) -> Handler:
        HANDLERS[name] = function
        return function

    return register


def omit_none(fields: dict[str, Any]) -> dict[str, Any]:
    """Drop members whose value is ``None``: the service omits unset members."""
    return {key: value for key, value in fields.items() if value is not None}
