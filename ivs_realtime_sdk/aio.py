"""AsyncIVSRealTime: the asynchronous facade over an aioboto3 client.

Its constructor and API methods are generated (``_generated/_async.py``), its
client opening and sending are its base's (``_facade.AsyncFacadeBase``); this
module holds only what is its own: wrapping a client, ``async with`` and
closing.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from ._facade import ClientState
from ._generated._async import AsyncOperations

__all__ = ["AsyncIVSRealTime"]


class AsyncIVSRealTime(AsyncOperations):
    """Amazon IVS Real-Time, typed, over aioboto3.

    Open it with ``async with``, which opens and closes its connection pool:

    ```python
    async with AsyncIVSRealTime(region_name="us-east-1") as sdk:
        created = await sdk.create_stage(StageSpec(name="demo"))
    ```
    """

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
