"""Operation handlers: one function per API operation, grouped by resource family."""

from __future__ import annotations

from . import _compositions, _configurations, _public_keys, _sessions, _stages, _tags, _tokens
from ._registry import HANDLERS, Handler

# Importing the family modules fills HANDLERS; keep the names referenced.
_FAMILIES = (_compositions, _configurations, _public_keys, _sessions, _stages, _tags, _tokens)

__all__ = ["HANDLERS", "Handler"]
