"""Typed EventBridge events of IVS Real-Time: one frozen class per detail type and event name.

Field names follow AWS's documentation and examples, in snake_case as on the wire:

- "Using Amazon EventBridge with IVS Real-Time Streaming" lists the detail
  types and event names
  (https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/eventbridge.html);
- "IVS Individual Participant Recording" shows a full ``IVS Participant
  Recording State Change`` envelope
  (https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/rt-individual-participant-recording.html);
- aws-samples/amazon-ivs-ugc-platform-web-demo quotes ``IVS Stage Update``
  events as delivered (with ``event_time`` and an empty ``user_id``).

Where those sources are silent, the field's docstring says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypeAlias

import attrs

from ..models._enum import ServiceEnum
from ..models.token import ExchangedParticipantToken

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
    "EventEnvelope",
    "ExchangedToken",
    "IVSEvent",
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
    "ParticipantUnpublished",
    "StageEventName",
    "StageUpdate",
    "UnknownEvent",
]


class DetailType(ServiceEnum):
    """The ``detail-type`` of the IVS Real-Time events."""

    STAGE_UPDATE = "IVS Stage Update"
    """Participants published, unpublished, failed to publish, were replicated..."""
    COMPOSITION_STATE_CHANGE = "IVS Composition State Change"
    """A server-side composition or one of its destinations changed state."""
    PARTICIPANT_RECORDING_STATE_CHANGE = "IVS Participant Recording State Change"
    """An individual participant recording started, ended or failed."""


class StageEventName(ServiceEnum):
    """``detail.event_name`` of ``IVS Stage Update`` events."""

    PARTICIPANT_PUBLISHED = "Participant Published"
    """A participant started publishing."""
    PARTICIPANT_UNPUBLISHED = "Participant Unpublished"
    """A participant stopped publishing."""
    PARTICIPANT_PUBLISH_ERROR = "Participant Publish Error"
    """A participant failed to publish."""
    PARTICIPANT_REPLICATION_STARTED = "Participant Replication Started"
    """A participant's replication to another stage started."""
    PARTICIPANT_REPLICATION_STOPPED = "Participant Replication Stopped"
    """A participant's replication to another stage ended."""
    PARTICIPANT_TOKEN_EXCHANGED = "Participant Token Exchanged"
    """A participant exchanged its token (the documentation names no event; the emulator's)."""


class CompositionEventName(ServiceEnum):
    """``detail.event_name`` of ``IVS Composition State Change`` events."""

    SESSION_START = "Session Start"
    """The composition pipeline initialised and receives media."""
    SESSION_END = "Session End"
    """The composition session finished."""
    SESSION_FAILURE = "Session Failure"
    """The composition pipeline failed."""
    DESTINATION_START = "Destination Start"
    """Output to a destination started."""
    DESTINATION_END = "Destination End"
    """Output to a destination finished."""
    DESTINATION_FAILURE = "Destination Failure"
    """Output to a destination failed."""
    DESTINATION_RECONNECTING = "Destination Reconnecting"
    """Output to a destination was interrupted; IVS is reconnecting."""


class ParticipantRecordingEventName(ServiceEnum):
    """``detail.event_name`` of ``IVS Participant Recording State Change`` events."""

    RECORDING_START = "Recording Start"
    """A publisher is being recorded to S3."""
    RECORDING_END = "Recording End"
    """The recording finished; every file is in S3."""
    RECORDING_START_FAILURE = "Recording Start Failure"
    """The recording could not start (a missing bucket, a wrong region...)."""
    RECORDING_END_FAILURE = "Recording End Failure"
    """The recording ended with an error; some files may be in S3."""


@attrs.frozen(kw_only=True)
class EventEnvelope:
    """The EventBridge envelope every event shares, with its ``detail`` kept as sent."""

    version: str
    """``version``, ``"0"`` today."""
    id: str
    """``id``: unique per event; a redelivered event keeps it (deduplicate on it)."""
    detail_type: DetailType
    """``detail-type``, such as ``IVS Stage Update`` (another one parses too, as an unknown
    member whose ``is_known`` is False)."""
    source: str
    """``source``: ``aws.ivs`` for events of IVS."""
    account: str
    """``account``: the AWS account ID."""
    time: datetime
    """``time``: when EventBridge received the event, an aware datetime in UTC."""
    region: str
    """``region``: the AWS region."""
    resources: tuple[str, ...]
    """``resources``: the ARNs the event is about."""
    detail: Mapping[str, Any] = attrs.field(repr=False)
    """``detail`` exactly as sent (read-only), including fields this SDK does not know."""


@attrs.frozen(kw_only=True)
class UnknownEvent(EventEnvelope):
    """An event this SDK does not know: another source, detail type or event name.

    It never raises; ``detail`` keeps the data, so a handler can log or forward it.
    """

    @property
    def event_name(self) -> str | None:
        """``detail.event_name`` if it is a string, else None."""
        name = self.detail.get("event_name")
        return name if isinstance(name, str) else None


# -- IVS Stage Update ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StageUpdate(EventEnvelope):
    """The fields every ``IVS Stage Update`` event has."""

    event_name: ClassVar[StageEventName]
    stage_arn: str
    """The stage's ARN (the envelope's ``resources[0]``)."""
    session_id: str
    """``detail.session_id``: the stage session."""
    participant_id: str
    """``detail.participant_id``."""
    user_id: str | None = None
    """``detail.user_id``; None when absent (IVS sends ``""`` for a token without one)."""
    event_time: datetime | None = None
    """``detail.event_time``, when the event happened; delivered events carry it, the
    documentation's examples do not. ``time`` is the fallback."""

    @property
    def occurred_at(self) -> datetime:
        """``event_time`` if present, else the envelope's ``time``."""
        return self.event_time or self.time


@attrs.frozen(kw_only=True)
class ParticipantPublished(StageUpdate):
    """``Participant Published``: a participant started publishing to the stage."""

    event_name: ClassVar[StageEventName] = StageEventName.PARTICIPANT_PUBLISHED


@attrs.frozen(kw_only=True)
class ParticipantUnpublished(StageUpdate):
    """``Participant Unpublished``: a participant stopped publishing to the stage."""

    event_name: ClassVar[StageEventName] = StageEventName.PARTICIPANT_UNPUBLISHED


@attrs.frozen(kw_only=True)
class ParticipantPublishError(StageUpdate):
    """``Participant Publish Error``: a participant's attempt to publish failed."""

    event_name: ClassVar[StageEventName] = StageEventName.PARTICIPANT_PUBLISH_ERROR
    error_code: str | None = None
    """``detail.error_code``, if sent (the documentation shows no example of this event)."""
    reason: str | None = None
    """``detail.reason``, if sent (aws-samples read it; the documentation is silent)."""


@attrs.frozen(kw_only=True)
class _Replication(StageUpdate):
    source_stage_arn: str | None = None
    """``detail.source_stage_arn``, if sent (the documentation shows no example)."""
    source_session_id: str | None = None
    """``detail.source_session_id``, if sent (the documentation shows no example)."""
    destination_stage_arn: str | None = None
    """``detail.destination_stage_arn``, if sent (names as in ParticipantReplica)."""
    destination_session_id: str | None = None
    """``detail.destination_session_id``, if sent (names as in ParticipantReplica)."""


@attrs.frozen(kw_only=True)
class ParticipantReplicationStarted(_Replication):
    """A participant's replication started (the documentation shows no example of the detail)."""

    event_name: ClassVar[StageEventName] = StageEventName.PARTICIPANT_REPLICATION_STARTED


@attrs.frozen(kw_only=True)
class ParticipantReplicationStopped(_Replication):
    """A participant's replication ended (the documentation shows no example of the detail)."""

    event_name: ClassVar[StageEventName] = StageEventName.PARTICIPANT_REPLICATION_STOPPED


ExchangedToken: TypeAlias = ExchangedParticipantToken
"""What a token exchange changed: the summary of one token (no secret in it).

The same model as the ``previous_token``/``new_token`` of ListParticipantEvents.
"""


@attrs.frozen(kw_only=True)
class ParticipantTokenExchanged(StageUpdate):
    """A participant exchanged its token.

    The documentation lists no EventBridge event for token exchange; this is
    the one the emulator sends, shaped like ListParticipantEvents' TOKEN_EXCHANGED
    (``previous_token`` and ``new_token``, in snake_case).
    """

    event_name: ClassVar[StageEventName] = StageEventName.PARTICIPANT_TOKEN_EXCHANGED
    previous_token: ExchangedToken | None = None
    """``detail.previous_token``: the token before the exchange."""
    new_token: ExchangedToken | None = None
    """``detail.new_token``: the token after the exchange."""


# -- IVS Composition State Change ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class CompositionStateChange(EventEnvelope):
    """The fields every ``IVS Composition State Change`` event has."""

    event_name: ClassVar[CompositionEventName]
    composition_arn: str
    """The composition's ARN (the envelope's ``resources[0]``)."""
    stage_arn: str
    """``detail.stage_arn``: the stage being composited."""


@attrs.frozen(kw_only=True)
class CompositionSessionStart(CompositionStateChange):
    """``Session Start``: the composition pipeline subscribed to the stage and composes."""

    event_name: ClassVar[CompositionEventName] = CompositionEventName.SESSION_START


@attrs.frozen(kw_only=True)
class CompositionSessionEnd(CompositionStateChange):
    """``Session End``: the composition finished (its recording, if any, is complete)."""

    event_name: ClassVar[CompositionEventName] = CompositionEventName.SESSION_END


@attrs.frozen(kw_only=True)
class CompositionSessionFailure(CompositionStateChange):
    """``Session Failure``: the composition pipeline failed."""

    event_name: ClassVar[CompositionEventName] = CompositionEventName.SESSION_FAILURE
    reason: str | None = None
    """``detail.reason``: why it failed."""


@attrs.frozen(kw_only=True)
class _DestinationEvent(CompositionStateChange):
    destination_id: str | None = None
    """``detail.id``: the destination's ID."""


@attrs.frozen(kw_only=True)
class CompositionDestinationStart(_DestinationEvent):
    """``Destination Start``: output to a destination started."""

    event_name: ClassVar[CompositionEventName] = CompositionEventName.DESTINATION_START


@attrs.frozen(kw_only=True)
class CompositionDestinationEnd(_DestinationEvent):
    """``Destination End``: output to a destination finished."""

    event_name: ClassVar[CompositionEventName] = CompositionEventName.DESTINATION_END


@attrs.frozen(kw_only=True)
class CompositionDestinationFailure(_DestinationEvent):
    """``Destination Failure``: output to a destination failed."""

    event_name: ClassVar[CompositionEventName] = CompositionEventName.DESTINATION_FAILURE
    reason: str | None = None
    """``detail.reason``: why it failed."""


@attrs.frozen(kw_only=True)
class CompositionDestinationReconnecting(_DestinationEvent):
    """``Destination Reconnecting``: output was interrupted and IVS reconnects."""

    event_name: ClassVar[CompositionEventName] = CompositionEventName.DESTINATION_RECONNECTING


# -- IVS Participant Recording State Change -----------------------------------------------


@attrs.frozen(kw_only=True)
class ParticipantRecordingStateChange(EventEnvelope):
    """The fields every ``IVS Participant Recording State Change`` event has."""

    event_name: ClassVar[ParticipantRecordingEventName]
    stage_arn: str
    """The stage's ARN (the envelope's ``resources[0]``)."""
    session_id: str
    """``detail.session_id``: the stage session."""
    participant_id: str
    """``detail.participant_id``: the recorded publisher."""
    recording_s3_bucket_name: str = ""
    """``detail.recording_s3_bucket_name``: the bucket written to ("" if absent)."""
    recording_s3_key_prefix: str = ""
    """``detail.recording_s3_key_prefix``: where this recording's files are ("" if absent)."""


@attrs.frozen(kw_only=True)
class ParticipantRecordingStart(ParticipantRecordingStateChange):
    """``Recording Start``: the publisher is being recorded to S3."""

    event_name: ClassVar[ParticipantRecordingEventName] = (
        ParticipantRecordingEventName.RECORDING_START
    )


@attrs.frozen(kw_only=True)
class ParticipantRecordingEnd(ParticipantRecordingStateChange):
    """``Recording End``: the recording is complete; process the files now."""

    event_name: ClassVar[ParticipantRecordingEventName] = (
        ParticipantRecordingEventName.RECORDING_END
    )
    recording_duration: timedelta | None = None
    """``detail.recording_duration_ms`` as a timedelta, if sent."""


@attrs.frozen(kw_only=True)
class ParticipantRecordingStartFailure(ParticipantRecordingStateChange):
    """``Recording Start Failure``: the publisher could not be recorded."""

    event_name: ClassVar[ParticipantRecordingEventName] = (
        ParticipantRecordingEventName.RECORDING_START_FAILURE
    )
    reason: str | None = None
    """``detail.reason``, if sent (the documentation shows no example of this event)."""


@attrs.frozen(kw_only=True)
class ParticipantRecordingEndFailure(ParticipantRecordingStateChange):
    """``Recording End Failure``: the recording ended with an error."""

    event_name: ClassVar[ParticipantRecordingEventName] = (
        ParticipantRecordingEventName.RECORDING_END_FAILURE
    )
    reason: str | None = None
    """``detail.reason``, if sent (the documentation shows no example of this event)."""


IVSEvent: TypeAlias = (
    ParticipantPublished
    | ParticipantUnpublished
    | ParticipantPublishError
    | ParticipantReplicationStarted
    | ParticipantReplicationStopped
    | ParticipantTokenExchanged
    | CompositionSessionStart
    | CompositionSessionEnd
    | CompositionSessionFailure
    | CompositionDestinationStart
    | CompositionDestinationEnd
    | CompositionDestinationFailure
    | CompositionDestinationReconnecting
    | ParticipantRecordingStart
    | ParticipantRecordingEnd
    | ParticipantRecordingStartFailure
    | ParticipantRecordingEndFailure
    | UnknownEvent
)
"""What :func:`parse_event` returns: narrow it with ``match`` or ``isinstance``."""
