"""Typed EventBridge events of IVS Real-Time, and helpers for best-effort delivery.

IVS sends events (``source`` ``aws.ivs``) to EventBridge, which hands them to a
Lambda function, a queue or an HTTP endpoint. :func:`parse_event` turns one
into a frozen, typed event; ``match`` on its class::

    def handler(event: dict[str, Any], context: object) -> None:
        match parse_event(event):
            case ParticipantPublished(stage_arn=stage_arn):
                start_composition(stage_arn)
            case ParticipantRecordingEnd(recording_s3_key_prefix=prefix):
                index_recording(prefix)
            case _:
                pass

Delivery is best effort: :class:`EventDeduplicator` skips redelivered events
and :class:`ParticipantTracker` folds events that arrive late or out of order.
"""

from __future__ import annotations

from ..errors import InvalidEventError
from ._models import (
    CompositionDestinationEnd,
    CompositionDestinationFailure,
    CompositionDestinationReconnecting,
    CompositionDestinationStart,
    CompositionEventName,
    CompositionSessionEnd,
    CompositionSessionFailure,
    CompositionSessionStart,
    CompositionStateChange,
    DetailType,
    EventEnvelope,
    ExchangedToken,
    IVSEvent,
    ParticipantPublished,
    ParticipantPublishError,
    ParticipantRecordingEnd,
    ParticipantRecordingEndFailure,
    ParticipantRecordingEventName,
    ParticipantRecordingStart,
    ParticipantRecordingStartFailure,
    ParticipantRecordingStateChange,
    ParticipantReplicationStarted,
    ParticipantReplicationStopped,
    ParticipantTokenExchanged,
    ParticipantUnpublished,
    StageEventName,
    StageUpdate,
    UnknownEvent,
)
from ._names import EVENT_SOURCE
from ._parse import parse_event
from ._tracking import EventDeduplicator, ParticipantActivity, ParticipantKey, ParticipantTracker

__all__ = [
    "CompositionDestinationEnd",
    "CompositionDestinationFailure",
    "CompositionDestinationReconnecting",
    "CompositionDestinationStart",
    "CompositionEventName",
    "CompositionSessionEnd",
    "CompositionSessionFailure",
    "CompositionSessionStart",
    "CompositionStateChange",
    "DetailType",
    "EVENT_SOURCE",
    "EventDeduplicator",
    "EventEnvelope",
    "ExchangedToken",
    "IVSEvent",
    "InvalidEventError",
    "ParticipantActivity",
    "ParticipantKey",
    "ParticipantPublishError",
    "ParticipantPublished",
    "ParticipantRecordingEnd",
    "ParticipantRecordingEndFailure",
    "ParticipantRecordingEventName",
    "ParticipantRecordingStart",
    "ParticipantRecordingStartFailure",
    "ParticipantRecordingStateChange",
    "ParticipantReplicationStarted",
    "ParticipantReplicationStopped",
    "ParticipantTokenExchanged",
    "ParticipantTracker",
    "ParticipantUnpublished",
    "StageEventName",
    "StageUpdate",
    "UnknownEvent",
    "parse_event",
]
