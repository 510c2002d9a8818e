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
    destination_stage_arn: str = attrs.field(validator=STAGE_ARN)
    participant_id: str = attrs.field(validator=PARTICIPANT_ID)
    reconnect_window_seconds: int | None = attrs.field(
        default=None, validator=Integer(min=0, max=300, optional=True)
    )
    attributes: Mapping[str, str] = attrs.field(
        default=EMPTY, converter=str_map, validator=PARTICIPANT_ATTRIBUTES
    )


@attrs.frozen(kw_only=True)
class StopParticipantReplicationRequest:
    """StopParticipantReplication."""

    source_stage_arn: str = attrs.field(validator=STAGE_ARN)
    destination_stage_arn: str = attrs.field(validator=STAGE_ARN)
    participant_id: str = attrs.field(validator=PARTICIPANT_ID)


@attrs.frozen(kw_only=True)
class ListParticipantReplicasRequest:
    """ListParticipantReplicas: one page."""

    source_stage_arn: str = attrs.field(validator=STAGE_ARN)
    participant_id: str = attrs.field(validator=PARTICIPANT_ID)
    max_results: int | None = attrs.field(default=None, validator=max_results(50))
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
