"""The HTTP headers the service model declares on responses, with the values the emulator sends.

Some output shapes (StartParticipantReplication's, and since 2025 the ingest
configuration create and update answers) declare members bound to response
headers: the CORS and security headers of the service's front end. Each
route's headers are read from its output shape, so that a model that declares
them on more operations gets them without a code change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ServiceModelError

__all__ = ["declared_headers"]

# What a browser-facing AWS API answers with; the model names the headers, not values.
HEADER_VALUES: Mapping[str, str] = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def declared_headers(operation: str, output_shape: Any) -> dict[str, str]:
    """Return the response headers ``output_shape`` declares, each with its value.

    Raises:
        ServiceModelError: The model declares a header the emulator has no value for.
    """
    headers: dict[str, str] = {}
    if output_shape is None:
        return headers
    for member in output_shape.members.values():
        if member.serialization.get("location") != "header":
            continue
        name: str = member.serialization["name"]
        value = HEADER_VALUES.get(name)
        if value is None:
            raise ServiceModelError(
                f"{operation}: the model declares response header {name!r}, "
                "which the emulator does not know"
            )
        headers[name] = value
    return headers
