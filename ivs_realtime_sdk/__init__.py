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
    ChannelDestinationConfiguration,
    Composition,
    CompositionRecordingHlsConfiguration,
    CompositionSpec,
    CompositionState,
    CompositionSummary,
    CompositionThumbnailConfiguration,
    CreatedStage,
    Destination,
    DestinationConfiguration,
    DestinationDetail,
    DestinationState,
    DestinationSummary,
    EncoderConfiguration,
    EncoderConfigurationSpec,
    EncoderConfigurationSummary,
    Event,
    EventErrorCode,
    EventName,
    ExchangedParticipantToken,
    GridConfiguration,
    IngestConfiguration,
    IngestConfigurationSpec,
    IngestConfigurationState,
    IngestConfigurationSummary,
    IngestProtocol,
    LayoutConfiguration,
    Page,
    Participant,
    ParticipantProtocol,
    ParticipantRecordingHlsConfiguration,
    ParticipantRecordingMediaType,
    ParticipantRecordingState,
    ParticipantRecordingStateFilter,
    ParticipantReplica,
    ParticipantState,
    ParticipantSummary,
    ParticipantThumbnailConfiguration,
    ParticipantToken,
    ParticipantTokenConfig,
    PipBehavior,
    PipConfiguration,
    PipPosition,
    PublicKey,
    PublicKeySpec,
    PublicKeySummary,
    RecordingConfiguration,
    RecordingConfigurationFormat,
    RedundantIngestCredential,
    ReplicationState,
    ReplicationType,
    S3DestinationConfiguration,
    S3Detail,
    S3StorageConfiguration,
    Stage,
    StageEndpoints,
    StageSession,
    StageSessionSummary,
    StageSpec,
    StageSummary,
    StorageConfiguration,
    StorageConfigurationSpec,
    StorageConfigurationSummary,
    ThumbnailRecordingMode,
    ThumbnailStorageType,
    Video,
    VideoAspectRatio,
    VideoFillMode,
)

if TYPE_CHECKING:
    from .aio import AsyncIVSRealTime
    from .tokens import KeyPair, TokenClaims, TokenSigner, generate_key_pair, verify_token

__version__ = "0.1.0"

__all__ = [
    "AsyncIVSRealTime",
    "AutoParticipantRecordingConfiguration",
    "Capability",
    "ChannelDestinationConfiguration",
    "Composition",
    "CompositionRecordingHlsConfiguration",
    "CompositionSpec",
    "CompositionState",
    "CompositionSummary",
    "CompositionThumbnailConfiguration",
    "CreatedStage",
    "Destination",
    "DestinationConfiguration",
    "DestinationDetail",
    "DestinationState",
    "DestinationSummary",
    "EncoderConfiguration",
    "EncoderConfigurationSpec",
    "EncoderConfigurationSummary",
    "Event",
    "EventErrorCode",
    "EventName",
    "ExchangedParticipantToken",
    "GridConfiguration",
    "IVSRealTime",
    "IVSRealTimeError",
    "IngestConfiguration",
    "IngestConfigurationSpec",
    "IngestConfigurationState",
    "IngestConfigurationSummary",
    "IngestProtocol",
    "KeyPair",
    "LayoutConfiguration",
    "Page",
    "Participant",
    "ParticipantProtocol",
    "ParticipantRecordingHlsConfiguration",
    "ParticipantRecordingMediaType",
    "ParticipantRecordingState",
    "ParticipantRecordingStateFilter",
    "ParticipantReplica",
    "ParticipantState",
    "ParticipantSummary",
    "ParticipantThumbnailConfiguration",
    "ParticipantToken",
    "ParticipantTokenConfig",
    "PipBehavior",
    "PipConfiguration",
    "PipPosition",
    "PublicKey",
    "PublicKeySpec",
    "PublicKeySummary",
    "RecordingConfiguration",
    "RecordingConfigurationFormat",
    "RedundantIngestCredential",
    "ReplicationState",
    "ReplicationType",
    "S3DestinationConfiguration",
    "S3Detail",
    "S3StorageConfiguration",
    "Stage",
    "StageEndpoints",
    "StageSession",
    "StageSessionSummary",
    "StageSpec",
    "StageSummary",
    "StorageConfiguration",
    "StorageConfigurationSpec",
    "StorageConfigurationSummary",
    "ThumbnailRecordingMode",
    "ThumbnailStorageType",
    "TokenClaims",
    "TokenSigner",
    "Video",
    "VideoAspectRatio",
    "VideoFillMode",
    "__version__",
    "errors",
    "generate_key_pair",
    "verify_token",
]


# Loaded on first use: aio brings aiohttp and aiobotocore, tokens brings cryptography.
_LAZY = {
    "AsyncIVSRealTime": "aio",
    "KeyPair": "tokens",
    "TokenClaims": "tokens",
    "TokenSigner": "tokens",
    "generate_key_pair": "tokens",
    "verify_token": "tokens",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
