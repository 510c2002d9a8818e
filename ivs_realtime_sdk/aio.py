"""AsyncIVSRealTime: the asynchronous facade over an aioboto3 client."""

from __future__ import annotations

from collections.abc import AsyncIterator
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
    import aioboto3
    from botocore.config import Config

__all__ = ["AsyncIVSRealTime"]

R = TypeVar("R")
T = TypeVar("T")
_DEFAULT_TOKEN = ParticipantTokenConfig()


class AsyncIVSRealTime:
    """Amazon IVS Real-Time, typed, over aioboto3.

    Open it with ``async with``, which opens and closes its connection pool::

        async with AsyncIVSRealTime(region_name="us-east-1") as sdk:
            created = await sdk.create_stage(StageSpec(name="demo"))
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
        """Wrap an open aioboto3 ``ivs-realtime`` client; its owner closes it."""
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
            import aioboto3

            session = self._session or aioboto3.Session()
            self._context = session.client(SERVICE_NAME, **self._options)  # pyright: ignore[reportUnknownMemberType]
            self._client = await self._context.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the connection pool (if this facade opened it); later calls raise."""
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
            raw = await getattr(self._client, op.method)(**params)
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
