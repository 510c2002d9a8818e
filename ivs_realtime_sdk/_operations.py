"""One declaration per API call: what to call, how to read the answer, and how to document it.

Both facades' methods are generated from these declarations and the request
models' attribute docstrings (``scripts/generate.py``); ``nox -s generate``
rewrites them. A method takes the request model's fields as its arguments:
required ones positional, optional ones keyword-only, unless the declaration
says otherwise (``positional``, ``defaults``). A declaration with ``spec``
takes its whole request model as one ``spec`` argument instead. Which
response member holds the result is not declared: the generator reads it from
the shipped service model into ``_generated/_response_keys.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import attrs

# Named here because facade signatures default to it (``ops.EMPTY``).
from ._frozen import EMPTY as EMPTY
from ._generated._response_keys import PAGE_KEYS, RESULT_KEYS
from ._once import once
from .errors import InvalidParameterTypeError
from .models._constraints import Nested
from .models.pagination import Page
from .models.token import ParticipantTokenConfig

if TYPE_CHECKING:
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

Req = TypeVar("Req")
R = TypeVar("R")
T = TypeVar("T")

#: What a ``list_*`` method returns, in its docstring's Returns section.
PAGE_RETURNS = "The page; its ``next_token`` is None on the last page."

#: A default that a facade signature names (the generator writes ``ops.<NAME>``).
DEFAULT_TOKEN = ParticipantTokenConfig()


def _pairs(value: Mapping[str, Any] | tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
    return tuple(dict(value).items())


@once
def _snake_case(name: str) -> str:
    # Cached: every call looks its client method up by this name.
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _model(where: type[Any] | str) -> type[Any]:
    # Declarations name their models as "family:Name", so that importing this
    # module builds no model class: a family's module (attrs compiles each of
    # its classes) is imported when one of its operations is first called.
    return where if not isinstance(where, str) else _named_model(where)


@once
def _named_model(where: str) -> type[Any]:
    family, _, name = where.partition(":")
    model: type[Any] = getattr(import_module(f".models.{family}", __package__), name)
    return model


@attrs.frozen(kw_only=True)
class IterMethod:
    """The ``iter_*`` method of a list operation: its name and the docs only it has."""

    name: str
    """The method's name, such as ``iter_stages``."""
    summary: str
    """The docstring's first line."""
    page_size: str
    """What its ``page_size`` argument means (it becomes the request's ``max_results``)."""
    yields: str
    """The docstring's Yields section."""


@attrs.frozen(kw_only=True)
class Operation(Generic[Req, R]):
    """An API operation: its request model, the shape of its result, and its facade method."""

    name: str
    """The API name, such as ``CreateStage``."""
    _request: type[Req] | str = attrs.field(alias="request")
    """The request model, or where it lives (``"family:Name"`` in ``models``)."""
    _result: type[Any] | str | None = attrs.field(default=None, alias="result")
    """The result model, or where it lives; None for no result."""
    summary: str
    """The first line of the method's docstring."""
    spec: str | None = None
    """If set, the method takes the whole request as ``spec``, documented by this text."""
    returns: str | None = None
    """The Returns section (list operations default to ``PAGE_RETURNS``)."""
    raises: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    """The Raises section: error class names and when."""
    iterator: IterMethod | None = None
    """For list operations, the ``iter_*`` method."""
    unwrap: str | None = None
    """An attribute of the result that the method returns instead of the result."""
    positional: tuple[str, ...] | None = None
    """Request fields taken positionally; None for the required ones."""
    defaults: tuple[tuple[str, object], ...] = attrs.field(default=(), converter=_pairs)
    """Defaults of arguments whose request field has none."""
    # The response keys are the service model's, which the generator reads into
    # _response_keys: they are no arguments, so no declaration can disagree with it.
    result_key: str | None = attrs.field(
        init=False, default=attrs.Factory(lambda op: RESULT_KEYS.get(op.name), takes_self=True)
    )
    """The response member holding the result; None for the whole response."""
    page_key: str | None = attrs.field(
        init=False, default=attrs.Factory(lambda op: PAGE_KEYS.get(op.name), takes_self=True)
    )
    """For list operations, the member holding the page's items."""

    @property
    def request(self) -> type[Req]:
        """The model a request is built as (a spec, or a private request class)."""
        return cast("type[Req]", _model(self._request))

    @property
    def result(self) -> type[Any] | None:
        """The model the response (or each page item) becomes; None for no result."""
        return None if self._result is None else _model(self._result)

    @property
    def method(self) -> str:
        """The boto3 client method, such as ``create_stage``."""
        return _snake_case(self.name)

    def model_arguments(self) -> tuple[str, ...]:
        """The method's arguments that take a model (a spec, a config), which it checks."""
        if self.spec is not None:
            return ("spec",)
        return tuple(
            field.name
            for field in attrs.fields(cast("type[Any]", self.request))
            if isinstance(field.validator, Nested)
        )

    def argument(self, name: str, value: T) -> T:
        """Return ``value`` if it is an instance of the model argument ``name`` takes.

        The facades' generated methods call this first, so that a str or a dict
        passed for a spec fails at once, naming the method's argument and the
        class it takes, never deep in botocore or (a dict) silently sent.

        Raises:
            InvalidParameterTypeError: ``value`` is not an instance of that model.
        """
        if self.spec is not None:
            expected: type[Any] = self.request
        else:
            check = attrs.fields_dict(cast("type[Any]", self.request))[name].validator
            assert isinstance(check, Nested)
            if value is None and check.optional:
                return value
            expected = check.type
        if not isinstance(value, expected):
            raise InvalidParameterTypeError(
                f"{self.method}({name})",
                f"expected {expected.__name__}, got {type(value).__name__}",
            )
        return value


CREATE_STAGE: Operation[StageSpec, CreatedStage] = Operation(
    name="CreateStage",
    request="stage:StageSpec",
    result="stage:CreatedStage",
    summary="Create a stage, and the participant tokens its spec asks for.",
    spec="The stage's name, tags, token configurations and recording.",
    returns="The stage and its tokens, in the order of the spec's configurations.",
    raises={"ServiceQuotaExceededError": "The account has too many stages."},
)
GET_STAGE: Operation[stage_requests.ArnRequest, Stage] = Operation(
    name="GetStage",
    request="_requests:ArnRequest",
    result="stage:Stage",
    summary="Get one stage.",
    returns="The stage.",
    raises={"ResourceNotFoundError": "No stage has this ARN."},
)
UPDATE_STAGE: Operation[stage_requests.UpdateStageRequest, Stage] = Operation(
    name="UpdateStage",
    request="_requests:UpdateStageRequest",
    result="stage:Stage",
    summary="Change a stage's name or recording; what is left None stays as it is.",
    returns="The updated stage.",
    raises={"ResourceNotFoundError": "No stage has this ARN."},
)
DELETE_STAGE: Operation[stage_requests.ArnRequest, None] = Operation(
    name="DeleteStage",
    request="_requests:ArnRequest",
    summary="Delete a stage, ending its session.",
    raises={
        "ResourceNotFoundError": "No stage has this ARN.",
        "ConflictError": "The stage is in use, such as by a composition.",
    },
)
LIST_STAGES: Operation[stage_requests.ListStagesRequest, Page[StageSummary]] = Operation(
    name="ListStages",
    request="_requests:ListStagesRequest",
    result="stage:StageSummary",
    summary="List one page of stages.",
    iterator=IterMethod(
        name="iter_stages",
        summary="Yield every stage, fetching pages as needed.",
        page_size="Stages per request, 1 to 100.",
        yields="Each stage summary.",
    ),
)
CREATE_PARTICIPANT_TOKEN: Operation[
    stage_requests.CreateParticipantTokenRequest, ParticipantToken
] = Operation(
    name="CreateParticipantToken",
    request="_requests:CreateParticipantTokenRequest",
    result="token:ParticipantToken",
    summary="Create a token for one participant to join a stage.",
    positional=("stage_arn", "config"),
    defaults={"config": DEFAULT_TOKEN},
    returns="The token; its string is secret and never shown in its repr.",
    raises={"ResourceNotFoundError": "No stage has this ARN."},
)
REVOKE_CONNECTION_TOKEN: Operation[stage_requests.RevokeConnectionTokenRequest, None] = Operation(
    name="RevokeConnectionToken",
    request="_requests:RevokeConnectionTokenRequest",
    summary="Revoke a participant token: it joins no stage again, and whoever holds it leaves.",
)
GET_STAGE_SESSION: Operation[session_requests.GetStageSessionRequest, StageSession] = Operation(
    name="GetStageSession",
    request="_session_requests:GetStageSessionRequest",
    result="session:StageSession",
    summary="Get one session of a stage.",
    returns="The session.",
    raises={"ResourceNotFoundError": "No such stage or session."},
)
LIST_STAGE_SESSIONS: Operation[
    session_requests.ListStageSessionsRequest, Page[StageSessionSummary]
] = Operation(
    name="ListStageSessions",
    request="_session_requests:ListStageSessionsRequest",
    result="session:StageSessionSummary",
    summary="List one page of a stage's sessions, the newest first.",
    raises={"ResourceNotFoundError": "No stage has this ARN."},
    iterator=IterMethod(
        name="iter_stage_sessions",
        summary="Yield every session of a stage, fetching pages as needed.",
        page_size="Sessions per request, 1 to 100.",
        yields="Each session summary.",
    ),
)
GET_PARTICIPANT: Operation[session_requests.GetParticipantRequest, Participant] = Operation(
    name="GetParticipant",
    request="_session_requests:GetParticipantRequest",
    result="participant:Participant",
    summary="Get one participant of a stage session.",
    returns="The participant.",
    raises={"ResourceNotFoundError": "No such stage, session or participant."},
)
LIST_PARTICIPANTS: Operation[session_requests.ListParticipantsRequest, Page[ParticipantSummary]] = (
    Operation(
        name="ListParticipants",
        request="_session_requests:ListParticipantsRequest",
        result="participant:ParticipantSummary",
        summary=(
            "List one page of a session's participants; the service allows one filter at a time."
        ),
        raises={"ResourceNotFoundError": "No such stage or session."},
        iterator=IterMethod(
            name="iter_participants",
            summary="Yield every participant of a session, fetching pages as needed.",
            page_size="Participants per request, 1 to 100.",
            yields="Each participant summary.",
        ),
    )
)
LIST_PARTICIPANT_EVENTS: Operation[session_requests.ListParticipantEventsRequest, Page[Event]] = (
    Operation(
        name="ListParticipantEvents",
        request="_session_requests:ListParticipantEventsRequest",
        result="participant:Event",
        summary="List one page of a participant's events, in the order they happened.",
        raises={"ResourceNotFoundError": "No such stage, session or participant."},
        iterator=IterMethod(
            name="iter_participant_events",
            summary="Yield every event of a participant, fetching pages as needed.",
            page_size="Events per request, 1 to 100.",
            yields="Each event.",
        ),
    )
)
DISCONNECT_PARTICIPANT: Operation[session_requests.DisconnectParticipantRequest, None] = Operation(
    name="DisconnectParticipant",
    request="_session_requests:DisconnectParticipantRequest",
    summary="Disconnect a participant from a stage and revoke its token.",
    raises={"ResourceNotFoundError": "No such stage or participant."},
)
START_PARTICIPANT_REPLICATION: Operation[
    replica_requests.StartParticipantReplicationRequest, None
] = Operation(
    name="StartParticipantReplication",
    request="_replica_requests:StartParticipantReplicationRequest",
    summary="Replicate a publishing participant of one stage into another stage.",
    raises={
        "ResourceNotFoundError": "No such stage or participant.",
        "ConflictError": "The participant is already replicated there.",
    },
)
STOP_PARTICIPANT_REPLICATION: Operation[
    replica_requests.StopParticipantReplicationRequest, None
] = Operation(
    name="StopParticipantReplication",
    request="_replica_requests:StopParticipantReplicationRequest",
    summary="Stop replicating a participant into another stage.",
    raises={"ResourceNotFoundError": "No such replication."},
)
LIST_PARTICIPANT_REPLICAS: Operation[
    replica_requests.ListParticipantReplicasRequest, Page[ParticipantReplica]
] = Operation(
    name="ListParticipantReplicas",
    request="_replica_requests:ListParticipantReplicasRequest",
    result="replica:ParticipantReplica",
    summary="List one page of the replicas of a participant.",
    iterator=IterMethod(
        name="iter_participant_replicas",
        summary="Yield every replica of a participant, fetching pages as needed.",
        page_size="Replicas per request, 1 to 50.",
        yields="Each replica.",
    ),
)
START_COMPOSITION: Operation[CompositionSpec, Composition] = Operation(
    name="StartComposition",
    request="composition:CompositionSpec",
    result="composition:Composition",
    summary="Start composing a stage into one stream for its destinations.",
    spec="The stage, the destinations, the layout and tags.",
    returns="The new composition, usually STARTING.",
    raises={
        "ResourceNotFoundError": "No such stage, channel or configuration.",
        "ConflictError": "The stage has no session, or the destination is in use.",
        "ServiceQuotaExceededError": "The account has too many compositions.",
    },
)
GET_COMPOSITION: Operation[composition_requests.CompositionArnRequest, Composition] = Operation(
    name="GetComposition",
    request="_composition_requests:CompositionArnRequest",
    result="composition:Composition",
    summary="Get one composition.",
    returns="The composition.",
    raises={"ResourceNotFoundError": "No composition has this ARN."},
)
STOP_COMPOSITION: Operation[composition_requests.CompositionArnRequest, None] = Operation(
    name="StopComposition",
    request="_composition_requests:CompositionArnRequest",
    summary="Stop a composition and its destinations.",
    raises={"ResourceNotFoundError": "No composition has this ARN."},
)
LIST_COMPOSITIONS: Operation[
    composition_requests.ListCompositionsRequest, Page[CompositionSummary]
] = Operation(
    name="ListCompositions",
    request="_composition_requests:ListCompositionsRequest",
    result="composition:CompositionSummary",
    summary="List one page of compositions.",
    iterator=IterMethod(
        name="iter_compositions",
        summary="Yield every composition, fetching pages as needed.",
        page_size="Compositions per request, 1 to 100.",
        yields="Each composition summary.",
    ),
)
CREATE_ENCODER_CONFIGURATION: Operation[EncoderConfigurationSpec, EncoderConfiguration] = Operation(
    name="CreateEncoderConfiguration",
    request="encoder:EncoderConfigurationSpec",
    result="encoder:EncoderConfiguration",
    summary="Create an encoder configuration for compositions.",
    spec="The name, video settings and tags.",
    returns="The new encoder configuration.",
    raises={"ServiceQuotaExceededError": "The account has too many encoder configurations."},
)
GET_ENCODER_CONFIGURATION: Operation[
    encoder_requests.EncoderConfigurationArnRequest, EncoderConfiguration
] = Operation(
    name="GetEncoderConfiguration",
    request="_encoder_requests:EncoderConfigurationArnRequest",
    result="encoder:EncoderConfiguration",
    summary="Get one encoder configuration.",
    returns="The encoder configuration.",
    raises={"ResourceNotFoundError": "No encoder configuration has this ARN."},
)
DELETE_ENCODER_CONFIGURATION: Operation[encoder_requests.EncoderConfigurationArnRequest, None] = (
    Operation(
        name="DeleteEncoderConfiguration",
        request="_encoder_requests:EncoderConfigurationArnRequest",
        summary="Delete an encoder configuration.",
        raises={
            "ResourceNotFoundError": "No encoder configuration has this ARN.",
            "ConflictError": "A running composition uses it.",
        },
    )
)
LIST_ENCODER_CONFIGURATIONS: Operation[
    encoder_requests.ListEncoderConfigurationsRequest, Page[EncoderConfigurationSummary]
] = Operation(
    name="ListEncoderConfigurations",
    request="_encoder_requests:ListEncoderConfigurationsRequest",
    result="encoder:EncoderConfigurationSummary",
    summary="List one page of encoder configurations.",
    iterator=IterMethod(
        name="iter_encoder_configurations",
        summary="Yield every encoder configuration, fetching pages as needed.",
        page_size="Encoder configurations per request, 1 to 100.",
        yields="Each encoder configuration summary.",
    ),
)
CREATE_STORAGE_CONFIGURATION: Operation[StorageConfigurationSpec, StorageConfiguration] = Operation(
    name="CreateStorageConfiguration",
    request="storage:StorageConfigurationSpec",
    result="storage:StorageConfiguration",
    summary="Create a storage configuration: an S3 bucket to record into.",
    spec="The bucket, the name and tags.",
    returns="The new storage configuration.",
    raises={"ServiceQuotaExceededError": "The account has too many storage configurations."},
)
GET_STORAGE_CONFIGURATION: Operation[
    storage_requests.StorageConfigurationArnRequest, StorageConfiguration
] = Operation(
    name="GetStorageConfiguration",
    request="_storage_requests:StorageConfigurationArnRequest",
    result="storage:StorageConfiguration",
    summary="Get one storage configuration.",
    returns="The storage configuration.",
    raises={"ResourceNotFoundError": "No storage configuration has this ARN."},
)
DELETE_STORAGE_CONFIGURATION: Operation[storage_requests.StorageConfigurationArnRequest, None] = (
    Operation(
        name="DeleteStorageConfiguration",
        request="_storage_requests:StorageConfigurationArnRequest",
        summary="Delete a storage configuration.",
        raises={
            "ResourceNotFoundError": "No storage configuration has this ARN.",
            "ConflictError": "A running composition or a stage's recording uses it.",
        },
    )
)
LIST_STORAGE_CONFIGURATIONS: Operation[
    storage_requests.ListStorageConfigurationsRequest, Page[StorageConfigurationSummary]
] = Operation(
    name="ListStorageConfigurations",
    request="_storage_requests:ListStorageConfigurationsRequest",
    result="storage:StorageConfigurationSummary",
    summary="List one page of storage configurations.",
    iterator=IterMethod(
        name="iter_storage_configurations",
        summary="Yield every storage configuration, fetching pages as needed.",
        page_size="Storage configurations per request, 1 to 100.",
        yields="Each storage configuration summary.",
    ),
)
CREATE_INGEST_CONFIGURATION: Operation[IngestConfigurationSpec, IngestConfiguration] = Operation(
    name="CreateIngestConfiguration",
    request="ingest:IngestConfigurationSpec",
    result="ingest:IngestConfiguration",
    summary="Create an ingest configuration: a stream key for an RTMP(S) publisher.",
    spec="The protocol, the stage, the participant's identity and tags.",
    returns="The new ingest configuration, with its (secret) stream key.",
    raises={
        "ResourceNotFoundError": "No stage has the spec's ARN.",
        "ServiceQuotaExceededError": "The account has too many ingest configurations.",
    },
)
GET_INGEST_CONFIGURATION: Operation[
    ingest_requests.IngestConfigurationArnRequest, IngestConfiguration
] = Operation(
    name="GetIngestConfiguration",
    request="_ingest_requests:IngestConfigurationArnRequest",
    result="ingest:IngestConfiguration",
    summary="Get one ingest configuration, with its stream key.",
    returns="The ingest configuration.",
    raises={"ResourceNotFoundError": "No ingest configuration has this ARN."},
)
UPDATE_INGEST_CONFIGURATION: Operation[
    ingest_requests.UpdateIngestConfigurationRequest, IngestConfiguration
] = Operation(
    name="UpdateIngestConfiguration",
    request="_ingest_requests:UpdateIngestConfigurationRequest",
    result="ingest:IngestConfiguration",
    summary="Move an ingest configuration to another stage; None leaves it as it is.",
    returns="The updated ingest configuration.",
    raises={
        "ResourceNotFoundError": "No such ingest configuration or stage.",
        "ConflictError": "Its publisher is streaming.",
    },
)
DELETE_INGEST_CONFIGURATION: Operation[ingest_requests.DeleteIngestConfigurationRequest, None] = (
    Operation(
        name="DeleteIngestConfiguration",
        request="_ingest_requests:DeleteIngestConfigurationRequest",
        summary="Delete an ingest configuration.",
        raises={
            "ResourceNotFoundError": "No ingest configuration has this ARN.",
            "ConflictError": "Its publisher is streaming and ``force`` is False.",
        },
    )
)
LIST_INGEST_CONFIGURATIONS: Operation[
    ingest_requests.ListIngestConfigurationsRequest, Page[IngestConfigurationSummary]
] = Operation(
    name="ListIngestConfigurations",
    request="_ingest_requests:ListIngestConfigurationsRequest",
    result="ingest:IngestConfigurationSummary",
    summary="List one page of ingest configurations.",
    iterator=IterMethod(
        name="iter_ingest_configurations",
        summary="Yield every ingest configuration, fetching pages as needed.",
        page_size="Ingest configurations per request, 1 to 100.",
        yields="Each ingest configuration summary.",
    ),
)
IMPORT_PUBLIC_KEY: Operation[PublicKeySpec, PublicKey] = Operation(
    name="ImportPublicKey",
    request="public_key:PublicKeySpec",
    result="public_key:PublicKey",
    summary="Import a public key, to verify participant tokens you sign yourself.",
    spec="The PEM-encoded key, the name and tags.",
    returns="The imported public key.",
    raises={
        "ConflictError": "The key was already imported.",
        "ServiceQuotaExceededError": "The account has too many public keys.",
    },
)
GET_PUBLIC_KEY: Operation[public_key_requests.PublicKeyArnRequest, PublicKey] = Operation(
    name="GetPublicKey",
    request="_public_key_requests:PublicKeyArnRequest",
    result="public_key:PublicKey",
    summary="Get one public key.",
    returns="The public key.",
    raises={"ResourceNotFoundError": "No public key has this ARN."},
)
DELETE_PUBLIC_KEY: Operation[public_key_requests.PublicKeyArnRequest, None] = Operation(
    name="DeletePublicKey",
    request="_public_key_requests:PublicKeyArnRequest",
    summary="Delete a public key; tokens signed with its private key stop working.",
    raises={"ResourceNotFoundError": "No public key has this ARN."},
)
LIST_PUBLIC_KEYS: Operation[public_key_requests.ListPublicKeysRequest, Page[PublicKeySummary]] = (
    Operation(
        name="ListPublicKeys",
        request="_public_key_requests:ListPublicKeysRequest",
        result="public_key:PublicKeySummary",
        summary="List one page of public keys.",
        iterator=IterMethod(
            name="iter_public_keys",
            summary="Yield every public key, fetching pages as needed.",
            page_size="Public keys per request, 1 to 100.",
            yields="Each public key summary.",
        ),
    )
)
TAG_RESOURCE: Operation[tags_requests.TagResourceRequest, None] = Operation(
    name="TagResource",
    request="_tags_requests:TagResourceRequest",
    summary="Add tags to a resource, overwriting the values of keys it already has.",
    raises={"ResourceNotFoundError": "No resource has this ARN."},
)
UNTAG_RESOURCE: Operation[tags_requests.UntagResourceRequest, None] = Operation(
    name="UntagResource",
    request="_tags_requests:UntagResourceRequest",
    summary="Remove tags from a resource; keys it does not have are ignored.",
    raises={"ResourceNotFoundError": "No resource has this ARN."},
)
LIST_TAGS_FOR_RESOURCE: Operation[tags_requests.ResourceArnRequest, tags_requests.ResourceTags] = (
    Operation(
        name="ListTagsForResource",
        request="_tags_requests:ResourceArnRequest",
        result="_tags_requests:ResourceTags",
        unwrap="tags",
        summary="Get the tags of a resource.",
        returns="The tags, as a read-only mapping.",
        raises={"ResourceNotFoundError": "No resource has this ARN."},
    )
)
