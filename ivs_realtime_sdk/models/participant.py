"""Participants of a stage session, and the events of each participant."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import attrs

from .._frozen import EMPTY
from ._constraints import Boolean, str_map
from ._enum import ServiceEnum
from ._response import typed_fields
from .replica import ReplicationState, ReplicationType
from .token import ExchangedParticipantToken

__all__ = [
    "Event",
    "EventErrorCode",
    "EventName",
    "Participant",
    "ParticipantProtocol",
    "ParticipantRecordingState",
    "ParticipantRecordingStateFilter",
    "ParticipantState",
    "ParticipantSummary",
]


class ParticipantState(ServiceEnum):
    """Whether a participant is in the stage."""

    CONNECTED = "CONNECTED"
    """In the stage now."""
    DISCONNECTED = "DISCONNECTED"
    """Left, or was disconnected."""


class ParticipantRecordingState(ServiceEnum):
    """Where a participant's individual recording stands."""

    STARTING = "STARTING"
    """The recording is starting."""
    ACTIVE = "ACTIVE"
    """The participant is being recorded."""
    STOPPING = "STOPPING"
    """The recording is stopping."""
    STOPPED = "STOPPED"
    """The recording has stopped."""
    FAILED = "FAILED"
    """The recording failed."""
    DISABLED = "DISABLED"
    """The stage does not record participants."""


class ParticipantRecordingStateFilter(ServiceEnum):
    """The recording states ``list_participants`` can filter by (all but DISABLED)."""

    STARTING = "STARTING"
    """The recording is starting."""
    ACTIVE = "ACTIVE"
    """The participant is being recorded."""
    STOPPING = "STOPPING"
    """The recording is stopping."""
    STOPPED = "STOPPED"
    """The recording has stopped."""
    FAILED = "FAILED"
    """The recording failed."""


class ParticipantProtocol(ServiceEnum):
    """How a participant publishes."""

    UNKNOWN = "UNKNOWN"
    """A client SDK, or not known."""
    WHIP = "WHIP"
    """WebRTC-HTTP ingest."""
    RTMP = "RTMP"
    """RTMP ingest."""
    RTMPS = "RTMPS"
    """RTMP over TLS ingest."""


class EventName(ServiceEnum):
    """What happened to a participant."""

    JOINED = "JOINED"
    """Joined the stage."""
    LEFT = "LEFT"
    """Left the stage."""
    PUBLISH_STARTED = "PUBLISH_STARTED"
    """Started publishing."""
    PUBLISH_STOPPED = "PUBLISH_STOPPED"
    """Stopped publishing."""
    SUBSCRIBE_STARTED = "SUBSCRIBE_STARTED"
    """Started subscribing to another participant."""
    SUBSCRIBE_STOPPED = "SUBSCRIBE_STOPPED"
    """Stopped subscribing to another participant."""
    PUBLISH_ERROR = "PUBLISH_ERROR"
    """Publishing failed."""
    SUBSCRIBE_ERROR = "SUBSCRIBE_ERROR"
    """Subscribing failed."""
    JOIN_ERROR = "JOIN_ERROR"
    """Joining failed."""
    REPLICATION_STARTED = "REPLICATION_STARTED"
    """Replication to another stage started."""
    REPLICATION_STOPPED = "REPLICATION_STOPPED"
    """Replication to another stage stopped."""
    TOKEN_EXCHANGED = "TOKEN_EXCHANGED"
    """The participant's token was exchanged for a new one; see ``previous_token``."""


class EventErrorCode(ServiceEnum):
    """Why a participant's join, publish or subscribe failed."""

    INSUFFICIENT_CAPABILITIES = "INSUFFICIENT_CAPABILITIES"
    """The token lacks the capability for the action."""
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    """The stage has too many participants or publishers."""
    PUBLISHER_NOT_FOUND = "PUBLISHER_NOT_FOUND"
    """The participant subscribed to is not publishing."""
    BITRATE_EXCEEDED = "BITRATE_EXCEEDED"
    """The published bitrate is over the limit."""
    RESOLUTION_EXCEEDED = "RESOLUTION_EXCEEDED"
    """The published resolution is over the limit."""
    STREAM_DURATION_EXCEEDED = "STREAM_DURATION_EXCEEDED"
    """The stream ran longer than allowed."""
    INVALID_AUDIO_CODEC = "INVALID_AUDIO_CODEC"
    """The audio codec is not supported."""
    INVALID_VIDEO_CODEC = "INVALID_VIDEO_CODEC"
    """The video codec is not supported."""
    INVALID_PROTOCOL = "INVALID_PROTOCOL"
    """The ingest protocol does not match the ingest configuration."""
    INVALID_STREAM_KEY = "INVALID_STREAM_KEY"
    """The stream key is not valid."""
    REUSE_OF_STREAM_KEY = "REUSE_OF_STREAM_KEY"
    """The stream key is already in use."""
    B_FRAME_PRESENT = "B_FRAME_PRESENT"
    """The video has B-frames, which are not supported."""
    INVALID_INPUT = "INVALID_INPUT"
    """The input stream is not valid."""
    INTERNAL_SERVER_EXCEPTION = "INTERNAL_SERVER_EXCEPTION"
    """The service failed."""


_FLAG = Boolean(optional=True)
# Client details a participant's SDK reports.


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Participant:
    """A participant of a stage session, as ``get_participant`` describes it."""

    participant_id: str | None = None
    """The participant's id, unique within the session."""
    user_id: str | None = None
    """Your own id for the participant, from its token."""
    state: ParticipantState | None = None
    """Whether the participant is in the stage."""
    first_join_time: datetime | None = None
    """When the participant first joined, in UTC."""
    attributes: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """Application attributes, from its token."""
    published: bool | None = None
    """Whether the participant ever published in the session."""
    isp_name: str | None = None
    """The participant's internet service provider."""
    os_name: str | None = None
    """The participant's operating system."""
    os_version: str | None = None
    """The operating system's version."""
    browser_name: str | None = None
    """The participant's browser."""
    browser_version: str | None = None
    """The browser's version."""
    sdk_version: str | None = None
    """The version of the IVS broadcast SDK the participant uses."""
    recording_s3_bucket_name: str | None = None
    """The S3 bucket the participant is recorded into."""
    recording_s3_prefix: str | None = None
    """The S3 prefix of the participant's recording."""
    recording_state: ParticipantRecordingState | None = None
    """Where the participant's individual recording stands."""
    protocol: ParticipantProtocol | None = None
    """How the participant publishes."""
    replication_type: ReplicationType | None = None
    """Whether the participant is a replication source, a replica, or neither."""
    replication_state: ReplicationState | None = None
    """Whether the participant's replication is running."""
    source_stage_arn: str | None = None
    """For a replica, the ARN of the stage it is replicated from."""
    source_session_id: str | None = None
    """For a replica, the session it is replicated from."""
    redundant_ingest: bool | None = None
    """Whether the participant publishes over redundant ingest paths."""
    ingest_configuration_arn: str | None = None
    """For an RTMP(S) publisher, the ARN of its ingest configuration."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ParticipantSummary:
    """A participant of a stage session, as ``list_participants`` shows it."""

    participant_id: str | None = None
    """The participant's id, unique within the session."""
    user_id: str | None = None
    """Your own id for the participant, from its token."""
    state: ParticipantState | None = None
    """Whether the participant is in the stage."""
    first_join_time: datetime | None = None
    """When the participant first joined, in UTC."""
    published: bool | None = None
    """Whether the participant ever published in the session."""
    recording_state: ParticipantRecordingState | None = None
    """Where the participant's individual recording stands."""
    replication_type: ReplicationType | None = None
    """Whether the participant is a replication source, a replica, or neither."""
    replication_state: ReplicationState | None = None
    """Whether the participant's replication is running."""
    source_stage_arn: str | None = None
    """For a replica, the ARN of the stage it is replicated from."""
    source_session_id: str | None = None
    """For a replica, the session it is replicated from."""
    redundant_ingest: bool | None = None
    """Whether the participant publishes over redundant ingest paths."""
    ingest_configuration_arn: str | None = None
    """For an RTMP(S) publisher, the ARN of its ingest configuration."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Event:
    """Something that happened to a participant, from ``list_participant_events``."""

    name: EventName | None = None
    """What happened."""
    participant_id: str | None = None
    """The participant it happened to."""
    event_time: datetime | None = None
    """When it happened, in UTC."""
    remote_participant_id: str | None = None
    """For subscribe events, the participant subscribed to."""
    error_code: EventErrorCode | None = None
    """For error events, why it failed."""
    destination_stage_arn: str | None = None
    """For replication events, the stage replicated to."""
    destination_session_id: str | None = None
    """For replication events, the session replicated to."""
    replica: bool | None = None
    """Whether the participant (for subscribe events, the remote one) is a replica."""
    previous_token: ExchangedParticipantToken | None = None
    """For TOKEN_EXCHANGED, the token the participant held before."""
    new_token: ExchangedParticipantToken | None = None
    """For TOKEN_EXCHANGED, the token the participant holds now."""
