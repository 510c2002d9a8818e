"""AsyncIVSRealTime: the asynchronous facade over an aioboto3 client.

Its constructor and API methods are generated (``_generated/_async.py``); this
module holds only what is its own: opening the aioboto3 client on ``async
with``, sending one request, closing.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from ._core import client_method, parse, to_params, translated
from ._extras import require_aioboto3
from ._facade import ClientState
from ._generated._async import AsyncOperations
from ._own_session import prepare as skip_unneeded_work
from ._redact import install as redact_logs
from ._service_model import SERVICE_NAME
from ._shipped import session_with_shipped_model
from ._wire import install_async

if TYPE_CHECKING:
    from ._facade import ClientOptions
    from ._operations import Operation

__all__ = ["AsyncIVSRealTime"]

Req = TypeVar("Req")
R = TypeVar("R")


class AsyncIVSRealTime(AsyncOperations):
    """Amazon IVS Real-Time, typed, over aioboto3.

    Open it with ``async with``, which opens and closes its connection pool:

    ```python
    async with AsyncIVSRealTime(region_name="us-east-1") as sdk:
        created = await sdk.create_stage(StageSpec(name="demo"))
    ```
    """

    _options: ClientOptions | None = None
    _context: Any = None

    def _setup(self, options: ClientOptions) -> None:
        require_aioboto3()  # fail at construction, naming the extra
        self._options = options

    @classmethod
    def from_client(cls, client: Any) -> Self:
        """Wrap an open aioboto3 ``ivs-realtime`` client; its owner configures and closes it."""
        return cls._wrapping(client)

    def __repr__(self) -> str:
        if self._client is not None:
            region, endpoint = self._client.meta.region_name, self._client.meta.endpoint_url
        else:
            assert self._options is not None  # only a wrapped facade has no options
            region, endpoint = self._options.region_name, self._options.endpoint_url
        return f"AsyncIVSRealTime(region_name={region!r}, endpoint_url={endpoint!r})"

    async def __aenter__(self) -> Self:
        self._enter()
        if self._client is None:
            try:
                await self._open()
            except BaseException:
                self._state = ClientState.UNOPENED  # a failed entry may be retried
                raise
        return self

    async def _open(self) -> None:
        aioboto3 = require_aioboto3()
        assert self._options is not None  # only a wrapped facade has no options, and a client
        session = self._options.session
        if session is None:
            session = aioboto3.Session()
            # Ours alone: it may skip the work other services need.
            skip_unneeded_work(session)
        # A copy of the session whose clients load the SDK's shipped model.
        shipped = session_with_shipped_model(session)
        context: Any = shipped.create_client(SERVICE_NAME, **self._options.client_kwargs())
        with translated(None):
            self._client = await context.__aenter__()
        self._context = context
        install_async(self._client)
        redact_logs()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the facade's connections; later calls raise ClientClosedError."""
        context, self._context = self._context, None
        if self._leave() and context is not None:
            await context.__aexit__(None, None, None)

    async def _call(self, op: Operation[Req, R], request: Req) -> R:
        self._check_usable(op.name)
        with translated(op):
            raw = await client_method(self._client, op)(**to_params(request))
        return parse(op, raw)
