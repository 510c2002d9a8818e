"""Typed Python SDK for Amazon IVS Real-Time, sync (boto3) and async (aioboto3).

``AsyncIVSRealTime`` is imported lazily, so that sync users never load
aiohttp or aiobotocore; so is each family of models, so that a process that
creates stages does not pay for the composition or storage classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors
from .client import IVSRealTime
from .errors import IVSRealTimeError

if TYPE_CHECKING:
    from .aio import AsyncIVSRealTime
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


# Loaded on first use: aio brings aiohttp and aiobotocore, tokens brings cryptography,
# and each family of models is built when first used (``models.__getattr__``).
_LAZY = {
    "AsyncIVSRealTime": "aio",
    "KeyPair": "tokens",
    "TokenClaims": "tokens",
    "TokenSigner": "tokens",
    "generate_key_pair": "tokens",
    "verify_token": "tokens",
}


def __getattr__(name: str) -> Any:
    from importlib import import_module

    module = _LAZY.get(name)
    if module is None:
        if name not in import_module(".models", __name__).__all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = "models"

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
