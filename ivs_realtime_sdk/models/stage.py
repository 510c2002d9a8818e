"""Stages: the virtual rooms participants join."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from .._frozen import EMPTY
from ._arns import OPTIONAL_STAGE_SESSION_ID, RESOURCE_NAME, STAGE_ARN, TAGS
from ._constraints import Items, Nested, Text, str_map, to_tuple
from .recording import AutoParticipantRecordingConfiguration
from .token import ParticipantToken, ParticipantTokenConfig

__all__ = [
    "CreatedStage",
    "Stage",
    "StageEndpoints",
    "StageSpec",
    "StageSummary",
]


def _token_configs(
    value: Iterable[ParticipantTokenConfig],
) -> tuple[ParticipantTokenConfig, ...]:
    return to_tuple(value)  # type: ignore[no-any-return]


def _tokens(value: Iterable[ParticipantToken]) -> tuple[ParticipantToken, ...]:
    return to_tuple(value)  # type: ignore[no-any-return]


_ENDPOINT = Text(max=2048, optional=True)
_RECORDING = Nested(AutoParticipantRecordingConfiguration, optional=True)


@attrs.frozen(kw_only=True)
class StageSpec:
    """Everything needed to create a stage: what ``create_stage`` takes."""

    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """Stage name: at most 128 of ``[a-zA-Z0-9-_]``."""
    participant_token_configurations: tuple[ParticipantTokenConfig, ...] = attrs.field(
        default=(),
        converter=_token_configs,
        validator=Items(Nested(ParticipantTokenConfig), max=12),
    )
    """Tokens to create with the stage, at most 12."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """Tags: at most 50, keys of 1 to 128 characters, values of at most 256."""
    auto_participant_recording_configuration: AutoParticipantRecordingConfiguration | None = (
        attrs.field(default=None, validator=_RECORDING)
    )
    """Record each participant on its own; off if omitted."""


@attrs.frozen(kw_only=True)
class StageEndpoints:
    """Where clients connect to a stage."""

    events: str | None = attrs.field(default=None, validator=_ENDPOINT)
    """Events endpoint, for the client SDKs."""
    whip: str | None = attrs.field(default=None, validator=_ENDPOINT)
    """WHIP endpoint, for publishing with WebRTC-HTTP ingest."""
    rtmp: str | None = attrs.field(default=None, validator=_ENDPOINT)
    """RTMP ingest endpoint."""
    rtmps: str | None = attrs.field(default=None, validator=_ENDPOINT)
    """RTMPS ingest endpoint."""


@attrs.frozen(kw_only=True)
class Stage:
    """A stage, as the service describes it."""

    arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """The stage's name."""
    active_session_id: str | None = attrs.field(default=None, validator=OPTIONAL_STAGE_SESSION_ID)
    """The id of the session in progress, if any."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """The stage's tags."""
    endpoints: StageEndpoints | None = attrs.field(
        default=None, validator=Nested(StageEndpoints, optional=True)
    )
    """Where clients connect."""
    auto_participant_recording_configuration: AutoParticipantRecordingConfiguration | None = (
        attrs.field(default=None, validator=_RECORDING)
    )
    """Individual participant recording, if configured."""

    @property
    def id(self) -> str:
        """The stage id: the last part of the ARN."""
        return self.arn.rsplit("/", 1)[-1]


@attrs.frozen(kw_only=True)
class StageSummary:
    """A stage as ``list_stages`` shows it."""

    arn: str = attrs.field(validator=STAGE_ARN)
    """The stage's ARN."""
    name: str | None = attrs.field(default=None, validator=RESOURCE_NAME)
    """The stage's name."""
    active_session_id: str | None = attrs.field(default=None, validator=OPTIONAL_STAGE_SESSION_ID)
    """The id of the session in progress, if any."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map, validator=TAGS)
    """The stage's tags."""


@attrs.frozen(kw_only=True)
class CreatedStage:
    """What ``create_stage`` returns: the stage and the tokens made with it."""

    stage: Stage = attrs.field(validator=Nested(Stage))
    """The new stage."""
    participant_tokens: tuple[ParticipantToken, ...] = attrs.field(
        default=(), converter=_tokens, validator=Items(Nested(ParticipantToken))
    )
    """One token per requested configuration, in the same order."""
