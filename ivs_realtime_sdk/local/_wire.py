"""JSON answers as the service sends them, for the API and the ``/_emulator/`` namespace alike.

Errors carry their code in the ``x-amzn-ErrorType`` header (which botocore's
rest-json parser reads first) and a JSON body with both ``exceptionMessage``
(the member the model declares, so it lands in ``e.response["exceptionMessage"]``)
and ``message`` (the key botocore reads into ``e.response["Error"]["Message"]``).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from aiohttp import web

from .backend import ServiceException

__all__ = ["error_response", "json_response"]

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_JSON = "application/json"


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer with a fresh request ID."""
    all_headers = {"Content-Type": _JSON, "x-amzn-RequestId": str(uuid.uuid4())}
    if headers:
        all_headers.update(headers)
    return web.Response(status=status, body=_dumps(payload).encode("utf-8"), headers=all_headers)


def error_response(error: ServiceException) -> web.Response:
    """Render a service error the way botocore's rest-json parser reads it."""
    return json_response(
        error.status,
        {"message": error.message, "exceptionMessage": error.message},
        {"x-amzn-ErrorType": error.code},
    )
