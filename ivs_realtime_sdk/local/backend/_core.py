"""What every family of the backend shares: the state, the event bus, the lock, and the rules
that are the same for every resource (lookups, quotas, pages, tags, attributes, IDs).

The lock rule lives here, once: every public method of a backend class (one
whose name does not start with ``_``) runs under the backend's re-entrant
lock, wrapped by :meth:`BackendCore.__init_subclass__`. Private methods are
the steps public ones take while holding it. Nothing outside the backend
takes the lock; events reach subscribers on the bus's own thread, outside it.
"""

from __future__ import annotations

import base64
import binascii
import functools
import heapq
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

from .._model import DOCUMENTED_MAX_BYTES
from ._bus import EventBus
from ._errors import ResourceNotFoundException, ServiceQuotaExceededException, ValidationException
from ._events import participant_event
from ._ids import new_id
from ._state import Event, Participant, State

__all__ = ["BackendCore", "Page", "is_locked"]


class _Sequenced(Protocol):
    @property
    def seq(self) -> int: ...


T = TypeVar("T", bound=_Sequenced)
R = TypeVar("R")
Page = tuple[list[T], str | None]

# The documented "1 KB total", the limit the SDK's token attributes check too.
_ATTRIBUTES_LIMIT = DOCUMENTED_MAX_BYTES["ParticipantTokenAttributes"]


# The wrapped methods, so that a test can prove every public method is one of them.
_LOCKED: set[object] = set()


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def run(self: BackendCore, *args: Any, **kwargs: Any) -> Any:
        with self._lock:  # pyright: ignore[reportPrivateUsage]
            self._depth += 1  # pyright: ignore[reportPrivateUsage]
            try:
                return method(self, *args, **kwargs)
            finally:
                self._depth -= 1  # pyright: ignore[reportPrivateUsage]
                if not self._depth and self.on_change is not None:  # pyright: ignore[reportPrivateUsage]
                    self.on_change()

    _LOCKED.add(run)
    return run


def is_locked(method: object) -> bool:
    """Whether ``method`` is a backend method that runs under the backend's lock."""
    return method in _LOCKED


class BackendCore:
    """The state, the bus and the lock of one emulator, and the rules every family uses."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Run every public method the subclass defines under the backend's lock."""
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if not name.startswith("_") and callable(value) and not isinstance(value, type):
                setattr(cls, name, _locked(value))

    def __init__(self, state: State, event_bus: EventBus | None = None) -> None:
        """Serve ``state``; events go to ``event_bus`` (a new one by default)."""
        self.state = state
        self.event_bus = event_bus or EventBus()
        """The EventBridge events this emulator sent, and who gets them."""
        self._lock = threading.RLock()
        self._depth = 0
        self.on_change: Callable[[], None] | None = None
        """Called under the lock as each outermost public method ends (the store's write)."""

    def atomically(self, read: Callable[[], R]) -> R:
        """Run ``read`` under the lock: a handler renders what a method returned, consistently."""
        with self._lock:
            self._depth += 1
            try:
                return read()
            finally:
                self._depth -= 1
                if not self._depth and self.on_change is not None:
                    self.on_change()

    # -- identity -----------------------------------------------------------------------

    def _now(self) -> float:
        return self.state.clock()

    def _next_seq(self) -> int:
        # The creation sequence number orders lists and pages.
        seq = self.state.next_seq
        self.state.next_seq = seq + 1
        return seq

    def _arn(self, kind: str, resource_id: str) -> str:
        return f"{self.state.arn_prefix}{kind}/{resource_id}"

    def _new_participant_id(self) -> str:
        # Unique among the live tokens' ids and the ingest configurations'.
        while True:
            participant_id = new_id()
            if (
                participant_id not in self.state.used_ids
                and participant_id not in self.state.issued_participant_ids
            ):
                return participant_id

    def _new_ingest_participant_id(self) -> str:
        participant_id = self._new_participant_id()
        self.state.used_ids.add(participant_id)
        return participant_id

    def _forget_expired_tokens(self) -> None:
        # Expired tokens need no id kept: none can join, and a new id is random anyway.
        expiries, issued = self.state.token_expiries, self.state.issued_participant_ids
        now = self._now()
        while expiries and expiries[0][0] <= now:
            _, participant_id = heapq.heappop(expiries)
            issued.pop(participant_id, None)

    def _forget_tokens_of(self, stage_arn: str) -> None:
        # A deleted stage's tokens can join nothing: their ids go, and so do their expiries.
        issued = self.state.issued_participant_ids
        for participant_id in [p for p, (arn, _) in issued.items() if arn == stage_arn]:
            del issued[participant_id]
        expiries = [entry for entry in self.state.token_expiries if entry[1] in issued]
        heapq.heapify(expiries)
        self.state.token_expiries = expiries

    def _stage_endpoints(self, stage_id: str) -> dict[str, str]:
        # Loopback URLs. RTMP(S) name the ingest listeners when they run; without them
        # (no [media] extra) nothing serves the placeholder on the HTTP port.
        base_url = self.state.base_url
        host = base_url.split("://", 1)[1]
        ingest = self.state.ingest_urls
        return {
            "events": f"ws://{host}/_emulator/stages/{stage_id}/events",
            "whip": f"{base_url}/_emulator/stages/{stage_id}/whip",
            "rtmp": ingest.get("rtmp") or f"rtmp://{host}/_emulator/stages/{stage_id}/app/",
            "rtmps": ingest.get("rtmps") or f"rtmps://{host}/_emulator/stages/{stage_id}/app/",
        }

    # -- lookups, quotas, pages -----------------------------------------------------------

    @staticmethod
    def _get(table: Mapping[str, R], arn: str, what: str) -> R:
        item = table.get(arn)
        if item is None:
            raise ResourceNotFoundException(f"{what} not found: {arn}")
        return item

    @staticmethod
    def _check_quota(current: int, limit: int | None, what: str) -> None:
        if limit is not None and current >= limit:
            raise ServiceQuotaExceededException(
                f"Service quota exceeded: at most {limit} {what} are allowed"
            )

    @staticmethod
    def _paginate(
        operation: str,
        items: Iterable[T],
        next_token: str | None,
        max_results: int | None,
        default_max: int,
    ) -> Page[T]:
        # The token carries the sequence number of the last item returned, so that
        # pages stay correct when items are added or deleted between calls.
        after = _decode_token(operation, next_token) if next_token else 0
        limit = max_results or default_max
        ordered = sorted((item for item in items if item.seq > after), key=lambda i: i.seq)
        page = ordered[:limit]
        token = _encode_token(operation, page[-1].seq) if len(ordered) > limit else None
        return page, token

    # -- input rules every family shares ---------------------------------------------------

    @staticmethod
    def _check_tags(tags: Mapping[str, str] | None) -> dict[str, str]:
        if not tags:
            return {}
        for key in tags:
            if key.lower().startswith("aws:"):
                raise ValidationException(
                    f"Tag keys may not start with 'aws:' (got tag key '{key}')"
                )
        return dict(tags)

    @staticmethod
    def _check_attributes(attributes: Mapping[str, str] | None, field: str) -> dict[str, str]:
        # The documentation says "1 KB total" without a unit of measure; the
        # emulator counts the UTF-8 bytes of every key and value.
        if not attributes:
            return {}
        size = sum(len(k.encode("utf-8")) + len(v.encode("utf-8")) for k, v in attributes.items())
        if size > _ATTRIBUTES_LIMIT:
            raise ValidationException(
                f"Value at '{field}' failed to satisfy constraint: "
                f"attributes must total at most {_ATTRIBUTES_LIMIT} bytes (got {size})"
            )
        return dict(attributes)

    # -- participant events -----------------------------------------------------------------

    def _record(self, participant: Participant, name: str, **fields: Any) -> Event:
        """Record a participant event and send the EventBridge event IVS sends for it, if any.

        Every join, publish, subscribe and leave path records through here, so a
        new way of joining sends the same events for free.
        """
        event = Event(
            seq=self._next_seq(),
            name=name,
            participant_id=participant.participant_id,
            time=self._now(),
            replica=participant.replication_type == "REPLICA",
            **fields,
        )
        participant.events.append(event)
        participant_event(self.event_bus, self.state, participant, event)
        return event


def _encode_token(operation: str, seq: int) -> str:
    raw = json.dumps({"op": operation, "after": seq}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _decode_token(operation: str, token: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
        after = data["after"] if data["op"] == operation else None
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeEncodeError):
        after = None
    if not isinstance(after, int):
        raise ValidationException("The nextToken is not valid for this operation")
    return after
