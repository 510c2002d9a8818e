"""IVSRealTime: the synchronous facade over a boto3 client."""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from . import _operations as ops
from ._config import SERVICE_NAME, client_config
from ._core import PageRequest, following, parse, to_params, translate
from .errors import ClientClosedError
from .models._requests import (
    ArnRequest,
    CreateParticipantTokenRequest,
    ListStagesRequest,
    UpdateStageRequest,
)
from .models.pagination import Page
from .models.recording import AutoParticipantRecordingConfiguration
from .models.stage import CreatedStage, Stage, StageSpec, StageSummary
from .models.token import ParticipantToken, ParticipantTokenConfig

if TYPE_CHECKING:
    import boto3
    from botocore.config import Config

__all__ = ["IVSRealTime"]

R = TypeVar("R")
T = TypeVar("T")
_DEFAULT_TOKEN = ParticipantTokenConfig()


class IVSRealTime:
    """Amazon IVS Real-Time, typed, over boto3.

    Use it plainly or as a context manager, which closes its connections::

        with IVSRealTime(region_name="us-east-1") as sdk:
            created = sdk.create_stage(StageSpec(name="demo"))
    """

    def __init__(
        self,
        *,
        session: boto3.Session | None = None,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        config: Config | None = None,
    ) -> None:
        """Create a boto3 client for ivs-realtime with the SDK's defaults.

        Args:
            session: The boto3 session for credentials and region; a new default one if omitted.
            region_name: The AWS region, such as ``us-east-1``.
            endpoint_url: Another endpoint, such as the local emulator's.
            config: A botocore Config merged over the SDK's defaults (retries, timeouts).
        """
        import boto3

        session = session or boto3.Session()
        self._client: Any = session.client(  # pyright: ignore[reportUnknownMemberType]
            SERVICE_NAME,
            region_name=region_name,
            endpoint_url=endpoint_url,
            config=client_config(config),
        )
        self._closed = False

    @classmethod
    def from_client(cls, client: Any) -> Self:
        """Wrap an existing boto3 ``ivs-realtime`` client; its configuration is kept as is."""
        self = cls.__new__(cls)
        self._client = client
        self._closed = False
        return self

    def __repr__(self) -> str:
        meta = self._client.meta
        return f"IVSRealTime(region_name={meta.region_name!r}, endpoint_url={meta.endpoint_url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the client's connections; later calls raise ClientClosedError."""
        if not self._closed:
            self._closed = True
            self._client.close()

    def _call(self, op: ops.Operation[R], request: object) -> R:
        if self._closed:
            raise ClientClosedError(f"{op.name}: this IVSRealTime was closed")
        params = to_params(request)
        try:
            raw = getattr(self._client, op.method)(**params)
        except Exception as exc:
            error = translate(op, exc)
            if error is None:
                raise
            raise error from exc
        return parse(op, raw)

    def _iterate(self, op: ops.Operation[Page[T]], request: PageRequest) -> Iterator[T]:
        next_request: PageRequest | None = request
        while next_request is not None:
            page = self._call(op, next_request)
            yield from page.items
            next_request = following(next_request, page)

    def create_stage(self, spec: StageSpec) -> CreatedStage:
        """Create a stage, and the participant tokens its spec asks for.

        Args:
            spec: The stage's name, tags, token configurations and recording.

        Returns:
            The stage and its tokens, in the order of the spec's configurations.

        Raises:
            ServiceQuotaExceededError: The account has too many stages.
        """
        return self._call(ops.CREATE_STAGE, spec)

    def get_stage(self, arn: str) -> Stage:
        """Get one stage.

        Args:
            arn: The stage's ARN.

        Returns:
            The stage.

        Raises:
            ResourceNotFoundError: No stage has this ARN.
        """
        return self._call(ops.GET_STAGE, ArnRequest(arn=arn))

    def update_stage(
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
        return self._call(ops.UPDATE_STAGE, request)

    def delete_stage(self, arn: str) -> None:
        """Delete a stage, ending its session.

        Args:
            arn: The stage's ARN.

        Raises:
            ResourceNotFoundError: No stage has this ARN.
            ConflictError: The stage is in use, such as by a composition.
        """
        self._call(ops.DELETE_STAGE, ArnRequest(arn=arn))

    def list_stages(
        self, *, max_results: int | None = None, next_token: str | None = None
    ) -> Page[StageSummary]:
        """List one page of stages.

        Args:
            max_results: At most this many stages, 1 to 100 (service default 50).
            next_token: The previous page's ``next_token``.

        Returns:
            The page; its ``next_token`` is None on the last page.
        """
        return self._call(
            ops.LIST_STAGES, ListStagesRequest(max_results=max_results, next_token=next_token)
        )

    def iter_stages(self, *, page_size: int | None = None) -> Iterator[StageSummary]:
        """Yield every stage, fetching pages as needed.

        Args:
            page_size: Stages per request, 1 to 100.

        Yields:
            Each stage summary.
        """
        return self._iterate(ops.LIST_STAGES, ListStagesRequest(max_results=page_size))

    def create_participant_token(
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
        return self._call(ops.CREATE_PARTICIPANT_TOKEN, request)
