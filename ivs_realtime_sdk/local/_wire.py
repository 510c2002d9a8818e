"""JSON in and out, as the service sends it, for the API and the ``/_emulator/`` namespace alike.

``read_json`` is the one reader of request bodies: it refuses what is not
JSON text a service could store and answer again, namely a string that is not
Unicode text (a lone surrogate from a ``\\udXXX`` escape, which cannot be
encoded as UTF-8) and a number that is not finite (``NaN``, ``Infinity``, or a
literal too large for a double), so nothing stored can break a later answer.

Errors carry their code in the ``x-amzn-ErrorType`` header (which botocore's
rest-json parser reads first) and a JSON body with both ``exceptionMessage``
(the member the model declares, so it lands in ``e.response["exceptionMessage"]``)
and ``message`` (the key botocore reads into ``e.response["Error"]["Message"]``).
"""

from __future__ import annotations

import json
import math
import uuid
from typing import Any, cast

from aiohttp import web

from .backend import ServiceException

__all__ = ["BadJSONError", "error_response", "json_response", "read_json", "read_json_value"]

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


class BadJSONError(ValueError):
    """A request body that is not a JSON object of valid text and finite numbers.

    Its message completes "Request body ..." ("is not valid JSON", "holds NaN: ...").
    """


def _no_constant(name: str) -> Any:
    raise BadJSONError(f"holds {name}: numbers must be finite")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadJSONError("holds a number too large for a double: numbers must be finite")
    return value


def read_json(body: bytes) -> dict[str, Any]:
    """Decode a request body that must be a JSON object (an empty body reads as ``{}``).

    Raises:
        BadJSONError: Not JSON, not an object, nested too deeply, not valid UTF-8, a
            string holding a lone surrogate, or a number that is not finite.
    """
    decoded: object = read_json_value(body) if body else {}
    if not isinstance(decoded, dict):
        raise BadJSONError("must be a JSON object")
    return cast("dict[str, Any]", decoded)


def read_json_value(body: bytes) -> object:
    """Decode a request body holding any JSON value, with the checks of ``read_json``."""
    try:
        decoded = json.loads(body, parse_constant=_no_constant, parse_float=_finite)
    except BadJSONError:
        raise
    except RecursionError:
        raise BadJSONError("is nested too deeply") from None
    except ValueError:  # JSONDecodeError, UnicodeDecodeError, an int of too many digits
        raise BadJSONError("is not valid JSON") from None
    try:
        # Every string, keys included, must encode as UTF-8 to be answered again.
        _dumps(decoded).encode("utf-8")
    except UnicodeEncodeError:
        raise BadJSONError(
            "holds a string with a lone surrogate (\\ud800-\\udfff), which is not Unicode text"
        ) from None
    except (RecursionError, ValueError):
        raise BadJSONError("is nested too deeply") from None
    return cast(object, decoded)
