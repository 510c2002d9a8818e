"""The admin API's events and participants: drive a stage over HTTP, from any language.

Routes (under ``/_emulator/``, no authentication, like the rest of the admin API):

- ``GET events``: every EventBridge event sent so far, oldest first.
- ``POST participants`` ``{"token"}``: join the token's stage, checked as
  ``LocalIVSRealTime.join`` checks it; 201 ``{"participantId", "sessionId", "stageArn"}``.
- ``POST participants/{participantId}/{action}``: ``publish``, ``unpublish``,
  ``subscribe`` and ``unsubscribe`` (``{"publisherId"}``), ``leave``, and
  ``exchange`` (``{"token"}``); 200 with the same body as a join.

Errors answer ``{"message", "reason"}`` with a 4xx status; ``reason`` is the
stable keyword of :class:`~ivs_realtime_sdk.local.ParticipantError`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, cast

from .. import _jwt
from ._handlers._compositions import advance_all
from ._participants import (
    ParticipantError,
    disconnect,
    exchange_token,
    find_participant,
    join,
    start_publish,
    stop_publish,
    subscribe,
    unsubscribe,
)
from ._state import Participant, Stage, Store

__all__ = ["STATUS_BY_REASON", "admin_route", "sent_events"]

# ParticipantError.reason -> HTTP status (also of the media plane's WHIP answers).
STATUS_BY_REASON = {
    "malformed_token": 401,
    "invalid_signature": 401,
    "unknown_key": 401,
    "expired": 401,
    "wrong_stage": 401,
    "revoked": 403,
    "insufficient_capabilities": 403,
    "not_self_signed": 403,
    "changed_claim": 403,
    "stage_not_found": 404,
    "not_connected": 404,
    "publisher_not_found": 404,
    "already_connected": 409,
    "quota_exceeded": 429,
}
_Answer = tuple[int, Any]


class _BadRequest(Exception):
    pass


def _field(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise _BadRequest(f"The body needs {name!r}, a non-empty string")
    return value


def _body(raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        decoded = json.loads(raw)
    except (ValueError, RecursionError):
        raise _BadRequest("The body is not valid JSON") from None
    if not isinstance(decoded, dict):
        raise _BadRequest("The body must be a JSON object")
    return cast("dict[str, Any]", decoded)


def _describe(stage: Stage, participant: Participant) -> dict[str, Any]:
    return {
        "participantId": participant.participant_id,
        "sessionId": participant.session_id,
        "stageArn": stage.arn,
    }


def _join(store: Store, body: dict[str, Any]) -> _Answer:
    token = _field(body, "token")
    try:
        _, claims = _jwt.decode_unverified(token)
    except _jwt.InvalidTokenError as exc:
        raise ParticipantError("malformed_token", f"Malformed participant token: {exc}") from None
    stage_arn = claims.get("resource")
    if not isinstance(stage_arn, str):
        raise ParticipantError("malformed_token", "Token has no resource claim")
    participant = join(store, stage_arn, token)
    return 201, _describe(store.stages[stage_arn], participant)


def _act(store: Store, participant_id: str, action: str, body: dict[str, Any]) -> _Answer:
    stage, participant = find_participant(store, participant_id)
    actions: dict[str, Callable[[], None]] = {
        "publish": lambda: start_publish(store, stage, participant),
        "unpublish": lambda: stop_publish(store, stage, participant),
        "subscribe": lambda: subscribe(store, stage, participant, _field(body, "publisherId")),
        "unsubscribe": lambda: unsubscribe(store, participant, _field(body, "publisherId")),
        "leave": lambda: disconnect(store, stage, participant),
        "exchange": lambda: exchange_token(store, stage, participant, _field(body, "token")),
    }
    run = actions.get(action)
    if run is None:
        message = f"No participant action {action!r}; one of {', '.join(sorted(actions))}"
        return 404, {"message": message, "reason": "unknown_action"}
    run()
    return 200, _describe(stage, participant)


def sent_events(store: Store) -> list[dict[str, Any]]:
    """Every EventBridge event sent so far, oldest first (copies).

    Compositions whose transition time has passed reach ACTIVE or STOPPED
    first, so that their events are there too.
    """
    with store.lock:
        advance_all(store)
    return store.event_bus.events()


def admin_route(store: Store, method: str, path: str, raw_body: bytes) -> _Answer | None:
    """Answer an admin request about events or participants; None if it is about neither.

    Args:
        store: The emulator's state (the lock is taken here).
        method: The HTTP method.
        path: The path below ``/_emulator/``, without a trailing slash.
        raw_body: The request body.
    """
    parts = path.split("/")
    if (method, path) == ("GET", "events"):
        return 200, sent_events(store)
    if parts[0] != "participants" or method != "POST" or len(parts) not in (1, 3):
        return None
    try:
        body = _body(raw_body)
        with store.lock:
            if len(parts) == 1:
                return _join(store, body)
            return _act(store, parts[1], parts[2], body)
    except _BadRequest as exc:
        return 400, {"message": str(exc), "reason": "bad_request"}
    except ParticipantError as exc:
        return STATUS_BY_REASON.get(exc.reason, 400), {"message": str(exc), "reason": exc.reason}
