"""The service model the SDK ships, and the route table the emulator builds from it.

The emulator's one seam into the SDK's private modules: the rest of ``local``
reads the model, its constants and its limits from here (checked by the
``local`` import contract in pyproject.toml).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from .._service_model import DOCUMENTED_MAX_BYTES, PATTERN_FIXES
from .._shipped import API_VERSION, SERVICE_NAME, service_model

__all__ = [
    "API_VERSION",
    "DOCUMENTED_MAX_BYTES",
    "PATTERN_FIXES",
    "SERVICE_NAME",
    "OperationInfo",
    "operations",
    "service_model",
]


@dataclass(frozen=True, slots=True)
class OperationInfo:
    """What the router needs of one operation."""

    name: str
    method: str
    request_uri: str
    input_shape: Any
    output_shape: Any


@functools.cache
def operations() -> dict[str, OperationInfo]:
    """Return every operation of the model by name (cached)."""
    model = service_model()
    result: dict[str, OperationInfo] = {}
    for name in model.operation_names:
        op = model.operation_model(name)
        result[name] = OperationInfo(
            name=name,
            method=op.http["method"],
            request_uri=op.http["requestUri"],
            input_shape=op.input_shape,
            output_shape=op.output_shape,
        )
    return result
