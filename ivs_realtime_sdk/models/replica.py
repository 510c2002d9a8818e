"""Participant replication: a publisher of one stage appearing in another stage too."""

from __future__ import annotations

import attrs

from ._enum import ServiceEnum
from ._response import typed_fields

__all__ = ["ParticipantReplica", "ReplicationState", "ReplicationType"]


class ReplicationType(ServiceEnum):
    """What part a participant plays in replication."""

    SOURCE = "SOURCE"
    """The original participant, replicated to other stages."""
    REPLICA = "REPLICA"
    """A copy of a participant of another stage."""
    NONE = "NONE"
    """Not replicated."""


class ReplicationState(ServiceEnum):
    """Whether a replication is running."""

    ACTIVE = "ACTIVE"
    """The participant is being replicated."""
    STOPPED = "STOPPED"
    """Replication has stopped."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class ParticipantReplica:
    """One replica of a participant in a destination stage."""

    source_stage_arn: str
    """ARN of the stage the participant publishes to."""
    participant_id: str
    """The participant's id, the same in both stages."""
    source_session_id: str
    """The session of the source stage."""
    destination_stage_arn: str
    """ARN of the stage the participant is replicated to."""
    destination_session_id: str
    """The session of the destination stage."""
    replication_state: ReplicationState
    """Whether the replication is running."""
