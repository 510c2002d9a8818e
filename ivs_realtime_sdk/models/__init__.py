"""The typed models of ivs-realtime: frozen, validated at construction.

Each family of models (stages, compositions, ...) is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .composition import (
        ChannelDestinationConfiguration,
        Composition,
        CompositionRecordingHlsConfiguration,
        CompositionSpec,
        CompositionState,
        CompositionSummary,
        CompositionThumbnailConfiguration,
        Destination,
        DestinationConfiguration,
        DestinationDetail,
        DestinationState,
        DestinationSummary,
        RecordingConfiguration,
        RecordingConfigurationFormat,
        S3DestinationConfiguration,
        S3Detail,
    )
    from .encoder import (
        EncoderConfiguration,
        EncoderConfigurationSpec,
        EncoderConfigurationSummary,
        Video,
    )
    from .ingest import (
        IngestConfiguration,
        IngestConfigurationSpec,
        IngestConfigurationState,
        IngestConfigurationSummary,
        IngestProtocol,
        RedundantIngestCredential,
    )
    from .layout import (
        GridConfiguration,
        LayoutConfiguration,
        PipBehavior,
        PipConfiguration,
        PipPosition,
        VideoAspectRatio,
        VideoFillMode,
    )
    from .pagination import Page
    from .participant import (
        Event,
        EventErrorCode,
        EventName,
        Participant,
        ParticipantProtocol,
        ParticipantRecordingState,
        ParticipantRecordingStateFilter,
        ParticipantState,
        ParticipantSummary,
    )
    from .public_key import PublicKey, PublicKeySpec, PublicKeySummary
    from .recording import (
        AutoParticipantRecordingConfiguration,
        ParticipantRecordingHlsConfiguration,
        ParticipantRecordingMediaType,
        ParticipantThumbnailConfiguration,
        ThumbnailRecordingMode,
        ThumbnailStorageType,
    )
    from .replica import ParticipantReplica, ReplicationState, ReplicationType
    from .session import StageSession, StageSessionSummary
    from .stage import CreatedStage, Stage, StageEndpoints, StageSpec, StageSummary
    from .storage import (
        S3StorageConfiguration,
        StorageConfiguration,
        StorageConfigurationSpec,
        StorageConfigurationSummary,
    )
    from .token import (
        Capability,
        ExchangedParticipantToken,
        ParticipantToken,
        ParticipantTokenConfig,
    )

__all__ = [
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
    "IngestConfiguration",
    "IngestConfigurationSpec",
    "IngestConfigurationState",
    "IngestConfigurationSummary",
    "IngestProtocol",
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
    "Video",
    "VideoAspectRatio",
    "VideoFillMode",
]


#: Where each public model lives. A family's module is imported when one of its
#: names is first used, so a process that only creates stages never builds the
#: composition, encoder, ingest or storage classes (attrs compiles each class's
#: methods when it is defined, a large part of the import time).
_FAMILY = {
    "AutoParticipantRecordingConfiguration": "recording",
    "Capability": "token",
    "ChannelDestinationConfiguration": "composition",
    "Composition": "composition",
    "CompositionRecordingHlsConfiguration": "composition",
    "CompositionSpec": "composition",
    "CompositionState": "composition",
    "CompositionSummary": "composition",
    "CompositionThumbnailConfiguration": "composition",
    "CreatedStage": "stage",
    "Destination": "composition",
    "DestinationConfiguration": "composition",
    "DestinationDetail": "composition",
    "DestinationState": "composition",
    "DestinationSummary": "composition",
    "EncoderConfiguration": "encoder",
    "EncoderConfigurationSpec": "encoder",
    "EncoderConfigurationSummary": "encoder",
    "Event": "participant",
    "EventErrorCode": "participant",
    "EventName": "participant",
    "ExchangedParticipantToken": "token",
    "GridConfiguration": "layout",
    "IngestConfiguration": "ingest",
    "IngestConfigurationSpec": "ingest",
    "IngestConfigurationState": "ingest",
    "IngestConfigurationSummary": "ingest",
    "IngestProtocol": "ingest",
    "LayoutConfiguration": "layout",
    "Page": "pagination",
    "Participant": "participant",
    "ParticipantProtocol": "participant",
    "ParticipantRecordingHlsConfiguration": "recording",
    "ParticipantRecordingMediaType": "recording",
    "ParticipantRecordingState": "participant",
    "ParticipantRecordingStateFilter": "participant",
    "ParticipantReplica": "replica",
    "ParticipantState": "participant",
    "ParticipantSummary": "participant",
    "ParticipantThumbnailConfiguration": "recording",
    "ParticipantToken": "token",
    "ParticipantTokenConfig": "token",
    "PipBehavior": "layout",
    "PipConfiguration": "layout",
    "PipPosition": "layout",
    "PublicKey": "public_key",
    "PublicKeySpec": "public_key",
    "PublicKeySummary": "public_key",
    "RecordingConfiguration": "composition",
    "RecordingConfigurationFormat": "composition",
    "RedundantIngestCredential": "ingest",
    "ReplicationState": "replica",
    "ReplicationType": "replica",
    "S3DestinationConfiguration": "composition",
    "S3Detail": "composition",
    "S3StorageConfiguration": "storage",
    "Stage": "stage",
    "StageEndpoints": "stage",
    "StageSession": "session",
    "StageSessionSummary": "session",
    "StageSpec": "stage",
    "StageSummary": "stage",
    "StorageConfiguration": "storage",
    "StorageConfigurationSpec": "storage",
    "StorageConfigurationSummary": "storage",
    "ThumbnailRecordingMode": "recording",
    "ThumbnailStorageType": "recording",
    "Video": "encoder",
    "VideoAspectRatio": "layout",
    "VideoFillMode": "layout",
}


def __getattr__(name: str) -> Any:
    family = _FAMILY.get(name)
    if family is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{family}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
