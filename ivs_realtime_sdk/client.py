"""IVSRealTime: the synchronous facade over a boto3 client.

Its constructor and API methods are generated (``_generated/_sync.py``); this
module holds only what is its own: creating the boto3 client, sending one
request, closing.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from ._core import client_method, parse, to_params, translated
from ._generated._sync import SyncOperations
from ._own_session import prepare as skip_unneeded_work
from ._redact import install as redact_logs
from ._service_model import SERVICE_NAME
from ._shipped import session_with_shipped_model
from ._wire import install_sync

if TYPE_CHECKING:
    from ._facade import ClientOptions
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

    def _setup(self, options: ClientOptions) -> None:
        import boto3

        session = options.session
        if session is None:
            session = boto3.Session()
            # Ours alone: it may skip the work other services need.
            skip_unneeded_work(session)
        # A copy of the session whose clients load the SDK's shipped model.
        shipped = session_with_shipped_model(session)
        with translated(None):
            self._client = shipped.create_client(SERVICE_NAME, **options.client_kwargs())
        install_sync(self._client)
        self._owns_client = True
        redact_logs()

    @classmethod
    def from_client(cls, client: Any) -> Self:
        """Wrap an existing boto3 ``ivs-realtime`` client; its owner configures and closes it."""
        return cls._wrapping(client)

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
        with translated(op):
            raw = client_method(self._client, op)(**to_params(request))
        return parse(op, raw)
