"""The ``/_emulator/`` namespace: one router for the admin API, participants and the media plane.

Routes (none of it is part of the service). An emulator given credentials
asks every admin route for a SigV4 signature by one of them, exactly as the
API is signed (``AWS4-HMAC-SHA256``, the service's signing name ``ivs``, the
emulator's region), else answers 403 as the API does; the media plane
authenticates by participant token instead, as IVS's does. Without
credentials the admin API is open.

- ``GET health``: the version, uptime, state directory (or ``"memory"``) and
  counts, per account and region.
- ``POST reset``: forget resources and events: of one account and region with
  ``{"accountId", "region"}``, of everything without a body (faults and
  counters too). With a state directory, the stored state goes too.
- ``GET|POST|DELETE faults``; ``GET stats``.
- ``GET events``: every EventBridge event sent so far, oldest first.
- ``POST participants`` ``{"token"}``: join the token's stage (in the token's
  own account and region), checked as ``LocalIVSRealTime.join`` checks it;
  201 ``{"participantId", "sessionId", "stageArn"}``.
- ``POST participants/{participantId}/{action}``: ``publish``, ``unpublish``,
  ``subscribe`` and ``unsubscribe`` (``{"publisherId"}``), ``leave``, and
  ``exchange`` (``{"token"}``); 200 with the same body as a join.
- The global WHIP endpoint and everything below ``stages/``: the media plane
  (``_media``, with the ``[media]`` extra), built on first use.

Participant errors answer ``{"message", "reason"}`` with the 4xx status the
backend decides for the refusal (``backend.refusal_status``); ``reason`` is
the stable keyword of :class:`~ivs_realtime_sdk.local.ParticipantError`.
"""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from .._extras import has_media
from ._faults import Faults, Stats, rules_from_json
from ._sigv4 import MISSING_AUTH, SigV4Verifier
from ._wire import BadJSONError, error_response, json_response, read_json, read_json_value
from .backend import (
    Accounts,
    Backend,
    Participant,
    ParticipantError,
    ServiceException,
    ValidationException,
    refusal_status,
)

__all__ = ["ADMIN_PREFIX", "AdminApi"]

ADMIN_PREFIX = "/_emulator/"


class _BadRequest(Exception):
    pass


def _field(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise _BadRequest(f"The body needs {name!r}, a non-empty string")
    return value


def _body(raw: bytes) -> dict[str, Any]:
    try:
        return read_json(raw)
    except BadJSONError as exc:
        raise _BadRequest(f"The body {exc}") from None


def _describe(participant: Participant) -> dict[str, Any]:
    return {
        "participantId": participant.participant_id,
        "sessionId": participant.session_id,
        "stageArn": participant.stage_arn,
    }


_Action = Callable[[Backend, str, dict[str, Any]], Participant]
# Participant actions by name; ``None`` as the stage finds the participant in any stage.
_ACTIONS: dict[str, _Action] = {
    "publish": lambda b, pid, body: b.publish(None, pid),
    "unpublish": lambda b, pid, body: b.unpublish(None, pid),
    "subscribe": lambda b, pid, body: b.subscribe(None, pid, _field(body, "publisherId")),
    "unsubscribe": lambda b, pid, body: b.unsubscribe(None, pid, _field(body, "publisherId")),
    "leave": lambda b, pid, body: b.leave(None, pid),
    "exchange": lambda b, pid, body: b.exchange_token(None, pid, _field(body, "token")),
}


class AdminApi:
    """Answers every request below ``/_emulator/``."""

    def __init__(
        self,
        accounts: Accounts,
        faults: Faults,
        stats: Stats,
        reset: Callable[[str | None, str | None], None],
        verifier: SigV4Verifier | None = None,
    ) -> None:
        """Serve ``accounts``; ``reset`` is the emulator's one reset (resources, faults, stats).

        With a ``verifier``, every admin route but the media plane needs a SigV4 signature.
        """
        self._accounts = accounts
        # The media plane serves the default account and region.
        self._backend = accounts.default
        self._verifier = verifier
        self._faults = faults
        self._stats = stats
        self._reset = reset
        self._routes: dict[tuple[str, str], Callable[[bytes], Awaitable[web.Response]]] = {
            ("GET", "health"): self._health,
            ("GET", "faults"): self._faults_listed,
            ("POST", "faults"): self._faults_added,
            ("DELETE", "faults"): self._faults_cleared,
            ("GET", "stats"): self._stats_listed,
            ("POST", "reset"): self._reset_all,
            ("GET", "events"): self._events,
            ("POST", "participants"): self._join,
        }
        # The WebRTC media plane (WHIP, stage events), made on first use with the [media] extra.
        self._media: Any = None if has_media() else False

    def route_name(self, path: str) -> str:
        """The admin route of ``path``, for the request log (IDs and tokens left out)."""
        rest = path[len(ADMIN_PREFIX) :].rstrip("/") if path.startswith(ADMIN_PREFIX) else ""
        parts = rest.split("/")
        if parts[0] in ("participants", "stages") and len(parts) > 1:
            return ADMIN_PREFIX + "/".join([parts[0], "*", *parts[2:3]])
        if (path.startswith(ADMIN_PREFIX) and len(parts) == 1) or self._is_media_path(path):
            return ADMIN_PREFIX + rest
        return "(no route)"

    async def answer(self, request: web.BaseRequest) -> web.StreamResponse:
        """Answer one request whose path starts with ``/_emulator/``."""
        if self._is_media_path(request.path):
            answer = await self._media_answer(request)
            if answer is not None:
                return answer
        if self._verifier is not None:
            refused = await self._refused(request)
            if refused is not None:
                return refused
        path = request.path[len(ADMIN_PREFIX) :].rstrip("/")
        parts = path.split("/")
        try:
            route = self._routes.get((request.method, path))
            if route is not None:
                return await route(await request.read())
            if request.method == "POST" and len(parts) == 3 and parts[0] == "participants":
                return self._act(parts[1], parts[2], await request.read())
        except (ValueError, TypeError, RecursionError) as exc:  # BadJSONError included
            return error_response(ValidationException(f"Bad admin request: {exc}"))
        return error_response(
            ServiceException(
                f"No admin action at {request.method} {request.path}", status=404, code="NotFound"
            )
        )

    def media_peer_count(self) -> int:
        """The WHIP peer connections open now."""
        return self._media.peer_count() if self._media else 0

    async def _refused(self, request: web.BaseRequest) -> web.Response | None:
        """The 403 of an admin request not signed by a configured key, else None."""
        assert self._verifier is not None
        if "Authorization" not in request.headers:
            return error_response(MISSING_AUTH)
        try:
            self._verifier.verify(
                method=request.method,
                raw_path=request.raw_path,
                headers=request.headers,
                body=await request.read(),
            )
        except ServiceException as error:
            return error_response(error)
        return None

    async def aclose(self) -> None:
        """Close the media plane's connections, if it was started."""
        if self._media:
            await self._media.aclose()

    def stats_json(self) -> dict[str, Any]:
        """The counters as JSON."""
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
            "issuedParticipantIds": len(self._backend.issued_participant_ids()),
        }

    # -- the admin API ---------------------------------------------------------------------

    async def _health(self, raw: bytes) -> web.Response:
        accounts = self._accounts
        scopes = [
            {"accountId": b.account_id, "region": b.region, **b.counts()} for b in accounts.all()
        ]
        return json_response(
            200,
            {
                "status": "ok",
                "version": _version(),
                "uptimeSeconds": round(time.time() - accounts.started, 3),
                "stateDir": accounts.state_dir or "memory",
                "events": len(accounts.event_bus.events_after(0)),
                "accounts": scopes,
            },
        )

    async def _faults_listed(self, raw: bytes) -> web.Response:
        return json_response(200, {"rules": [r.to_json() for r in self._faults.rules]})

    async def _faults_added(self, raw: bytes) -> web.Response:
        # Every rule is checked before any is armed: a refused body arms nothing.
        for rule in rules_from_json(read_json_value(raw or b"{}")):
            self._faults.add(rule)
        return await self._faults_listed(raw)

    async def _faults_cleared(self, raw: bytes) -> web.Response:
        self._faults.clear()
        return json_response(200, {"rules": []})

    async def _stats_listed(self, raw: bytes) -> web.Response:
        return json_response(200, self.stats_json())

    async def _reset_all(self, raw: bytes) -> web.Response:
        try:
            body = _body(raw)
            if body:
                account, region = _field(body, "accountId"), _field(body, "region")
                self._reset(account, region)
                return json_response(200, {"accountId": account, "region": region})
        except _BadRequest as exc:
            return error_response(ValidationException(str(exc)))
        self._reset(None, None)
        return json_response(200, {})

    async def _events(self, raw: bytes) -> web.Response:
        return json_response(200, self._backend.sent_events())

    # -- participants ------------------------------------------------------------------------

    async def _join(self, raw: bytes) -> web.Response:
        def join() -> Participant:
            token = _field(_body(raw), "token")
            # A token is valid only in its own account and region: its stage ARN's.
            return self._accounts.of_token(token).join_with_token(token)

        return self._participant_answer(201, join)

    def _act(self, participant_id: str, action: str, raw: bytes) -> web.Response:
        run = _ACTIONS.get(action)
        if run is None:
            message = f"No participant action {action!r}; one of {', '.join(sorted(_ACTIONS))}"
            return json_response(404, {"message": message, "reason": "unknown_action"})

        def act() -> Participant:
            # The participant's own account and region: the default's first, then the others'.
            body = _body(raw)
            others = [b for b in self._accounts.all() if b is not self._backend]
            for backend in [self._backend, *others[:-1]] if others else []:
                try:
                    return run(backend, participant_id, body)
                except ParticipantError as exc:
                    if exc.reason != "not_connected":
                        raise
            return run(others[-1] if others else self._backend, participant_id, body)

        return self._participant_answer(200, act)

    @staticmethod
    def _participant_answer(status: int, act: Callable[[], Participant]) -> web.Response:
        try:
            return json_response(status, _describe(act()))
        except _BadRequest as exc:
            return json_response(400, {"message": str(exc), "reason": "bad_request"})
        except ParticipantError as exc:
            return json_response(refusal_status(exc), {"message": str(exc), "reason": exc.reason})

    # -- the media plane -------------------------------------------------------------------

    def _is_media_path(self, path: str) -> bool:
        # The global WHIP endpoint, or below a stage's media endpoints.
        whip = urlsplit(self._backend.global_whip_url).path
        return path == whip or path.startswith(f"{ADMIN_PREFIX}stages/")

    def media_plane(self) -> Any:
        """The media plane (built now if it was not), or None without the [media] extra."""
        if self._media is False:
            return None
        if self._media is None:
            from ._media import MediaPlane

            self._media = MediaPlane(self._backend)
        return self._media

    async def _media_answer(self, request: web.BaseRequest) -> web.StreamResponse | None:
        # Other admin requests (health, faults, events, ...) never build the media plane,
        # which imports aiortc and PyAV.
        if self._media is False:
            return None
        self.media_plane()
        answer: web.StreamResponse | None = await self._media.handle(request)
        return answer


def _version() -> str:
    try:
        return importlib.metadata.version("ivs-realtime-sdk")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "unknown"
