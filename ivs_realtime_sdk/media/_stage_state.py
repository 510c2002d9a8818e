"""The stage's participants as they change, from the stage events WebSocket.

The socket is ``{events_url}/{topic}`` (both claims of the token), with the
token as the WebSocket subprotocol. The server sends ``STAGE_STATE``
messages (``payload.stageId``, ``payload.participants[]``) on every change,
and answers ``{"type": "PING"}`` with ``PONG``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self, cast

import aiohttp
import attrs

from .._frozen import EMPTY, FrozenDict
from ..errors import MediaConnectionError, UnexpectedResponseError
from ._token import ParticipantTokenInput, read_token

__all__ = [
    "DEFAULT_PING_INTERVAL",
    "StageParticipant",
    "StageState",
    "StageStates",
    "parse_stage_state",
    "stage_state",
]

DEFAULT_PING_INTERVAL = 15.0
"""Seconds between keep-alive PINGs."""


@attrs.frozen(kw_only=True)
class StageParticipant:
    """One participant of a stage, as the stage events socket reports it."""

    participant_id: str
    """The participant's id."""
    user_id: str | None = None
    """The user id its token carries, if any."""
    attributes: Mapping[str, str] = EMPTY
    """The attributes its token carries."""
    is_publishing: bool = False
    """Whether it publishes media now."""


@attrs.frozen(kw_only=True)
class StageState:
    """Who is on the stage, at one moment."""

    stage_id: str
    """The stage's id (the token's ``topic``)."""
    participants: tuple[StageParticipant, ...] = ()
    """The participants, in the order the server lists them."""

    def get(self, participant_id: str) -> StageParticipant | None:
        """Return the participant with this id, or None."""
        return next((p for p in self.participants if p.participant_id == participant_id), None)

    @property
    def publishers(self) -> tuple[StageParticipant, ...]:
        """The participants publishing now."""
        return tuple(p for p in self.participants if p.is_publishing)


def _field(raw: Mapping[str, Any], name: str, kind: type[Any], where: str) -> Any:
    value = raw.get(name)
    if value is not None and not isinstance(value, kind):
        raise UnexpectedResponseError(f"{where}.{name} is a {type(value).__name__}")
    return value


def parse_stage_state(payload: object) -> StageState:
    """Build a :class:`StageState` from a ``STAGE_STATE`` message's payload.

    Unknown keys are ignored (a newer service may add some).

    Raises:
        UnexpectedResponseError: The payload does not have the documented shape.
    """
    if not isinstance(payload, Mapping):
        raise UnexpectedResponseError("STAGE_STATE payload is not an object")
    raw = cast("Mapping[str, Any]", payload)
    stage_id = _field(raw, "stageId", str, "payload")
    items: list[object] = _field(raw, "participants", list, "payload") or []
    participants: list[StageParticipant] = []
    for i, item in enumerate(items):
        where = f"payload.participants[{i}]"
        if not isinstance(item, Mapping):
            raise UnexpectedResponseError(f"{where} is not an object")
        entry = cast("Mapping[str, Any]", item)
        participant_id = _field(entry, "id", str, where)
        if participant_id is None:
            raise UnexpectedResponseError(f"{where}.id is missing")
        attributes: dict[object, object] = _field(entry, "attributes", dict, where) or {}
        participants.append(
            StageParticipant(
                participant_id=participant_id,
                user_id=_field(entry, "userId", str, where) or None,
                attributes=FrozenDict({str(k): str(v) for k, v in attributes.items()}),
                is_publishing=bool(_field(entry, "isPublishing", bool, where)),
            )
        )
    return StageState(stage_id=stage_id or "", participants=tuple(participants))


class StageStates:
    """An async iterator of :class:`StageState`; use it in ``async with``.

    Each state is the whole stage as the server reported it, on connecting
    and on every change.
    """

    def __init__(self, token: ParticipantTokenInput, *, ping_interval: float) -> None:
        """See :func:`stage_state`."""
        self._token, claims = read_token(token)
        self._url = f"{claims.events_url.rstrip('/')}/{claims.stage_id}"
        self._ping_interval = ping_interval
        self._http: aiohttp.ClientSession | None = None
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._pinger: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        """Connect to the stage events socket.

        Raises:
            MediaConnectionError: The socket could not be opened.
        """
        self._http = aiohttp.ClientSession()
        try:
            self._socket = await self._http.ws_connect(self._url, protocols=(self._token,))
        except (aiohttp.ClientError, aiohttp.WSServerHandshakeError) as exc:
            await self.aclose()
            raise MediaConnectionError(f"stage events: could not connect: {exc}") from exc
        self._pinger = asyncio.create_task(self._ping(self._socket))
        return self

    async def _ping(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        with contextlib.suppress(asyncio.CancelledError, ConnectionError, aiohttp.ClientError):
            while not socket.closed:
                await socket.send_str('{"type":"PING"}')
                await asyncio.sleep(self._ping_interval)

    def __aiter__(self) -> Self:
        """Iterate over the states."""
        return self

    async def __anext__(self) -> StageState:
        """Return the next state; stop when the server closes the socket.

        Raises:
            UnexpectedResponseError: A message does not have the documented shape.
        """
        socket = self._socket
        if socket is None:
            raise RuntimeError("not connected: use it in an `async with` block")
        async for message in socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            try:
                decoded: object = json.loads(message.data)
            except ValueError as exc:
                raise UnexpectedResponseError("stage events: a message is not JSON") from exc
            if isinstance(decoded, dict):
                body = cast("dict[str, Any]", decoded)
                if body.get("type") == "STAGE_STATE":
                    return parse_stage_state(body.get("payload"))
        raise StopAsyncIteration

    async def aclose(self) -> None:
        """Close the socket (idempotent)."""
        pinger, socket, http = self._pinger, self._socket, self._http
        self._pinger = self._socket = self._http = None
        if pinger is not None:
            pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pinger
        if socket is not None:
            await socket.close()
        if http is not None:
            await http.close()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the socket."""
        await self.aclose()


def stage_state(
    token: ParticipantTokenInput, *, ping_interval: float = DEFAULT_PING_INTERVAL
) -> StageStates:
    """Follow who is on the stage: ``async with stage_state(token) as states:``.

    Args:
        token: A participant token of the stage (any capability).
        ping_interval: Seconds between keep-alive PINGs.

    Returns:
        An async context manager and async iterator of :class:`StageState`.

    Raises:
        InvalidTokenError: The string is not a participant token.
        StageRefusedError: The token has expired.
    """
    return StageStates(token, ping_interval=ping_interval)
