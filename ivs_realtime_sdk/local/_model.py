"""The service model the SDK ships, and the route table the emulator builds from it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from .. import _shipped

__all__ = ["API_VERSION", "SERVICE_NAME", "OperationInfo", "operations", "service_model"]

SERVICE_NAME = _shipped.SERVICE_NAME
API_VERSION = _shipped.API_VERSION


@dataclass(frozen=True, slots=True)
class OperationInfo:
    """What the router needs of one operation."""

    name: str
    method: str
    request_uri: str
    input_shape: Any
    output_shape: Any


def service_model() -> Any:
    """Return botocore's ``ServiceModel`` of the model the SDK ships (cached).

    Never the installed botocore's: the emulator speaks the newest service
    whatever botocore version aioboto3 resolved.
    """
    return _shipped.service_model()


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
