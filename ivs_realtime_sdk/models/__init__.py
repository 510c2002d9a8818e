"""The typed models of ivs-realtime: frozen, validated at construction."""

from .pagination import Page
from .recording import (
    AutoParticipantRecordingConfiguration,
    ParticipantRecordingHlsConfiguration,
    ParticipantRecordingMediaType,
    ParticipantThumbnailConfiguration,
    ThumbnailRecordingMode,
    ThumbnailStorageType,
)
from .stage import CreatedStage, Stage, StageEndpoints, StageSpec, StageSummary
from .token import Capability, ParticipantToken, ParticipantTokenConfig

__all__ = [
    "AutoParticipantRecordingConfiguration",
    "Capability",
    "CreatedStage",
    "Page",
    "ParticipantRecordingHlsConfiguration",
    "ParticipantRecordingMediaType",
    "ParticipantThumbnailConfiguration",
    "ParticipantToken",
    "ParticipantTokenConfig",
    "Stage",
    "StageEndpoints",
    "StageSpec",
    "StageSummary",
    "ThumbnailRecordingMode",
    "ThumbnailStorageType",
]
