"""The botocore service model of ivs-realtime, loaded once, and the route table."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, cast

__all__ = ["API_VERSION", "SERVICE_NAME", "OperationInfo", "operations", "service_model"]

SERVICE_NAME = "ivs-realtime"
API_VERSION = "2020-07-14"


@dataclass(frozen=True, slots=True)
class OperationInfo:
    """What the router needs of one operation."""

    name: str
    method: str
    request_uri: str
    input_shape: Any
    output_shape: Any


@functools.cache
def service_model() -> Any:
    """Return botocore's ``ServiceModel`` for ivs-realtime 2020-07-14 (cached)."""
    import botocore.loaders
    import botocore.model

    loader = botocore.loaders.Loader()
    raw = cast(
        "dict[str, Any]",
        loader.load_service_model(SERVICE_NAME, "service-2", api_version=API_VERSION),
    )
    return botocore.model.ServiceModel(raw, service_name=SERVICE_NAME)


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
