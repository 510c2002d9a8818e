"""Best-effort delivery, handled: drop redelivered events, and fold events in any order.

IVS sends events on a best-effort basis: one can arrive hours late, out of
order (Unpublished before Published) or more than once. These helpers make a
handler correct anyway: :class:`EventDeduplicator` remembers recent event IDs
in bounded memory, and :class:`ParticipantTracker` keeps, per participant,
what the newest event (by event time, not arrival) says.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import attrs

from ..errors import InvalidParameterError, InvalidParameterTypeError
from ._models import (
    EventEnvelope,
    ParticipantPublished,
    ParticipantPublishError,
    ParticipantRecordingEventName,
    ParticipantRecordingStateChange,
    ParticipantReplicationStarted,
    ParticipantReplicationStopped,
    ParticipantUnpublished,
    StageUpdate,
)

__all__ = ["EventDeduplicator", "ParticipantActivity", "ParticipantKey", "ParticipantTracker"]

ParticipantKey = tuple[str, str, str]
"""``(stage_arn, session_id, participant_id)``: one participant of one stage session."""


class EventDeduplicator:
    """Remembers the IDs of the last ``max_size`` events, to skip redeliveries.

    EventBridge keeps an event's ``id`` when it delivers it again, so a
    handler that sees an ID for the second time can skip the event. Memory is
    bounded: past ``max_size`` IDs the oldest is forgotten. Thread-safe.
    For a fleet of Lambda instances, keep the IDs in a shared store instead;
    this covers one process (one warm instance).
    """

    __slots__ = ("_lock", "_max_size", "_seen")

    def __init__(self, max_size: int = 10_000) -> None:
        """Remember at most ``max_size`` IDs.

        Raises:
            InvalidParameterError: ``max_size`` is below 1.
        """
        if not isinstance(max_size, int) or isinstance(max_size, bool):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise InvalidParameterTypeError(
                "EventDeduplicator.max_size", f"expected int, got {type(max_size).__name__}"
            )
        if max_size < 1:
            raise InvalidParameterError("EventDeduplicator.max_size", "must be at least 1")
        self._max_size = max_size
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def max_size(self) -> int:
        """How many event IDs are remembered at most."""
        return self._max_size

    def first_time(self, event: EventEnvelope | str) -> bool:
        """Record an event (or its ID) and tell whether it is new.

        Args:
            event: A parsed event, or an event ID.

        Returns:
            True the first time an ID is seen (handle the event), False for a
            redelivery still remembered (skip it).
        """
        event_id = event if isinstance(event, str) else event.id
        with self._lock:
            if event_id in self._seen:
                self._seen.move_to_end(event_id)
                return False
            self._seen[event_id] = None
            if len(self._seen) > self._max_size:
                self._seen.popitem(last=False)
            return True

    def __contains__(self, event_id: object) -> bool:
        """Whether an event ID is remembered."""
        with self._lock:
            return event_id in self._seen

    def __len__(self) -> int:
        """How many IDs are remembered now."""
        with self._lock:
            return len(self._seen)


@attrs.frozen(kw_only=True)
class ParticipantActivity:
    """What the newest events say about one participant of one stage session."""

    stage_arn: str
    """The stage."""
    session_id: str
    """The stage session."""
    participant_id: str
    """The participant."""
    user_id: str | None = None
    """The user ID the events carry (the first one seen)."""
    publishing: bool | None = None
    """Whether it publishes, by the newest publish event; None before any."""
    recording: ParticipantRecordingEventName | None = None
    """The newest participant recording event's name; None before any."""
    recording_s3_key_prefix: str | None = None
    """Where the newest recording event said the files are."""
    replicated: bool | None = None
    """Whether it is replicated to another stage, by the newest replication event."""
    updated_at: datetime | None = None
    """The event time of the newest event applied."""


# At equal event times the stopping event wins: a participant is not left
# "publishing" forever when Published and Unpublished share a timestamp.
_PUBLISH_RANK: dict[type[EventEnvelope], tuple[str, int, bool]] = {
    ParticipantPublished: ("publishing", 0, True),
    ParticipantUnpublished: ("publishing", 1, False),
    ParticipantPublishError: ("publishing", 1, False),
    ParticipantReplicationStarted: ("replicated", 0, True),
    ParticipantReplicationStopped: ("replicated", 1, False),
}
_RECORDING_RANK: dict[ParticipantRecordingEventName, int] = {
    ParticipantRecordingEventName.RECORDING_START: 0,
    ParticipantRecordingEventName.RECORDING_START_FAILURE: 1,
    ParticipantRecordingEventName.RECORDING_END: 1,
    ParticipantRecordingEventName.RECORDING_END_FAILURE: 1,
}

_Order = tuple[datetime, int, str]


class ParticipantTracker:
    """Folds events, in any order and with duplicates, into each participant's latest state.

    Each aspect (publishing, recording, replication) takes the value of its
    newest event by event time, so an event that arrives late never undoes a
    newer one, and applying an event twice changes nothing. Events that are
    not about a participant (compositions, unknown events) are ignored.
    """

    __slots__ = ("_lock", "_order", "_states")

    def __init__(self, events: Iterable[EventEnvelope] = ()) -> None:
        """Start empty, or from ``events``."""
        self._states: dict[ParticipantKey, ParticipantActivity] = {}
        self._order: dict[tuple[ParticipantKey, str], _Order] = {}
        self._lock = threading.Lock()
        for event in events:
            self.apply(event)

    @property
    def participants(self) -> Mapping[ParticipantKey, ParticipantActivity]:
        """Every participant seen, by ``(stage_arn, session_id, participant_id)`` (a copy)."""
        with self._lock:
            return dict(self._states)

    def get(self, stage_arn: str, session_id: str, participant_id: str) -> ParticipantActivity:
        """Return one participant's activity (empty if no event named it)."""
        key = (stage_arn, session_id, participant_id)
        with self._lock:
            found = self._states.get(key)
        return found or ParticipantActivity(
            stage_arn=stage_arn, session_id=session_id, participant_id=participant_id
        )

    def apply(self, event: EventEnvelope) -> bool:
        """Fold one event in; return whether it changed anything."""
        aspect, rank, changes = "", 0, dict[str, Any]()
        if isinstance(event, StageUpdate):
            moment, user_id = event.occurred_at, event.user_id
            effect = _PUBLISH_RANK.get(type(event))
            if effect is not None:
                aspect, rank, changes = effect[0], effect[1], {effect[0]: effect[2]}
        elif isinstance(event, ParticipantRecordingStateChange):
            moment, user_id, aspect = event.time, None, "recording"
            rank = _RECORDING_RANK[event.event_name]
            changes = {
                "recording": event.event_name,
                "recording_s3_key_prefix": event.recording_s3_key_prefix or None,
            }
        else:
            return False
        key = (event.stage_arn, event.session_id, event.participant_id)
        with self._lock:
            known = self._states.get(key)
            current = known or ParticipantActivity(
                stage_arn=key[0], session_id=key[1], participant_id=key[2]
            )
            updates: dict[str, Any] = {}
            if aspect:
                order = (moment, rank, event.id)
                newest = self._order.get((key, aspect))
                if newest is None or order > newest:
                    self._order[(key, aspect)] = order
                    updates.update(changes)
            if user_id is not None and current.user_id is None:
                updates["user_id"] = user_id
            if current.updated_at is None or moment > current.updated_at:
                updates["updated_at"] = moment
            updated = attrs.evolve(current, **updates) if updates else current
            self._states[key] = updated
            return known is None or updated != current
