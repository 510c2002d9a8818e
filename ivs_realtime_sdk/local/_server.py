"""HTTP front end: routing, authentication check, faults, validation, wire format.

The wire format is botocore's ``rest-json`` for ivs-realtime: ``POST
/OperationName`` with a JSON body for all operations but the three tag calls
(``GET|POST|DELETE /tags/{resourceArn}``); ``_wire`` renders answers and
errors. Requests below ``/_emulator/`` go to the one admin router
(``_admin_api``).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from ..errors import ServiceModelError
from ._admin_api import ADMIN_PREFIX, AdminApi
from ._console import Console
from ._faults import FaultRule, Faults, Stats
from ._handlers import HANDLERS, Handler
from ._headers import declared_headers
from ._model import operations
from ._sigv4 import MISSING_AUTH, SigV4Verifier
from ._validation import InputValidator, compile_validator
from ._wire import BadJSONError, error_response, json_response, read_json
from .backend import Accounts, Backend, ServiceException, ValidationException

__all__ = ["Dispatcher"]

_TAGS_PREFIX = "/tags/"
_log = logging.getLogger("ivs_realtime_sdk.local")
# The access key id and region of a SigV4 credential scope: KEY/DATE/REGION/SERVICE/aws4_request.
_SCOPE = re.compile(r"Credential=([^/,\s]+)/[^/,\s]*/([^/,\s]*)/")
_ACCOUNT = re.compile(r"[0-9]{12}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]{1,2}")


@dataclass(frozen=True, slots=True)
class _Route:
    name: str
    validator: InputValidator
    handler: Handler
    # The response headers the model declares for the operation.
    headers: dict[str, str] = field(default_factory=lambda: dict[str, str]())
    # Whether the resource ARN is in the path (the tag operations), decided once from the model.
    tagged: bool = False


async def _read_body(request: web.BaseRequest) -> bytes:
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge as exc:
        # aiohttp stops reading at client_max_size, and drains the rest itself.
        raise ValidationException(
            f"Request body is larger than the limit of {request.client_max_size} bytes"
        ) from exc


def _params(request: web.BaseRequest, route: _Route, body: bytes) -> dict[str, Any]:
    try:
        params = read_json(body)
    except BadJSONError as exc:
        raise ValidationException(f"Request body {exc}") from None
    if route.tagged:
        # request.path is already decoded; the raw path keeps an encoded "/" apart.
        raw = request.raw_path.split("?", 1)[0][len(_TAGS_PREFIX) :]
        params["resourceArn"] = unquote(raw)
        if route.name == "UntagResource" and "tagKeys" in request.query:
            params["tagKeys"] = request.query.getall("tagKeys")
    return params


_BAD_AUTH = ServiceException(
    "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
    "parameters of an AWS4-HMAC-SHA256 signature.",
    code="IncompleteSignatureException",
    status=403,
)


class Dispatcher:
    """The aiohttp handler of one emulator: routes requests to operation handlers."""

    def __init__(
        self,
        accounts: Accounts,
        faults: Faults,
        stats: Stats,
        verifier: SigV4Verifier | None = None,
        *,
        reset: Callable[[str | None, str | None], None],
        host: str = "127.0.0.1",
        request_log: logging.Logger | None = None,
    ) -> None:
        """Compile a route, with its validator, for every operation of the model.

        Args:
            accounts: The emulated service, one backend per account and region.
            faults: The fault rules to apply.
            stats: The counters to keep.
            verifier: Checks every API request's SigV4 signature; without one, any
                ``AWS4-HMAC-SHA256`` Authorization header is accepted.
            reset: The emulator's one reset, for ``POST /_emulator/reset``
                (an account and region, or None for all).
            request_log: Gets one INFO line per request (never a secret); None logs nothing.
            host: The interface the emulator binds (the console answers on it).
        """
        self._accounts = accounts
        self._request_log = request_log
        self._faults = faults
        self._stats = stats
        self._verifier = verifier
        self._routes: dict[tuple[str, str], _Route] = {}
        self._tag_routes: dict[str, _Route] = {}
        self._by_name: dict[str, _Route] = {}
        memo: dict[str, Any] = {}
        model = operations()
        missing = set(HANDLERS) ^ set(model)
        if missing:
            raise ServiceModelError(
                f"the emulator's handlers and the service model disagree on {sorted(missing)}: "
                "the model is not the one this ivs-realtime-sdk ships"
            )
        for name, info in model.items():
            tagged = info.request_uri.startswith(_TAGS_PREFIX)
            route = _Route(
                name,
                compile_validator(info.input_shape, memo),
                HANDLERS[name],
                declared_headers(name, info.output_shape),
                tagged,
            )
            self._by_name[name] = route
            if tagged:
                self._tag_routes[info.method] = route
            else:
                self._routes[(info.method, info.request_uri)] = route
        self.admin = AdminApi(accounts, faults, stats, reset, verifier)
        """The ``/_emulator/`` namespace."""
        # The console shows the default account and region, as the media plane does.
        self.console = Console(
            accounts.default, self.run_operation, verifier.knows if verifier else None, host
        )
        """The web console: ``GET /`` and ``/_console/``."""

    async def __call__(self, request: web.BaseRequest) -> web.StreamResponse:
        """Answer one HTTP request (and log it, with a request log)."""
        if self._request_log is None:
            return await self._answer(request)
        log = self._request_log
        start = time.perf_counter()
        response = await self._answer(request)
        self._log(log, request, response, (time.perf_counter() - start) * 1000)
        return response

    def _log(
        self,
        log: logging.Logger,
        request: web.BaseRequest,
        response: web.StreamResponse,
        ms: float,
    ) -> None:
        # Names only: the operation or admin route, never a body, query, header value or token.
        route = self._routes.get((request.method, request.path))
        if route is not None:
            what = route.name
        elif request.path.startswith(_TAGS_PREFIX) and request.method in self._tag_routes:
            what = self._tag_routes[request.method].name
        else:
            what = f"{request.method} {self.admin.route_name(request.path)}"
        account, region = self._scope(request)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        log.info(
            "%sZ %s %d %.1fms request-id=%s account=%s region=%s",
            stamp,
            what,
            response.status,
            ms,
            response.headers.get("x-amzn-RequestId", "-"),
            account,
            region,
        )

    def _scope(self, request: web.BaseRequest) -> tuple[str, str]:
        """The account and region a request is for: its credential scope's, else the defaults."""
        default = self._accounts.default
        match = _SCOPE.search(request.headers.get("Authorization", ""))
        if match is None:
            return default.account_id, default.region
        access_key, region = match.groups()
        account = access_key if _ACCOUNT.fullmatch(access_key) else default.account_id
        return account, region

    def _backend(self, request: web.BaseRequest) -> Backend:
        account, region = self._scope(request)
        if not _REGION.fullmatch(region):
            raise ServiceException(
                f"Credential should be scoped to a valid region, not '{region[:64]}'. ",
                code="InvalidSignatureException",
                status=403,
            )
        return self._accounts.get(account, region)

    async def _answer(self, request: web.BaseRequest) -> web.StreamResponse:
        path = request.path
        route = self._routes.get((request.method, path))
        if route is None:
            if path.startswith(ADMIN_PREFIX):
                return await self.admin.answer(request)
            if Console.serves(request.method, path):
                return await self.console.answer(request)
            if path.startswith(_TAGS_PREFIX):
                route = self._tag_routes.get(request.method)
            if route is None:
                return error_response(
                    ServiceException(
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
        if response.status < 300 and not name.startswith(("Get", "List")):
            self.console.changed()
        return response

    def run_operation(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one operation as the API does, minus HTTP and SigV4 (for the console).

        Raises:
            ServiceException: The input or the backend refused, as the API would answer.
        """
        route = self._by_name[name]
        route.validator(params)
        backend = self._accounts.default
        result: dict[str, Any] = backend.atomically(lambda: route.handler(backend, params))
        if not name.startswith(("Get", "List")):
            self.console.changed()
        return result

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
            return error_response(ServiceException(rule.message, code=code, status=rule.status))
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
            backend = self._backend(request)
            # Rendered under the lock too, so an answer never shows half a change.
            result = backend.atomically(lambda: route.handler(backend, params))
            return json_response(200, result, route.headers)
        except ServiceException as error:
            return error_response(error)
        except ConnectionResetError:
            # The client gave up (a timeout, say) while its request was being read.
            _log.debug("client of %s went away", route.name)
            return web.Response(status=400)
        except Exception:
            # A bug of the emulator: its traceback goes to the log, never to the client.
            _log.exception("emulator handler for %s failed", route.name)
            return error_response(ServiceException("Internal server error"))

    def _check_authorization(self, request: web.BaseRequest) -> None:
        authorization = request.headers.get("Authorization")
        if authorization is None:
            raise MISSING_AUTH
        if self._verifier is None and not authorization.startswith("AWS4-HMAC-SHA256 "):
            raise _BAD_AUTH

    async def aclose(self) -> None:
        """End the console's streams; close the media plane's connections, if it was started."""
        await self.console.aclose()
        await self.admin.aclose()
