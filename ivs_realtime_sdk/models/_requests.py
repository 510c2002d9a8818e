"""Request shapes of the operations whose facade methods take plain arguments.

Building one validates the arguments, so a bad ARN fails before any request
is sent, in the same way a bad StageSpec does.
"""

from __future__ import annotations

import attrs

from ._arns import PAGINATION_TOKEN, RESOURCE_NAME, STAGE_ARN, max_results
from ._constraints import Nested, Text
from .recording import AutoParticipantRecordingConfiguration
from .token import ParticipantTokenConfig

# The service model's ConnectionTokenId: what a participant token's jti claim holds.
CONNECTION_TOKEN_ID = Text(min=1, max=64, pattern=r"[a-zA-Z0-9-_]+")


@attrs.frozen(kw_only=True)
class ArnRequest:
    """A request naming one stage by its ARN."""

    arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""


@attrs.frozen(kw_only=True)
class UpdateStageRequest:
    """UpdateStage: None leaves a field as it is."""

    arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """The new name."""
    auto_participant_recording_configuration: AutoParticipantRecordingConfiguration | None = (
        attrs.field(
            default=None, validator=Nested(AutoParticipantRecordingConfiguration, optional=True)
        )
    )
    """The new recording configuration."""


@attrs.frozen(kw_only=True)
class ListStagesRequest:
    """ListStages: one page."""

    max_results: int | None = attrs.field(default=None, validator=max_results())
    """At most this many stages, 1 to 100 (service default 50)."""
    next_token: str | None = attrs.field(default=None, validator=PAGINATION_TOKEN)
    """The previous page's ``next_token``."""


@attrs.frozen(kw_only=True)
class CreateParticipantTokenRequest:
    """CreateParticipantToken: the stage, and the token's configuration flattened beside it."""

    stage_arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    config: ParticipantTokenConfig = attrs.field(validator=Nested(ParticipantTokenConfig))
    """Who the participant is, what it may do, and for how long."""


@attrs.frozen(kw_only=True)
class RevokeConnectionTokenRequest:
    """RevokeConnectionToken: a token, by its id, on every stage."""

    token_id: str = attrs.field(validator=CONNECTION_TOKEN_ID)
    """The token's ``jti``: its ``participant_id``, from the API or self-signed."""
