"""One Operation descriptor per API call: what to call and how to read the answer."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import attrs

from .models import _composition_requests as composition_requests
from .models import _encoder_requests as encoder_requests
from .models import _ingest_requests as ingest_requests
from .models import _public_key_requests as public_key_requests
from .models import _replica_requests as replica_requests
from .models import _requests as stage_requests
from .models import _session_requests as session_requests
from .models import _storage_requests as storage_requests
from .models import _tags_requests as tags_requests
from .models.composition import Composition, CompositionSpec, CompositionSummary
from .models.encoder import (
    EncoderConfiguration,
    EncoderConfigurationSpec,
    EncoderConfigurationSummary,
)
from .models.ingest import (
    IngestConfiguration,
    IngestConfigurationSpec,
    IngestConfigurationSummary,
)
from .models.pagination import Page
from .models.participant import Event, Participant, ParticipantSummary
from .models.public_key import PublicKey, PublicKeySpec, PublicKeySummary
from .models.replica import ParticipantReplica
from .models.session import StageSession, StageSessionSummary
from .models.stage import CreatedStage, Stage, StageSpec, StageSummary
from .models.storage import (
    StorageConfiguration,
    StorageConfigurationSpec,
    StorageConfigurationSummary,
)
from .models.token import ParticipantToken

R = TypeVar("R")


@attrs.frozen
class Operation(Generic[R]):
    """An API operation, the model of its request and the shape of its result.

    Attributes:
        name: The API name, such as ``CreateStage``.
        method: The boto3 client method, such as ``create_stage``.
        request: The model a request is built as (a spec, or a private request class).
        result: The model the response becomes (None for no result).
        result_key: The response member holding the result; None for the whole response.
        page_key: For list operations, the member holding the page's items.
    """

    name: str
    method: str
    request: type[Any]
    result: type[Any] | None
    result_key: str | None = None
    page_key: str | None = None


def _list(
    name: str, method: str, request: type[Any], item: type[R], key: str
) -> Operation[Page[R]]:
    return Operation(name, method, request, item, page_key=key)


# Stages and participant tokens.
CREATE_STAGE: Operation[CreatedStage] = Operation(
    "CreateStage", "create_stage", StageSpec, CreatedStage
)
GET_STAGE: Operation[Stage] = Operation(
    "GetStage", "get_stage", stage_requests.ArnRequest, Stage, "stage"
)
UPDATE_STAGE: Operation[Stage] = Operation(
    "UpdateStage", "update_stage", stage_requests.UpdateStageRequest, Stage, "stage"
)
DELETE_STAGE: Operation[None] = Operation(
    "DeleteStage", "delete_stage", stage_requests.ArnRequest, None
)
LIST_STAGES = _list(
    "ListStages", "list_stages", stage_requests.ListStagesRequest, StageSummary, "stages"
)
CREATE_PARTICIPANT_TOKEN: Operation[ParticipantToken] = Operation(
    "CreateParticipantToken",
    "create_participant_token",
    stage_requests.CreateParticipantTokenRequest,
    ParticipantToken,
    "participantToken",
)

# Stage sessions, participants and their events.
GET_STAGE_SESSION: Operation[StageSession] = Operation(
    "GetStageSession",
    "get_stage_session",
    session_requests.GetStageSessionRequest,
    StageSession,
    "stageSession",
)
LIST_STAGE_SESSIONS = _list(
    "ListStageSessions",
    "list_stage_sessions",
    session_requests.ListStageSessionsRequest,
    StageSessionSummary,
    "stageSessions",
)
GET_PARTICIPANT: Operation[Participant] = Operation(
    "GetParticipant",
    "get_participant",
    session_requests.GetParticipantRequest,
    Participant,
    "participant",
)
LIST_PARTICIPANTS = _list(
    "ListParticipants",
    "list_participants",
    session_requests.ListParticipantsRequest,
    ParticipantSummary,
    "participants",
)
LIST_PARTICIPANT_EVENTS = _list(
    "ListParticipantEvents",
    "list_participant_events",
    session_requests.ListParticipantEventsRequest,
    Event,
    "events",
)
DISCONNECT_PARTICIPANT: Operation[None] = Operation(
    "DisconnectParticipant",
    "disconnect_participant",
    session_requests.DisconnectParticipantRequest,
    None,
)

# Participant replication. Its start and stop answers carry only HTTP headers.
START_PARTICIPANT_REPLICATION: Operation[None] = Operation(
    "StartParticipantReplication",
    "start_participant_replication",
    replica_requests.StartParticipantReplicationRequest,
    None,
)
STOP_PARTICIPANT_REPLICATION: Operation[None] = Operation(
    "StopParticipantReplication",
    "stop_participant_replication",
    replica_requests.StopParticipantReplicationRequest,
    None,
)
LIST_PARTICIPANT_REPLICAS = _list(
    "ListParticipantReplicas",
    "list_participant_replicas",
    replica_requests.ListParticipantReplicasRequest,
    ParticipantReplica,
    "replicas",
)

# Compositions.
START_COMPOSITION: Operation[Composition] = Operation(
    "StartComposition", "start_composition", CompositionSpec, Composition, "composition"
)
GET_COMPOSITION: Operation[Composition] = Operation(
    "GetComposition",
    "get_composition",
    composition_requests.CompositionArnRequest,
    Composition,
    "composition",
)
STOP_COMPOSITION: Operation[None] = Operation(
    "StopComposition", "stop_composition", composition_requests.CompositionArnRequest, None
)
LIST_COMPOSITIONS = _list(
    "ListCompositions",
    "list_compositions",
    composition_requests.ListCompositionsRequest,
    CompositionSummary,
    "compositions",
)

# Encoder configurations.
CREATE_ENCODER_CONFIGURATION: Operation[EncoderConfiguration] = Operation(
    "CreateEncoderConfiguration",
    "create_encoder_configuration",
    EncoderConfigurationSpec,
    EncoderConfiguration,
    "encoderConfiguration",
)
GET_ENCODER_CONFIGURATION: Operation[EncoderConfiguration] = Operation(
    "GetEncoderConfiguration",
    "get_encoder_configuration",
    encoder_requests.EncoderConfigurationArnRequest,
    EncoderConfiguration,
    "encoderConfiguration",
)
DELETE_ENCODER_CONFIGURATION: Operation[None] = Operation(
    "DeleteEncoderConfiguration",
    "delete_encoder_configuration",
    encoder_requests.EncoderConfigurationArnRequest,
    None,
)
LIST_ENCODER_CONFIGURATIONS = _list(
    "ListEncoderConfigurations",
    "list_encoder_configurations",
    encoder_requests.ListEncoderConfigurationsRequest,
    EncoderConfigurationSummary,
    "encoderConfigurations",
)

# Storage configurations.
CREATE_STORAGE_CONFIGURATION: Operation[StorageConfiguration] = Operation(
    "CreateStorageConfiguration",
    "create_storage_configuration",
    StorageConfigurationSpec,
    StorageConfiguration,
    "storageConfiguration",
)
GET_STORAGE_CONFIGURATION: Operation[StorageConfiguration] = Operation(
    "GetStorageConfiguration",
    "get_storage_configuration",
    storage_requests.StorageConfigurationArnRequest,
    StorageConfiguration,
    "storageConfiguration",
)
DELETE_STORAGE_CONFIGURATION: Operation[None] = Operation(
    "DeleteStorageConfiguration",
    "delete_storage_configuration",
    storage_requests.StorageConfigurationArnRequest,
    None,
)
LIST_STORAGE_CONFIGURATIONS = _list(
    "ListStorageConfigurations",
    "list_storage_configurations",
    storage_requests.ListStorageConfigurationsRequest,
    StorageConfigurationSummary,
    "storageConfigurations",
)

# Ingest configurations.
CREATE_INGEST_CONFIGURATION: Operation[IngestConfiguration] = Operation(
    "CreateIngestConfiguration",
    "create_ingest_configuration",
    IngestConfigurationSpec,
    IngestConfiguration,
    "ingestConfiguration",
)
GET_INGEST_CONFIGURATION: Operation[IngestConfiguration] = Operation(
    "GetIngestConfiguration",
    "get_ingest_configuration",
    ingest_requests.IngestConfigurationArnRequest,
    IngestConfiguration,
    "ingestConfiguration",
)
UPDATE_INGEST_CONFIGURATION: Operation[IngestConfiguration] = Operation(
    "UpdateIngestConfiguration",
    "update_ingest_configuration",
    ingest_requests.UpdateIngestConfigurationRequest,
    IngestConfiguration,
    "ingestConfiguration",
)
DELETE_INGEST_CONFIGURATION: Operation[None] = Operation(
    "DeleteIngestConfiguration",
    "delete_ingest_configuration",
    ingest_requests.DeleteIngestConfigurationRequest,
    None,
)
LIST_INGEST_CONFIGURATIONS = _list(
    "ListIngestConfigurations",
    "list_ingest_configurations",
    ingest_requests.ListIngestConfigurationsRequest,
    IngestConfigurationSummary,
    "ingestConfigurations",
)

# Public keys.
IMPORT_PUBLIC_KEY: Operation[PublicKey] = Operation(
    "ImportPublicKey", "import_public_key", PublicKeySpec, PublicKey, "publicKey"
)
GET_PUBLIC_KEY: Operation[PublicKey] = Operation(
    "GetPublicKey",
    "get_public_key",
    public_key_requests.PublicKeyArnRequest,
    PublicKey,
    "publicKey",
)
DELETE_PUBLIC_KEY: Operation[None] = Operation(
    "DeletePublicKey", "delete_public_key", public_key_requests.PublicKeyArnRequest, None
)
LIST_PUBLIC_KEYS = _list(
    "ListPublicKeys",
    "list_public_keys",
    public_key_requests.ListPublicKeysRequest,
    PublicKeySummary,
    "publicKeys",
)

# Tags of any resource.
TAG_RESOURCE: Operation[None] = Operation(
    "TagResource", "tag_resource", tags_requests.TagResourceRequest, None
)
UNTAG_RESOURCE: Operation[None] = Operation(
    "UntagResource", "untag_resource", tags_requests.UntagResourceRequest, None
)
LIST_TAGS_FOR_RESOURCE: Operation[tags_requests.ResourceTags] = Operation(
    "ListTagsForResource",
    "list_tags_for_resource",
    tags_requests.ResourceArnRequest,
    tags_requests.ResourceTags,
)
