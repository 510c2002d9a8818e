"""Requests about participant replication."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from .._frozen import EMPTY
from ._arns import (
    PAGINATION_TOKEN,
    PARTICIPANT_ATTRIBUTES,
    PARTICIPANT_ID,
    STAGE_ARN,
    max_results,
)
from ._constraints import Integer, str_map


@attrs.frozen(kw_only=True)
class StartParticipantReplicationRequest:
    """StartParticipantReplication."""

    source_stage_arn: str = attrs.field(validator=STAGE_ARN)
    """ARN of the stage the participant publishes to."""
    destination_stage_arn: str = attrs.field(validator=STAGE_ARN)
    """ARN of the stage to replicate it into."""
    participant_id: str = attrs.field(validator=PARTICIPANT_ID)
    """The participant's id."""
    reconnect_window_seconds: int | None = attrs.field(
        default=None, validator=Integer(min=0, max=300, optional=True)
    )
    """Seconds the replica waits for the source to come back,
    0 to 300 (service default 0)."""
    attributes: Mapping[str, str] = attrs.field(
        default=EMPTY, converter=str_map, validator=PARTICIPANT_ATTRIBUTES
    )
    """Attributes of the replica, merged over the source's (these win)."""


@attrs.frozen(kw_only=True)
class StopParticipantReplicationRequest:
    """StopParticipantReplication."""

    source_stage_arn: str = attrs.field(validator=STAGE_ARN)
    """ARN of the stage the participant publishes to."""
    destination_stage_arn: str = attrs.field(validator=STAGE_ARN)
    """ARN of the stage it is replicated into."""
    participant_id: str = attrs.field(validator=PARTICIPANT_ID)
    """The participant's id."""


@attrs.frozen(kw_only=True)
class ListParticipantReplicasRequest:
    """ListParticipantReplicas: one page."""

    source_stage_arn: str = attrs.field(validator=STAGE_ARN)
    """ARN of the stage the participant publishes to."""
    participant_id: str = attrs.field(validator=PARTICIPANT_ID)
    """The participant's id."""
    max_results: int | None = attrs.field(default=None, validator=max_results(50))
    """At most this many replicas, 1 to 50 (service default 50)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""
