"""Constants of the service model: its name and version, and where the SDK departs from it.

A leaf: it imports nothing of the package and loads nothing, so that every
layer may read it. The model itself has one door, ``_shipped.service_model()``.
The deliberate departures live here, each with its reason, so the SDK's
models, the emulator and the conformance test apply the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "API_VERSION",
    "DOCUMENTED_MAX_BYTES",
    "PATTERN_FIXES",
    "SERVICE_NAME",
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
