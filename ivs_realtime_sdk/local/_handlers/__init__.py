"""Operation handlers: read the parameters, call one backend method, render the result.

One module per resource family, named as the SDK's request modules
(``ivs_realtime_sdk/models/_*_requests.py``) group them.
"""

from __future__ import annotations

from . import (
    _compositions,
    _encoder,
    _ingest,
    _public_keys,
    _replicas,
    _sessions,
    _stages,
    _storage,
    _tags,
)
from ._registry import HANDLERS, Handler

# Importing the family modules fills HANDLERS; keep the names referenced.
FAMILIES = (
    _compositions,
    _encoder,
    _ingest,
    _public_keys,
    _replicas,
    _sessions,
    _stages,
    _storage,
    _tags,
)

__all__ = ["FAMILIES", "HANDLERS", "Handler"]
