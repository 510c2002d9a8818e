"""AsyncIVSRealTime: the asynchronous facade over an aioboto3 client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from . import _operations as ops
from ._config import SERVICE_NAME, client_config
from ._core import (
    PageRequest,
    client_method,
    following,
    parse,
    setup_error,
    to_params,
    translate,
)
from ._extras import require_aioboto3
from ._frozen import EMPTY
from ._redact import install as redact_logs
from ._shipped import session_with_shipped_model
from ._wire import install_async
from .errors import ClientClosedError
from .models._composition_requests import CompositionArnRequest, ListCompositionsRequest
from .models._encoder_requests import (
    EncoderConfigurationArnRequest,
    ListEncoderConfigurationsRequest,
)
from .models._ingest_requests import (
    DeleteIngestConfigurationRequest,
    IngestConfigurationArnRequest,
    ListIngestConfigurationsRequest,
    UpdateIngestConfigurationRequest,
)
from .models._public_key_requests import ListPublicKeysRequest, PublicKeyArnRequest
from .models._replica_requests import (
    ListParticipantReplicasRequest,
    StartParticipantReplicationRequest,
    StopParticipantReplicationRequest,
)
from .models._requests import (
    ArnRequest,
    CreateParticipantTokenRequest,
    ListStagesRequest,
    UpdateStageRequest,
)
from .models._session_requests import (
    DisconnectParticipantRequest,
    GetParticipantRequest,
    GetStageSessionRequest,
    ListParticipantEventsRequest,
    ListParticipantsRequest,
    ListStageSessionsRequest,
)
from .models._storage_requests import (
    ListStorageConfigurationsRequest,
    StorageConfigurationArnRequest,
)
from .models._tags_requests import ResourceArnRequest, TagResourceRequest, UntagResourceRequest
from .models.composition import Composition, CompositionSpec, CompositionSummary
from .models.encoder import (
    EncoderConfiguration,
    EncoderConfigurationSpec,
    EncoderConfigurationSummary,
)
from .models.ingest import (
    IngestConfiguration,
    IngestConfigurationSpec,
    IngestConfigurationState,
    IngestConfigurationSummary,
)
from .models.pagination import Page
from .models.participant import (
    Event,
    Participant,
    ParticipantRecordingStateFilter,
    ParticipantState,
    ParticipantSummary,
)
from .models.public_key import PublicKey, PublicKeySpec, PublicKeySummary
from .models.recording import AutoParticipantRecordingConfiguration
from .models.replica import ParticipantReplica
from .models.session import StageSession, StageSessionSummary
from .models.stage import CreatedStage, Stage, StageSpec, StageSummary
from .models.storage import (
    StorageConfiguration,
    StorageConfigurationSpec,
    StorageConfigurationSummary,
)
from .models.token import ParticipantToken, ParticipantTokenConfig

if TYPE_CHECKING:
    import aioboto3
    from botocore.config import Config

__all__ = ["AsyncIVSRealTime"]

R = TypeVar("R")
T = TypeVar("T")
_DEFAULT_TOKEN = ParticipantTokenConfig()


class AsyncIVSRealTime:
    """Amazon IVS Real-Time, typed, over aioboto3.

    Open it with ``async with``, which opens and closes its connection pool:

    ```python
    async with AsyncIVSRealTime(region_name="us-east-1") as sdk:
        created = await sdk.create_stage(StageSpec(name="demo"))
    ```
    """

    def __init__(
        self,
        *,
        session: aioboto3.Session | None = None,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        config: Config | None = None,
    ) -> None:
        """Prepare an aioboto3 client for ivs-realtime with the SDK's defaults.

        The client is created by ``async with``; nothing connects before.

        Args:
            session: The aioboto3 session for credentials and region; a new one if omitted.
            region_name: The AWS region, such as ``us-east-1``.
            endpoint_url: Another endpoint, such as the local emulator's.
            config: A botocore Config merged over the SDK's defaults (retries, timeouts).
        """
        require_aioboto3()
        self._session = session
        self._options: dict[str, Any] = {
            "region_name": region_name,
            "endpoint_url": endpoint_url,
            "config": client_config(config),
        }
        self._context: Any = None
        self._client: Any = None
        self._closed = False

    @classmethod
    def from_client(cls, client: Any) -> Self:
        """Wrap an open aioboto3 ``ivs-realtime`` client; its owner configures and closes it."""
        redact_logs()
        self = cls.__new__(cls)
        self._session = None
        self._options = {}
        self._context = None
        self._client = client
        self._closed = False
        return self

    def __repr__(self) -> str:
        if self._client is None:
            region = self._options.get("region_name")
            endpoint = self._options.get("endpoint_url")
        else:
            region = self._client.meta.region_name
            endpoint = self._client.meta.endpoint_url
        return f"AsyncIVSRealTime(region_name={region!r}, endpoint_url={endpoint!r})"

    async def __aenter__(self) -> Self:
        if self._client is None and not self._closed:
            aioboto3 = require_aioboto3()
            session = self._session or aioboto3.Session()
            # A copy of the session whose clients load the SDK's shipped model.
            shipped = session_with_shipped_model(session)
            context: Any = shipped.create_client(SERVICE_NAME, **self._options)
            try:
                self._client = await context.__aenter__()
            except Exception as exc:
                error = setup_error(exc)
                if error is None:
                    raise
                raise error from exc
            self._context = context
            install_async(self._client)
            redact_logs()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the facade's connections; later calls raise ClientClosedError."""
        if self._closed:
            return
        self._closed = True
        context, self._context = self._context, None
        if context is not None:
            await context.__aexit__(None, None, None)

    async def _call(self, op: ops.Operation[R], request: object) -> R:
        if self._closed or self._client is None:
            state = "was closed" if self._closed else "is not open: use `async with` first"
            raise ClientClosedError(f"{op.name}: this AsyncIVSRealTime {state}")
        params = to_params(request)
        try:
            raw = await client_method(self._client, op)(**params)
        except Exception as exc:
            error = translate(op, exc)
            if error is None:
                raise
            raise error from exc
        return parse(op, raw)

    async def _iterate(self, op: ops.Operation[Page[T]], request: PageRequest) -> AsyncIterator[T]:
        next_request: PageRequest | None = request
        while next_request is not None:
            page = await self._call(op, next_request)
            for item in page.items:
                yield item
            next_request = following(next_request, page)

    async def create_stage(self, spec: StageSpec) -> CreatedStage:
        """Create a stage, and the participant tokens its spec asks for.

        Args:
            spec: The stage's name, tags, token configurations and recording.

        Returns:
            The stage and its tokens, in the order of the spec's configurations.

        Raises:
            ServiceQuotaExceededError: The account has too many stages.
        """
        return await self._call(ops.CREATE_STAGE, spec)

    async def get_stage(self, arn: str) -> Stage:
        """Get one stage.

        Args:
            arn: The stage's ARN.

        Returns:
            The stage.

        Raises:
            ResourceNotFoundError: No stage has this ARN.
        """
        return await self._call(ops.GET_STAGE, ArnRequest(arn=arn))

    async def update_stage(
        self,
        arn: str,
        *,
        name: str | None = None,
        auto_participant_recording_configuration: AutoParticipantRecordingConfiguration
        | None = None,
    ) -> Stage:
        """Change a stage's name or recording; what is left None stays as it is.

        Args:
            arn: The stage's ARN.
            name: The new name.
            auto_participant_recording_configuration: The new recording configuration.

        Returns:
            The updated stage.

        Raises:
            ResourceNotFoundError: No stage has this ARN.
        """
        request = UpdateStageRequest(
            arn=arn,
            name=name,
            auto_participant_recording_configuration=auto_participant_recording_configuration,
        )
        return await self._call(ops.UPDATE_STAGE, request)

    async def delete_stage(self, arn: str) -> None:
        """Delete a stage, ending its session.

        Args:
            arn: The stage's ARN.

        Raises:
            ResourceNotFoundError: No stage has this ARN.
            ConflictError: The stage is in use, such as by a composition.
        """
        await self._call(ops.DELETE_STAGE, ArnRequest(arn=arn))

    async def list_stages(
        self, *, max_results: int | None = None, next_token: str | None = None
    ) -> Page[StageSummary]:
        """List one page of stages.

        Args:
            max_results: At most this many stages, 1 to 100 (service default 50).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.
        """
        return await self._call(
            ops.LIST_STAGES, ListStagesRequest(max_results=max_results, next_token=next_token)
        )

    def iter_stages(self, *, page_size: int | None = None) -> AsyncIterator[StageSummary]:
        """Yield every stage, fetching pages as needed.

        Args:
            page_size: Stages per request, 1 to 100.

        Yields:
            Each stage summary.
        """
        return self._iterate(ops.LIST_STAGES, ListStagesRequest(max_results=page_size))

    async def create_participant_token(
        self, stage_arn: str, config: ParticipantTokenConfig = _DEFAULT_TOKEN
    ) -> ParticipantToken:
        """Create a token for one participant to join a stage.

        Args:
            stage_arn: The stage's ARN.
            config: Who the participant is, what it may do, and for how long.

        Returns:
            The token; its string is secret and never shown in its repr.

        Raises:
            ResourceNotFoundError: No stage has this ARN.
        """
        request = CreateParticipantTokenRequest(stage_arn=stage_arn, config=config)
        return await self._call(ops.CREATE_PARTICIPANT_TOKEN, request)

    # Stage sessions.

    async def get_stage_session(self, stage_arn: str, session_id: str) -> StageSession:
        """Get one session of a stage.

        Args:
            stage_arn: The stage's ARN.
            session_id: The session's id.

        Returns:
            The session.

        Raises:
            ResourceNotFoundError: No such stage or session.
        """
        request = GetStageSessionRequest(stage_arn=stage_arn, session_id=session_id)
        return await self._call(ops.GET_STAGE_SESSION, request)

    async def list_stage_sessions(
        self, stage_arn: str, *, max_results: int | None = None, next_token: str | None = None
    ) -> Page[StageSessionSummary]:
        """List one page of a stage's sessions, the newest first.

        Args:
            stage_arn: The stage's ARN.
            max_results: At most this many sessions, 1 to 100 (service default 50).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.

        Raises:
            ResourceNotFoundError: No stage has this ARN.
        """
        request = ListStageSessionsRequest(
            stage_arn=stage_arn, max_results=max_results, next_token=next_token
        )
        return await self._call(ops.LIST_STAGE_SESSIONS, request)

    def iter_stage_sessions(
        self, stage_arn: str, *, page_size: int | None = None
    ) -> AsyncIterator[StageSessionSummary]:
        """Yield every session of a stage, fetching pages as needed.

        Args:
            stage_arn: The stage's ARN.
            page_size: Sessions per request, 1 to 100.

        Yields:
            Each session summary.
        """
        request = ListStageSessionsRequest(stage_arn=stage_arn, max_results=page_size)
        return self._iterate(ops.LIST_STAGE_SESSIONS, request)

    async def get_participant(
        self, stage_arn: str, session_id: str, participant_id: str
    ) -> Participant:
        """Get one participant of a stage session.

        Args:
            stage_arn: The stage's ARN.
            session_id: The session's id.
            participant_id: The participant's id.

        Returns:
            The participant.

        Raises:
            ResourceNotFoundError: No such stage, session or participant.
        """
        request = GetParticipantRequest(
            stage_arn=stage_arn, session_id=session_id, participant_id=participant_id
        )
        return await self._call(ops.GET_PARTICIPANT, request)

    async def list_participants(
        self,
        stage_arn: str,
        session_id: str,
        *,
        filter_by_user_id: str | None = None,
        filter_by_published: bool | None = None,
        filter_by_state: ParticipantState | None = None,
        filter_by_recording_state: ParticipantRecordingStateFilter | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[ParticipantSummary]:
        """List one page of a session's participants; the service allows one filter at a time.

        Args:
            stage_arn: The stage's ARN.
            session_id: The session's id.
            filter_by_user_id: Only participants with this user id.
            filter_by_published: Only participants who published (True) or never did (False).
            filter_by_state: Only participants in this state.
            filter_by_recording_state: Only participants whose recording is in this state.
            max_results: At most this many participants, 1 to 100 (service default 50).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.

        Raises:
            ResourceNotFoundError: No such stage or session.
        """
        request = ListParticipantsRequest(
            stage_arn=stage_arn,
            session_id=session_id,
            filter_by_user_id=filter_by_user_id,
            filter_by_published=filter_by_published,
            filter_by_state=filter_by_state,
            filter_by_recording_state=filter_by_recording_state,
            max_results=max_results,
            next_token=next_token,
        )
        return await self._call(ops.LIST_PARTICIPANTS, request)

    def iter_participants(
        self,
        stage_arn: str,
        session_id: str,
        *,
        filter_by_user_id: str | None = None,
        filter_by_published: bool | None = None,
        filter_by_state: ParticipantState | None = None,
        filter_by_recording_state: ParticipantRecordingStateFilter | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[ParticipantSummary]:
        """Yield every participant of a session, fetching pages as needed.

        Args:
            stage_arn: The stage's ARN.
            session_id: The session's id.
            filter_by_user_id: Only participants with this user id.
            filter_by_published: Only participants who published (True) or never did (False).
            filter_by_state: Only participants in this state.
            filter_by_recording_state: Only participants whose recording is in this state.
            page_size: Participants per request, 1 to 100.

        Yields:
            Each participant summary.
        """
        request = ListParticipantsRequest(
            stage_arn=stage_arn,
            session_id=session_id,
            filter_by_user_id=filter_by_user_id,
            filter_by_published=filter_by_published,
            filter_by_state=filter_by_state,
            filter_by_recording_state=filter_by_recording_state,
            max_results=page_size,
        )
        return self._iterate(ops.LIST_PARTICIPANTS, request)

    async def list_participant_events(
        self,
        stage_arn: str,
        session_id: str,
        participant_id: str,
        *,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[Event]:
        """List one page of a participant's events, in the order they happened.

        Args:
            stage_arn: The stage's ARN.
            session_id: The session's id.
            participant_id: The participant's id.
            max_results: At most this many events, 1 to 100 (service default 50).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.

        Raises:
            ResourceNotFoundError: No such stage, session or participant.
        """
        request = ListParticipantEventsRequest(
            stage_arn=stage_arn,
            session_id=session_id,
            participant_id=participant_id,
            max_results=max_results,
            next_token=next_token,
        )
        return await self._call(ops.LIST_PARTICIPANT_EVENTS, request)

    def iter_participant_events(
        self,
        stage_arn: str,
        session_id: str,
        participant_id: str,
        *,
        page_size: int | None = None,
    ) -> AsyncIterator[Event]:
        """Yield every event of a participant, fetching pages as needed.

        Args:
            stage_arn: The stage's ARN.
            session_id: The session's id.
            participant_id: The participant's id.
            page_size: Events per request, 1 to 100.

        Yields:
            Each event.
        """
        request = ListParticipantEventsRequest(
            stage_arn=stage_arn,
            session_id=session_id,
            participant_id=participant_id,
            max_results=page_size,
        )
        return self._iterate(ops.LIST_PARTICIPANT_EVENTS, request)

    async def disconnect_participant(
        self, stage_arn: str, participant_id: str, *, reason: str | None = None
    ) -> None:
        """Disconnect a participant from a stage and revoke its token.

        Args:
            stage_arn: The stage's ARN.
            participant_id: The participant's id (its token's ``participant_id``).
            reason: Why, at most 128 characters.

        Raises:
            ResourceNotFoundError: No such stage or participant.
        """
        request = DisconnectParticipantRequest(
            stage_arn=stage_arn, participant_id=participant_id, reason=reason
        )
        await self._call(ops.DISCONNECT_PARTICIPANT, request)

    async def start_participant_replication(
        self,
        source_stage_arn: str,
        destination_stage_arn: str,
        participant_id: str,
        *,
        reconnect_window_seconds: int | None = None,
        attributes: Mapping[str, str] = EMPTY,
    ) -> None:
        """Replicate a publishing participant of one stage into another stage.

        Args:
            source_stage_arn: ARN of the stage the participant publishes to.
            destination_stage_arn: ARN of the stage to replicate it into.
            participant_id: The participant's id.
            reconnect_window_seconds: Seconds the replica waits for the source to come back,
                0 to 60 (service default 0).
            attributes: Attributes of the replica, merged over the source's (these win).

        Raises:
            ResourceNotFoundError: No such stage or participant.
            ConflictError: The participant is already replicated there.
        """
        request = StartParticipantReplicationRequest(
            source_stage_arn=source_stage_arn,
            destination_stage_arn=destination_stage_arn,
            participant_id=participant_id,
            reconnect_window_seconds=reconnect_window_seconds,
            attributes=attributes,
        )
        await self._call(ops.START_PARTICIPANT_REPLICATION, request)

    async def stop_participant_replication(
        self, source_stage_arn: str, destination_stage_arn: str, participant_id: str
    ) -> None:
        """Stop replicating a participant into another stage.

        Args:
            source_stage_arn: ARN of the stage the participant publishes to.
            destination_stage_arn: ARN of the stage it is replicated into.
            participant_id: The participant's id.

        Raises:
            ResourceNotFoundError: No such replication.
        """
        request = StopParticipantReplicationRequest(
            source_stage_arn=source_stage_arn,
            destination_stage_arn=destination_stage_arn,
            participant_id=participant_id,
        )
        await self._call(ops.STOP_PARTICIPANT_REPLICATION, request)

    async def list_participant_replicas(
        self,
        source_stage_arn: str,
        participant_id: str,
        *,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[ParticipantReplica]:
        """List one page of the replicas of a participant.

        Args:
            source_stage_arn: ARN of the stage the participant publishes to.
            participant_id: The participant's id.
            max_results: At most this many replicas, 1 to 50 (service default 50).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.
        """
        request = ListParticipantReplicasRequest(
            source_stage_arn=source_stage_arn,
            participant_id=participant_id,
            max_results=max_results,
            next_token=next_token,
        )
        return await self._call(ops.LIST_PARTICIPANT_REPLICAS, request)

    def iter_participant_replicas(
        self, source_stage_arn: str, participant_id: str, *, page_size: int | None = None
    ) -> AsyncIterator[ParticipantReplica]:
        """Yield every replica of a participant, fetching pages as needed.

        Args:
            source_stage_arn: ARN of the stage the participant publishes to.
            participant_id: The participant's id.
            page_size: Replicas per request, 1 to 50.

        Yields:
            Each replica.
        """
        request = ListParticipantReplicasRequest(
            source_stage_arn=source_stage_arn, participant_id=participant_id, max_results=page_size
        )
        return self._iterate(ops.LIST_PARTICIPANT_REPLICAS, request)

    async def start_composition(self, spec: CompositionSpec) -> Composition:
        """Start composing a stage into one stream for its destinations.

        Args:
            spec: The stage, the destinations, the layout and tags.

        Returns:
            The new composition, usually STARTING.

        Raises:
            ResourceNotFoundError: No such stage, channel or configuration.
            ConflictError: The stage has no session, or the destination is in use.
            ServiceQuotaExceededError: The account has too many compositions.
        """
        return await self._call(ops.START_COMPOSITION, spec)

    async def get_composition(self, arn: str) -> Composition:
        """Get one composition.

        Args:
            arn: The composition's ARN.

        Returns:
            The composition.

        Raises:
            ResourceNotFoundError: No composition has this ARN.
        """
        return await self._call(ops.GET_COMPOSITION, CompositionArnRequest(arn=arn))

    async def stop_composition(self, arn: str) -> None:
        """Stop a composition and its destinations.

        Args:
            arn: The composition's ARN.

        Raises:
            ResourceNotFoundError: No composition has this ARN.
        """
        await self._call(ops.STOP_COMPOSITION, CompositionArnRequest(arn=arn))

    async def list_compositions(
        self,
        *,
        filter_by_stage_arn: str | None = None,
        filter_by_encoder_configuration_arn: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[CompositionSummary]:
        """List one page of compositions.

        Args:
            filter_by_stage_arn: Only compositions of this stage.
            filter_by_encoder_configuration_arn: Only compositions using this encoder
                configuration.
            max_results: At most this many compositions, 1 to 100 (service default 100).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.
        """
        request = ListCompositionsRequest(
            filter_by_stage_arn=filter_by_stage_arn,
            filter_by_encoder_configuration_arn=filter_by_encoder_configuration_arn,
            max_results=max_results,
            next_token=next_token,
        )
        return await self._call(ops.LIST_COMPOSITIONS, request)

    def iter_compositions(
        self,
        *,
        filter_by_stage_arn: str | None = None,
        filter_by_encoder_configuration_arn: str | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[CompositionSummary]:
        """Yield every composition, fetching pages as needed.

        Args:
            filter_by_stage_arn: Only compositions of this stage.
            filter_by_encoder_configuration_arn: Only compositions using this encoder
                configuration.
            page_size: Compositions per request, 1 to 100.

        Yields:
            Each composition summary.
        """
        request = ListCompositionsRequest(
            filter_by_stage_arn=filter_by_stage_arn,
            filter_by_encoder_configuration_arn=filter_by_encoder_configuration_arn,
            max_results=page_size,
        )
        return self._iterate(ops.LIST_COMPOSITIONS, request)

    async def create_encoder_configuration(
        self, spec: EncoderConfigurationSpec
    ) -> EncoderConfiguration:
        """Create an encoder configuration for compositions.

        Args:
            spec: The name, video settings and tags.

        Returns:
            The new encoder configuration.

        Raises:
            ServiceQuotaExceededError: The account has too many encoder configurations.
        """
        return await self._call(ops.CREATE_ENCODER_CONFIGURATION, spec)

    async def get_encoder_configuration(self, arn: str) -> EncoderConfiguration:
        """Get one encoder configuration.

        Args:
            arn: The encoder configuration's ARN.

        Returns:
            The encoder configuration.

        Raises:
            ResourceNotFoundError: No encoder configuration has this ARN.
        """
        return await self._call(
            ops.GET_ENCODER_CONFIGURATION, EncoderConfigurationArnRequest(arn=arn)
        )

    async def delete_encoder_configuration(self, arn: str) -> None:
        """Delete an encoder configuration.

        Args:
            arn: The encoder configuration's ARN.

        Raises:
            ResourceNotFoundError: No encoder configuration has this ARN.
            ConflictError: A running composition uses it.
        """
        await self._call(ops.DELETE_ENCODER_CONFIGURATION, EncoderConfigurationArnRequest(arn=arn))

    async def list_encoder_configurations(
        self, *, max_results: int | None = None, next_token: str | None = None
    ) -> Page[EncoderConfigurationSummary]:
        """List one page of encoder configurations.

        Args:
            max_results: At most this many, 1 to 100 (service default 100).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.
        """
        request = ListEncoderConfigurationsRequest(max_results=max_results, next_token=next_token)
        return await self._call(ops.LIST_ENCODER_CONFIGURATIONS, request)

    def iter_encoder_configurations(
        self, *, page_size: int | None = None
    ) -> AsyncIterator[EncoderConfigurationSummary]:
        """Yield every encoder configuration, fetching pages as needed.

        Args:
            page_size: Encoder configurations per request, 1 to 100.

        Yields:
            Each encoder configuration summary.
        """
        request = ListEncoderConfigurationsRequest(max_results=page_size)
        return self._iterate(ops.LIST_ENCODER_CONFIGURATIONS, request)

    async def create_storage_configuration(
        self, spec: StorageConfigurationSpec
    ) -> StorageConfiguration:
        """Create a storage configuration: an S3 bucket to record into.

        Args:
            spec: The bucket, the name and tags.

        Returns:
            The new storage configuration.

        Raises:
            ServiceQuotaExceededError: The account has too many storage configurations.
        """
        return await self._call(ops.CREATE_STORAGE_CONFIGURATION, spec)

    async def get_storage_configuration(self, arn: str) -> StorageConfiguration:
        """Get one storage configuration.

        Args:
            arn: The storage configuration's ARN.

        Returns:
            The storage configuration.

        Raises:
            ResourceNotFoundError: No storage configuration has this ARN.
        """
        return await self._call(
            ops.GET_STORAGE_CONFIGURATION, StorageConfigurationArnRequest(arn=arn)
        )

    async def delete_storage_configuration(self, arn: str) -> None:
        """Delete a storage configuration.

        Args:
            arn: The storage configuration's ARN.

        Raises:
            ResourceNotFoundError: No storage configuration has this ARN.
            ConflictError: A running composition or a stage's recording uses it.
        """
        await self._call(ops.DELETE_STORAGE_CONFIGURATION, StorageConfigurationArnRequest(arn=arn))

    async def list_storage_configurations(
        self, *, max_results: int | None = None, next_token: str | None = None
    ) -> Page[StorageConfigurationSummary]:
        """List one page of storage configurations.

        Args:
            max_results: At most this many, 1 to 100 (service default 100).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.
        """
        request = ListStorageConfigurationsRequest(max_results=max_results, next_token=next_token)
        return await self._call(ops.LIST_STORAGE_CONFIGURATIONS, request)

    def iter_storage_configurations(
        self, *, page_size: int | None = None
    ) -> AsyncIterator[StorageConfigurationSummary]:
        """Yield every storage configuration, fetching pages as needed.

        Args:
            page_size: Storage configurations per request, 1 to 100.

        Yields:
            Each storage configuration summary.
        """
        request = ListStorageConfigurationsRequest(max_results=page_size)
        return self._iterate(ops.LIST_STORAGE_CONFIGURATIONS, request)

    async def create_ingest_configuration(
        self, spec: IngestConfigurationSpec
    ) -> IngestConfiguration:
        """Create an ingest configuration: a stream key for an RTMP(S) publisher.

        Args:
            spec: The protocol, the stage, the participant's identity and tags.

        Returns:
            The new ingest configuration, with its (secret) stream key.

        Raises:
            ResourceNotFoundError: No stage has the spec's ARN.
            ServiceQuotaExceededError: The account has too many ingest configurations.
        """
        return await self._call(ops.CREATE_INGEST_CONFIGURATION, spec)

    async def get_ingest_configuration(self, arn: str) -> IngestConfiguration:
        """Get one ingest configuration, with its stream key.

        Args:
            arn: The ingest configuration's ARN.

        Returns:
            The ingest configuration.

        Raises:
            ResourceNotFoundError: No ingest configuration has this ARN.
        """
        return await self._call(
            ops.GET_INGEST_CONFIGURATION, IngestConfigurationArnRequest(arn=arn)
        )

    async def update_ingest_configuration(
        self, arn: str, *, stage_arn: str | None = None
    ) -> IngestConfiguration:
        """Move an ingest configuration to another stage; None leaves it as it is.

        Args:
            arn: The ingest configuration's ARN.
            stage_arn: The stage its publisher joins from now on; "" for none.

        Returns:
            The updated ingest configuration.

        Raises:
            ResourceNotFoundError: No such ingest configuration or stage.
            ConflictError: Its publisher is streaming.
        """
        request = UpdateIngestConfigurationRequest(arn=arn, stage_arn=stage_arn)
        return await self._call(ops.UPDATE_INGEST_CONFIGURATION, request)

    async def delete_ingest_configuration(self, arn: str, *, force: bool = False) -> None:
        """Delete an ingest configuration.

        Args:
            arn: The ingest configuration's ARN.
            force: Delete it even while its publisher streams, disconnecting it.

        Raises:
            ResourceNotFoundError: No ingest configuration has this ARN.
            ConflictError: Its publisher is streaming and ``force`` is False.
        """
        request = DeleteIngestConfigurationRequest(arn=arn, force=force)
        await self._call(ops.DELETE_INGEST_CONFIGURATION, request)

    async def list_ingest_configurations(
        self,
        *,
        filter_by_stage_arn: str | None = None,
        filter_by_state: IngestConfigurationState | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Page[IngestConfigurationSummary]:
        """List one page of ingest configurations.

        Args:
            filter_by_stage_arn: Only those of this stage.
            filter_by_state: Only those in this state.
            max_results: At most this many, 1 to 100 (service default 50).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.
        """
        request = ListIngestConfigurationsRequest(
            filter_by_stage_arn=filter_by_stage_arn,
            filter_by_state=filter_by_state,
            max_results=max_results,
            next_token=next_token,
        )
        return await self._call(ops.LIST_INGEST_CONFIGURATIONS, request)

    def iter_ingest_configurations(
        self,
        *,
        filter_by_stage_arn: str | None = None,
        filter_by_state: IngestConfigurationState | None = None,
        page_size: int | None = None,
    ) -> AsyncIterator[IngestConfigurationSummary]:
        """Yield every ingest configuration, fetching pages as needed.

        Args:
            filter_by_stage_arn: Only those of this stage.
            filter_by_state: Only those in this state.
            page_size: Ingest configurations per request, 1 to 100.

        Yields:
            Each ingest configuration summary.
        """
        request = ListIngestConfigurationsRequest(
            filter_by_stage_arn=filter_by_stage_arn,
            filter_by_state=filter_by_state,
            max_results=page_size,
        )
        return self._iterate(ops.LIST_INGEST_CONFIGURATIONS, request)

    async def import_public_key(self, spec: PublicKeySpec) -> PublicKey:
        """Import a public key, to verify participant tokens you sign yourself.

        Args:
            spec: The PEM-encoded key, the name and tags.

        Returns:
            The imported public key.

        Raises:
            ConflictError: The key was already imported.
            ServiceQuotaExceededError: The account has too many public keys.
        """
        return await self._call(ops.IMPORT_PUBLIC_KEY, spec)

    async def get_public_key(self, arn: str) -> PublicKey:
        """Get one public key.

        Args:
            arn: The public key's ARN.

        Returns:
            The public key.

        Raises:
            ResourceNotFoundError: No public key has this ARN.
        """
        return await self._call(ops.GET_PUBLIC_KEY, PublicKeyArnRequest(arn=arn))

    async def delete_public_key(self, arn: str) -> None:
        """Delete a public key; tokens signed with its private key stop working.

        Args:
            arn: The public key's ARN.

        Raises:
            ResourceNotFoundError: No public key has this ARN.
        """
        await self._call(ops.DELETE_PUBLIC_KEY, PublicKeyArnRequest(arn=arn))

    async def list_public_keys(
        self, *, max_results: int | None = None, next_token: str | None = None
    ) -> Page[PublicKeySummary]:
        """List one page of public keys.

        Args:
            max_results: At most this many, 1 to 100 (service default 50).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.
        """
        request = ListPublicKeysRequest(max_results=max_results, next_token=next_token)
        return await self._call(ops.LIST_PUBLIC_KEYS, request)

    def iter_public_keys(self, *, page_size: int | None = None) -> AsyncIterator[PublicKeySummary]:
        """Yield every public key, fetching pages as needed.

        Args:
            page_size: Public keys per request, 1 to 100.

        Yields:
            Each public key summary.
        """
        return self._iterate(ops.LIST_PUBLIC_KEYS, ListPublicKeysRequest(max_results=page_size))

    async def tag_resource(self, resource_arn: str, tags: Mapping[str, str]) -> None:
        """Add tags to a resource, overwriting the values of keys it already has.

        Args:
            resource_arn: The resource's ARN (a stage, composition, configuration or key).
            tags: The tags to add: keys of 1 to 128 characters, values of at most 256.

        Raises:
            ResourceNotFoundError: No resource has this ARN.
        """
        await self._call(ops.TAG_RESOURCE, TagResourceRequest(resource_arn=resource_arn, tags=tags))

    async def untag_resource(self, resource_arn: str, tag_keys: Iterable[str]) -> None:
        """Remove tags from a resource; keys it does not have are ignored.

        Args:
            resource_arn: The resource's ARN.
            tag_keys: The keys of the tags to remove, at most 50.

        Raises:
            ResourceNotFoundError: No resource has this ARN.
        """
        request = UntagResourceRequest(resource_arn=resource_arn, tag_keys=tag_keys)
        await self._call(ops.UNTAG_RESOURCE, request)

    async def list_tags_for_resource(self, resource_arn: str) -> Mapping[str, str]:
        """Get the tags of a resource.

        Args:
            resource_arn: The resource's ARN.

        Returns:
            The tags, as a read-only mapping.

        Raises:
            ResourceNotFoundError: No resource has this ARN.
        """
        request = ResourceArnRequest(resource_arn=resource_arn)
        return (await self._call(ops.LIST_TAGS_FOR_RESOURCE, request)).tags
