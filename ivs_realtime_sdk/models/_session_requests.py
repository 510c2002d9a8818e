"""Requests about stage sessions and their participants."""

from __future__ import annotations

import attrs

from ._arns import (
    OPTIONAL_USER_ID,
    PAGINATION_TOKEN,
    PARTICIPANT_ID,
    STAGE_ARN,
    STAGE_SESSION_ID,
    max_results,
)
from ._constraints import Boolean, Enum, Text
from .participant import ParticipantRecordingStateFilter, ParticipantState
from .token import PARTICIPANT_TOKEN_ID


@attrs.frozen(kw_only=True)
class GetStageSessionRequest:
    """GetStageSession."""

    stage_arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    session_id: str = attrs.field(validator=STAGE_SESSION_ID)
    """The session's id."""


@attrs.frozen(kw_only=True)
class ListStageSessionsRequest:
    """ListStageSessions: one page."""

    stage_arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    max_results: int | None = attrs.field(default=None, validator=max_results())
    """At most this many sessions, 1 to 100 (service default 50)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""


@attrs.frozen(kw_only=True)
class GetParticipantRequest:
    """GetParticipant."""

    stage_arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    session_id: str = attrs.field(validator=STAGE_SESSION_ID)
    """The session's id."""
    participant_id: str = attrs.field(validator=PARTICIPANT_ID)
    """The participant's id."""


@attrs.frozen(kw_only=True)
class ListParticipantsRequest:
    """ListParticipants: one page, filtered."""

    stage_arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    session_id: str = attrs.field(validator=STAGE_SESSION_ID)
    """The session's id."""
    filter_by_user_id: str | None = attrs.field(default=None, validator=OPTIONAL_USER_ID)
    """Only participants with this user id."""
    filter_by_published: bool | None = attrs.field(default=None, validator=Boolean(optional=True))
    """Only participants who published (True) or never did (False)."""
    filter_by_state: ParticipantState | None = attrs.field(
        default=None, validator=Enum(ParticipantState, optional=True)
    )
    """Only participants in this state."""
    filter_by_recording_state: ParticipantRecordingStateFilter | None = attrs.field(
        default=None, validator=Enum(ParticipantRecordingStateFilter, optional=True)
    )
    """Only participants whose recording is in this state."""
    max_results: int | None = attrs.field(default=None, validator=max_results())
    """At most this many participants, 1 to 100 (service default 50)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""


@attrs.frozen(kw_only=True)
class ListParticipantEventsRequest:
    """ListParticipantEvents: one page."""

    stage_arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    session_id: str = attrs.field(validator=STAGE_SESSION_ID)
    """The session's id."""
    participant_id: str = attrs.field(validator=PARTICIPANT_ID)
    """The participant's id."""
    max_results: int | None = attrs.field(default=None, validator=max_results())
    """At most this many events, 1 to 100 (service default 50)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""


@attrs.frozen(kw_only=True)
class DisconnectParticipantRequest:
    """DisconnectParticipant: the participant is named by its token's id."""

    stage_arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    participant_id: str = attrs.field(validator=PARTICIPANT_TOKEN_ID)
    """The participant's id (its token's ``participant_id``)."""
    reason: str | None = attrs.field(default=None, validator=Text(max=128, optional=True))
    """Why, at most 128 characters."""
