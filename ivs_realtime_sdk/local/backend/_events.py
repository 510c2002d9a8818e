"""The EventBridge events IVS sends, built from the state and handed to the bus.

Every participant event the backend records goes through
:func:`participant_event`, which sends the ``IVS Stage Update`` that IVS sends
for it, if any: IVS documents no EventBridge event for joins, leaves or
subscriptions, so those send none. Participant recordings and compositions
send theirs from where their state changes. The names on the wire are the
SDK's own (:mod:`ivs_realtime_sdk.events`), so emulator and parser cannot drift.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ...events import (
    EVENT_SOURCE,
    CompositionEventName,
    DetailType,
    ParticipantRecordingEventName,
    StageEventName,
)
from ._bus import EventBus
from ._ids import iso
from ._state import Composition, Event, Participant, State

__all__ = [
    "composition_event",
    "destination_failure_event",
    "participant_event",
    "recording_event",
    "recording_state_event",
]

# Participant events of ListParticipantEvents -> the Stage Update event IVS sends.
_STAGE_EVENTS = {
    "PUBLISH_STARTED": StageEventName.PARTICIPANT_PUBLISHED,
    "PUBLISH_STOPPED": StageEventName.PARTICIPANT_UNPUBLISHED,
    "PUBLISH_ERROR": StageEventName.PARTICIPANT_PUBLISH_ERROR,
    "REPLICATION_STARTED": StageEventName.PARTICIPANT_REPLICATION_STARTED,
    "REPLICATION_STOPPED": StageEventName.PARTICIPANT_REPLICATION_STOPPED,
    "TOKEN_EXCHANGED": StageEventName.PARTICIPANT_TOKEN_EXCHANGED,
}


def _envelope_time(moment: float) -> str:
    # EventBridge's "time" has whole seconds.
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _emit(
    bus: EventBus, state: State, detail_type: DetailType, resource: str, detail: dict[str, Any]
) -> None:
    bus.emit(
        {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": detail_type.value,
            "source": EVENT_SOURCE,
            "account": state.account_id,
            "time": _envelope_time(state.clock()),
            "region": state.region,
            "resources": [resource],
            "detail": detail,
        }
    )


def _token_detail(summary: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if summary is None:
        return None
    return {
        "user_id": summary.get("userId", ""),
        "attributes": dict(summary.get("attributes", {})),
        "capabilities": list(summary.get("capabilities", [])),
        "expiration_time": summary.get("expirationTime"),
    }


def participant_event(bus: EventBus, state: State, participant: Participant, event: Event) -> None:
    """Send the ``IVS Stage Update`` that IVS sends for a participant event, if any."""
    # Every participant event is a change, for the bus's change watchers (the console).
    bus.changed()
    name = _STAGE_EVENTS.get(event.name)
    if name is None or not participant.stage_arn:
        return
    detail: dict[str, Any] = {
        "session_id": participant.session_id,
        "event_name": name.value,
        # Delivered Stage Update events carry whole seconds; milliseconds keep
        # events of one fast test in order for ParticipantTracker.
        "event_time": iso(event.time),
        "user_id": participant.user_id or "",
        "participant_id": participant.participant_id,
    }
    if event.name == "PUBLISH_ERROR" and event.error_code is not None:
        detail["error_code"] = event.error_code
    if event.name.startswith("REPLICATION_"):
        detail["source_stage_arn"] = participant.stage_arn
        detail["source_session_id"] = participant.session_id
        detail["destination_stage_arn"] = event.destination_stage_arn
        detail["destination_session_id"] = event.destination_session_id
    if event.name == "TOKEN_EXCHANGED":
        detail["previous_token"] = _token_detail(event.previous_token)
        detail["new_token"] = _token_detail(event.new_token)
    _emit(bus, state, DetailType.STAGE_UPDATE, participant.stage_arn, detail)


def recording_event(
    bus: EventBus, state: State, participant: Participant, *, started: bool
) -> None:
    """Send ``Recording Start`` or ``Recording End`` for an individually recorded participant."""
    key = (participant.stage_arn, participant.session_id, participant.participant_id)
    name = (
        ParticipantRecordingEventName.RECORDING_START
        if started
        else ParticipantRecordingEventName.RECORDING_END
    )
    detail: dict[str, Any] = {
        "session_id": participant.session_id,
        "event_name": name.value,
        "participant_id": participant.participant_id,
        "recording_s3_bucket_name": participant.recording_bucket,
        "recording_s3_key_prefix": participant.recording_prefix,
    }
    if started:
        state.recording_since[key] = state.clock()
    else:
        began = state.recording_since.pop(key, None)
        if began is not None:
            detail["recording_duration_ms"] = max(0, round((state.clock() - began) * 1000))
    _emit(bus, state, DetailType.PARTICIPANT_RECORDING_STATE_CHANGE, participant.stage_arn, detail)


def recording_state_event(
    bus: EventBus,
    state: State,
    participant: Participant,
    *,
    event_name: str,
    reason: str | None,
    duration_ms: int | None,
) -> None:
    """Send what a participant's recorder reported: Start, End, Start or End Failure."""
    detail: dict[str, Any] = {
        "session_id": participant.session_id,
        "event_name": event_name,
        "participant_id": participant.participant_id,
        "recording_s3_bucket_name": participant.recording_bucket,
        "recording_s3_key_prefix": participant.recording_prefix,
    }
    if duration_ms is not None:
        detail["recording_duration_ms"] = duration_ms
    if reason is not None:
        detail["reason"] = reason
    _emit(bus, state, DetailType.PARTICIPANT_RECORDING_STATE_CHANGE, participant.stage_arn, detail)


def composition_event(
    bus: EventBus, state: State, composition: Composition, *, started: bool
) -> None:
    """Send a composition's session and destination events as it goes ACTIVE or STOPPED."""
    names: list[tuple[CompositionEventName, str | None]]
    if started:
        names = [(CompositionEventName.SESSION_START, None)]
        names += [
            (CompositionEventName.DESTINATION_START, d.destination_id)
            for d in composition.destinations
        ]
    else:
        names = [
            (CompositionEventName.DESTINATION_END, d.destination_id)
            for d in composition.destinations
        ]
        names.append((CompositionEventName.SESSION_END, None))
    for name, destination_id in names:
        _composition_detail(bus, state, composition, name, destination_id)


def destination_failure_event(
    bus: EventBus, state: State, composition: Composition, destination_id: str, reason: str
) -> None:
    """Send Destination Failure: the destination's output (its composite's files) failed."""
    _composition_detail(
        bus, state, composition, CompositionEventName.DESTINATION_FAILURE, destination_id, reason
    )


def _composition_detail(
    bus: EventBus,
    state: State,
    composition: Composition,
    name: CompositionEventName,
    destination_id: str | None = None,
    reason: str | None = None,
) -> None:
    detail: dict[str, Any] = {"event_name": name.value, "stage_arn": composition.stage_arn}
    if destination_id is not None:
        detail["id"] = destination_id
    if reason is not None:
        detail["reason"] = reason
    _emit(bus, state, DetailType.COMPOSITION_STATE_CHANGE, composition.arn, detail)
