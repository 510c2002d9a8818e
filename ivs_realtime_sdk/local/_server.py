"""HTTP front end: routing, authentication check, faults, validation, wire format.

The wire format is botocore's ``rest-json`` for ivs-realtime: ``POST
/OperationName`` with a JSON body for all operations but the three tag calls
(``GET|POST|DELETE /tags/{resourceArn}``). Errors carry their code in the
``x-amzn-ErrorType`` header (which botocore's rest-json parser reads first) and
a JSON body with both ``exceptionMessage`` (the member the model declares, so
it lands in ``e.response["exceptionMessage"]``) and ``message`` (the key
botocore reads into ``e.response["Error"]["Message"]``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from aiohttp import web

from .._extras import has_media
from ..errors import ServiceModelError
from ._admin import admin_route
from ._errors import ServiceError, ValidationException
from ._faults import FaultRule, Faults, Stats, rules_from_json
from ._handlers import HANDLERS, Handler
from ._headers import declared_headers
from ._model import operations
from ._sigv4 import SigV4Verifier
from ._state import Store
from ._validation import InputValidator, compile_validator

__all__ = ["ADMIN_PREFIX", "Dispatcher"]

ADMIN_PREFIX = "/_emulator/"
_TAGS_PREFIX = "/tags/"
_log = logging.getLogger("ivs_realtime_sdk.local")
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_JSON = "application/json"


@dataclass(frozen=True, slots=True)
class _Route:
    name: str
    validator: InputValidator
    handler: Handler
    # The response headers the model declares for the operation.
    headers: dict[str, str] = field(default_factory=lambda: dict[str, str]())


def _json_response(
    status: int, payload: Any, headers: dict[str, str] | None = None
) -> web.Response:
    all_headers = {"Content-Type": _JSON, "x-amzn-RequestId": str(uuid.uuid4())}
    if headers:
        all_headers.update(headers)
    return web.Response(status=status, body=_dumps(payload).encode("utf-8"), headers=all_headers)


def error_response(error: ServiceError) -> web.Response:
    """Render a service error the way botocore's rest-json parser reads it."""
    return _json_response(
        error.status,
        {"message": error.message, "exceptionMessage": error.message},
        {"x-amzn-ErrorType": error.code},
    )


async def _read_body(request: web.BaseRequest) -> bytes:
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        # aiohttp stops reading at client_max_size, and drains the rest itself.
        raise ValidationException(
            f"Request body is larger than the limit of {request.client_max_size} bytes"
        ) from exc


def _params(request: web.BaseRequest, route: _Route, body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if body:
        try:
            decoded = json.loads(body)
        except RecursionError as exc:
            raise ValidationException("Request body is nested too deeply") from exc
        except ValueError as exc:
            raise ValidationException("Request body is not valid JSON") from exc
        if not isinstance(decoded, dict):
            raise ValidationException("Request body must be a JSON object")
        params = cast("dict[str, Any]", decoded)
    if route.name in ("TagResource", "UntagResource", "ListTagsForResource"):
        # request.path is already decoded; the raw path keeps an encoded "/" apart.
        raw = request.raw_path.split("?", 1)[0][len(_TAGS_PREFIX) :]
        params["resourceArn"] = unquote(raw)
        if route.name == "UntagResource" and "tagKeys" in request.query:
            params["tagKeys"] = request.query.getall("tagKeys")
    return params


# What the service's front end answers when no SigV4 header is present: the
# API-Gateway-style MissingAuthenticationTokenException (403).
_MISSING_AUTH = ServiceError(
    "Missing Authentication Token", code="MissingAuthenticationTokenException", status=403
)
_BAD_AUTH = ServiceError(
    "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
    "parameters of an AWS4-HMAC-SHA256 signature.",
    code="IncompleteSignatureException",
    status=403,
)


def _is_media_path(store: Store, path: str) -> bool:
    """Whether ``path`` is the global WHIP endpoint or below a stage's media endpoints."""
    return path == urlsplit(store.global_whip_url).path or path.startswith(f"{ADMIN_PREFIX}stages/")


class Dispatcher:
    """The aiohttp handler of one emulator: routes requests to operation handlers."""

    def __init__(
        self, store: Store, faults: Faults, stats: Stats, verifier: SigV4Verifier | None = None
    ) -> None:
        """Compile a route, with its validator, for every operation of the model.

        Args:
            store: The emulated resources.
            faults: The fault rules to apply.
            stats: The counters to keep.
            verifier: Checks every API request's SigV4 signature; without one, any
                ``AWS4-HMAC-SHA256`` Authorization header is accepted.
        """
        self._store = store
        self._faults = faults
        self._stats = stats
        self._verifier = verifier
        self._routes: dict[tuple[str, str], _Route] = {}
        self._tag_routes: dict[str, _Route] = {}
        memo: dict[str, Any] = {}
        model = operations()
        missing = set(HANDLERS) ^ set(model)
        if missing:
            raise ServiceModelError(
                f"the emulator's handlers and the service model disagree on {sorted(missing)}: "
                "the model is not the one this ivs-realtime-sdk ships"
            )
        for name, info in model.items():
            route = _Route(
                name,
                compile_validator(info.input_shape, memo),
                HANDLERS[name],
                declared_headers(name, info.output_shape),
            )
            if info.request_uri.startswith(_TAGS_PREFIX):
                self._tag_routes[info.method] = route
            else:
                self._routes[(info.method, info.request_uri)] = route
        # The WebRTC media plane (WHIP, stage events), made on first use with the [media] extra.
        self._media: Any = None if has_media() else False

    async def __call__(self, request: web.BaseRequest) -> web.StreamResponse:
        """Answer one HTTP request."""
        path = request.path
        route = self._routes.get((request.method, path))
        if route is None:
            if path.startswith(ADMIN_PREFIX):
                answer = await self._media_answer(request)
                return answer if answer is not None else await self._admin(request)
            if path.startswith(_TAGS_PREFIX):
                route = self._tag_routes.get(request.method)
            if route is None:
                return error_response(
                    ServiceError(
                        f"No operation at {request.method} {path}",
                        code="UnknownOperationException",
                        status=404,
                    )
                )
        name = route.name
        self._stats.received(name)
        rule = self._faults.pick(name)
        if rule is not None and not rule.after:
            faulted = await self._apply_fault(request, name, rule)
            if faulted is not None:
                return faulted
        response = await self._call(request, route)
        if rule is not None and rule.after:
            # The call has taken effect; only its answer is late, lost or replaced.
            faulted = await self._apply_fault(request, name, rule)
            if faulted is not None:
                return faulted
        self._stats.finished(name, ok=response.status < 300, fault=rule is not None)
        return response

    async def _apply_fault(
        self, request: web.BaseRequest, name: str, rule: FaultRule
    ) -> web.StreamResponse | None:
        if rule.delay > 0:
            await asyncio.sleep(rule.delay)
        if rule.drop:
            self._stats.finished(name, ok=False, fault=True)
            transport = request.transport
            if transport is not None:
                transport.abort()
            # Nothing reaches the client: the transport is gone.
            return web.Response(status=500)
        code = rule.error_code
        if rule.status is not None and code is not None:
            self._stats.finished(name, ok=False, fault=True)
            return error_response(ServiceError(rule.message, code=code, status=rule.status))
        return None

    async def _call(self, request: web.BaseRequest, route: _Route) -> web.Response:
        try:
            self._check_authorization(request)
            body = await _read_body(request)
            if self._verifier is not None:
                self._verifier.verify(
                    method=request.method,
                    raw_path=request.raw_path,
                    headers=request.headers,
                    body=body,
                )
            params = _params(request, route, body)
            route.validator(params)
            with self._store.lock:
                result = route.handler(self._store, params)
        except ServiceError as error:
            return error_response(error)
        except ConnectionResetError:
            # The client gave up (a timeout, say) while its request was being read.
            _log.debug("client of %s went away", route.name)
            return web.Response(status=400)
        except Exception:
            # A bug of the emulator: its traceback goes to the log, never to the client.
            _log.exception("emulator handler for %s failed", route.name)
            return error_response(ServiceError("Internal server error"))
        return _json_response(200, result, route.headers)

    def _check_authorization(self, request: web.BaseRequest) -> None:
        authorization = request.headers.get("Authorization")
        if authorization is None:
            raise _MISSING_AUTH
        if self._verifier is None and not authorization.startswith("AWS4-HMAC-SHA256 "):
            raise _BAD_AUTH

    async def _media_answer(self, request: web.BaseRequest) -> web.StreamResponse | None:
        # Other admin requests (health, faults, events, ...) never build the media plane,
        # which imports aiortc and PyAV.
        if self._media is False or not _is_media_path(self._store, request.path):
            return None
        if self._media is None:
            from ._media import MediaPlane

            self._media = MediaPlane(self._store)
        answer: web.StreamResponse | None = await self._media.handle(request)
        return answer

    async def aclose(self) -> None:
        """Close the media plane's connections, if it was started."""
        if self._media:
            await self._media.aclose()

    # -- admin API (no authentication: it is not part of the service) ------------------

    async def _admin(self, request: web.BaseRequest) -> web.Response:
        action = (request.method, request.path[len(ADMIN_PREFIX) :].rstrip("/"))
        try:
            if action == ("GET", "health"):
                return _json_response(200, {"status": "ok"})
            if action == ("GET", "faults"):
                return _json_response(200, {"rules": [r.to_json() for r in self._faults.rules]})
            if action == ("POST", "faults"):
                rules = rules_from_json(json.loads(await request.read() or b"{}"))
                for rule in rules:
                    self._faults.add(rule)
                return _json_response(200, {"rules": [r.to_json() for r in self._faults.rules]})
            if action == ("DELETE", "faults"):
                self._faults.clear()
                return _json_response(200, {"rules": []})
            if action == ("GET", "stats"):
                return _json_response(200, self.stats_json())
            if action == ("POST", "reset"):
                self._store.reset()
                self._faults.clear()
                self._stats.reset()
                return _json_response(200, {})
            routed = admin_route(self._store, action[0], action[1], await request.read())
            if routed is not None:
                return _json_response(*routed)
        except (ValueError, TypeError, RecursionError) as exc:
            return error_response(ValidationException(f"Bad admin request: {exc}"))
        return error_response(
            ServiceError(
                f"No admin action at {request.method} {request.path}", status=404, code="NotFound"
            )
        )

    def stats_json(self) -> dict[str, Any]:
        """Return the counters as JSON (admin API)."""
        with self._store.lock:
            issued = len(self._store.issued_participant_ids)
        return {
            "operations": {
                name: {
                    "received": s.received,
                    "succeeded": s.succeeded,
                    "failed": s.failed,
                    "faults": s.faults,
                }
                for name, s in self._stats.snapshot().items()
            },
            "issuedParticipantIds": issued,
        }
