"""The service model the SDK ships, read in one place, and where the SDK departs from it.

Everything that needs the model (the emulator's routes and validation, the
conformance test, the documented operation count) calls ``service_model()``.
The deliberate departures live here, each with its reason, so the SDK's
models, the emulator and the conformance test apply the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "API_VERSION",
    "DOCUMENTED_MAX_BYTES",
    "PATTERN_FIXES",
    "SERVICE_NAME",
    "operation_count",
    "service_model",
]

SERVICE_NAME = "ivs-realtime"
API_VERSION = "2020-07-14"

#: Patterns the model gets wrong, by shape name: the pattern the service really applies.
PATTERN_FIXES: Mapping[str, str] = {
    # The model's ResourceArn reads "[a-z-]/": one character before the slash,
    # which no real ARN matches (stage/..., public-key/...). The service accepts
    # them, so the resource type part is widened to "[a-z-]+".
    "ResourceArn": r"arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+",
}

#: Limits the documentation states and the model does not, by shape name: UTF-8 bytes
#: of all keys and values together ("1 KB total" for participant token attributes).
DOCUMENTED_MAX_BYTES: Mapping[str, int] = {
    "ParticipantTokenAttributes": 1024,
}


def service_model() -> Any:
    """Return botocore's ``ServiceModel`` of the model the SDK ships (built once).

    Never the installed botocore's, which aioboto3 pins to an older release:
    see ``_shipped``.
    """
    from ._shipped import service_model as shipped

    return shipped()


def operation_count() -> int:
    """How many operations the service model has: the count the docs state."""
    return len(service_model().operation_names)
