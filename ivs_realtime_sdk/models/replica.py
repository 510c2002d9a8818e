"""Participant replication: a publisher of one stage appearing in another stage too."""

from __future__ import annotations

import attrs

from ._arns import PARTICIPANT_ID, STAGE_ARN, STAGE_SESSION_ID
from ._constraints import Enum
from ._enum import ServiceEnum

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


@attrs.frozen(kw_only=True)
class ParticipantReplica:
    """One replica of a participant in a destination stage."""

    source_stage_arn: str = attrs.field(validator=STAGE_ARN)
    """ARN of the stage the participant publishes to."""
    participant_id: str = attrs.field(validator=PARTICIPANT_ID)
    """The participant's id, the same in both stages."""
    source_session_id: str = attrs.field(validator=STAGE_SESSION_ID)
    """The session of the source stage."""
    destination_stage_arn: str = attrs.field(validator=STAGE_ARN)
    """ARN of the stage the participant is replicated to."""
    destination_session_id: str = attrs.field(validator=STAGE_SESSION_ID)
    """The session of the destination stage."""
    replication_state: ReplicationState = attrs.field(validator=Enum(ReplicationState))
    """Whether the replication is running."""
