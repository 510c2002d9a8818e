"""Stages: the virtual rooms participants join."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from .._frozen import EMPTY
from ._arns import RESOURCE_NAME, TAGS
from ._constraints import Items, Nested, str_map, to_tuple
from ._response import typed_fields
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


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class StageEndpoints:
    """Where clients connect to a stage."""

    events: str | None = None
    """Events endpoint, for the client SDKs."""
    whip: str | None = None
    """WHIP endpoint, for publishing with WebRTC-HTTP ingest."""
    rtmp: str | None = None
    """RTMP ingest endpoint."""
    rtmps: str | None = None
    """RTMPS ingest endpoint."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class Stage:
    """A stage, as the service describes it."""

    arn: str
    """The stage's ARN."""
    name: str | None = None
    """The stage's name."""
    active_session_id: str | None = None
    """The id of the session in progress, if any."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """The stage's tags."""
    endpoints: StageEndpoints | None = None
    """Where clients connect."""
    auto_participant_recording_configuration: AutoParticipantRecordingConfiguration | None = None
    """Individual participant recording, if configured."""

    @property
    def id(self) -> str:
        """The stage id: the last part of the ARN."""
        return self.arn.rsplit("/", 1)[-1]


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class StageSummary:
    """A stage as ``list_stages`` shows it."""

    arn: str
    """The stage's ARN."""
    name: str | None = None
    """The stage's name."""
    active_session_id: str | None = None
    """The id of the session in progress, if any."""
    tags: Mapping[str, str] = attrs.field(default=EMPTY, converter=str_map)
    """The stage's tags."""


@attrs.frozen(kw_only=True, field_transformer=typed_fields)
class CreatedStage:
    """What ``create_stage`` returns: the stage and the tokens made with it."""

    stage: Stage
    """The new stage."""
    participant_tokens: tuple[ParticipantToken, ...] = attrs.field(default=(), converter=_tokens)
    """One token per requested configuration, in the same order."""
