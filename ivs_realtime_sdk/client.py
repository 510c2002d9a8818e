"""IVSRealTime: the synchronous facade over a boto3 client.

Its API methods are generated (``_generated/_sync.py``); this module holds only
what is its own: creating the boto3 client, sending one request, closing.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from ._config import SERVICE_NAME, client_config
from ._core import parse, setup_error, to_params, translate
from ._facade import ClientState
from ._generated._sync import SyncOperations
from ._redact import install as redact_logs
from ._wire import install_sync

if TYPE_CHECKING:
    import boto3
    from botocore.config import Config

    from ._operations import Operation

__all__ = ["IVSRealTime"]

Req = TypeVar("Req")
R = TypeVar("R")


class IVSRealTime(SyncOperations):
    """Amazon IVS Real-Time, typed, over boto3.

    Use it plainly or as a context manager, which closes its connections:

    ```python
    with IVSRealTime(region_name="us-east-1") as sdk:
        created = sdk.create_stage(StageSpec(name="demo"))
    ```
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
        try:
            self._client: Any = session.client(
                SERVICE_NAME,
                region_name=region_name,
                endpoint_url=endpoint_url,
                config=client_config(config),
            )
        except Exception as exc:
            error = setup_error(exc)
            if error is None:
                raise
            raise error from exc
        install_sync(self._client)
        self._owns_client = True
        redact_logs()
        self._state = ClientState.UNOPENED

    @classmethod
    def from_client(cls, client: Any) -> Self:
        """Wrap an existing boto3 ``ivs-realtime`` client; its owner configures and closes it."""
        redact_logs()
        self = cls.__new__(cls)
        self._client = client
        self._owns_client = False
        self._state = ClientState.UNOPENED
        return self

    def __repr__(self) -> str:
        meta = self._client.meta
        return f"IVSRealTime(region_name={meta.region_name!r}, endpoint_url={meta.endpoint_url!r})"

    def __enter__(self) -> Self:
        self._enter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the facade's connections; later calls raise ClientClosedError."""
        if self._leave() and self._owns_client:
            self._client.close()

    def _call(self, op: Operation[Req, R], request: Req) -> R:
        self._check_usable(op.name)
        params = to_params(request)
        try:
            raw = getattr(self._client, op.method)(**params)
        except Exception as exc:
            error = translate(op, exc)
            if error is None:
                raise
            raise error from exc
        return parse(op, raw)
