"""Typed Python SDK for Amazon IVS Real-Time, sync (boto3) and async (aioboto3).

``AsyncIVSRealTime`` is imported lazily, so that sync users never load
aiohttp or aiobotocore.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors
from .client import IVSRealTime
from .errors import IVSRealTimeError
from .models import (
    AutoParticipantRecordingConfiguration,
    Capability,
    CreatedStage,
    Page,
    ParticipantRecordingHlsConfiguration,
    ParticipantRecordingMediaType,
    ParticipantThumbnailConfiguration,
    ParticipantToken,
    ParticipantTokenConfig,
    Stage,
    StageEndpoints,
    StageSpec,
    StageSummary,
    ThumbnailRecordingMode,
    ThumbnailStorageType,
)

if TYPE_CHECKING:
    from .aio import AsyncIVSRealTime

__version__ = "0.1.0"

__all__ = [
    "AsyncIVSRealTime",
    "AutoParticipantRecordingConfiguration",
    "Capability",
    "CreatedStage",
    "IVSRealTime",
    "IVSRealTimeError",
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
    "__version__",
    "errors",
]


def __getattr__(name: str) -> Any:
    if name == "AsyncIVSRealTime":
        from .aio import AsyncIVSRealTime

        return AsyncIVSRealTime
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
