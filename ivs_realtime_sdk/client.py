"""IVSRealTime: the synchronous facade over a boto3 client.

Its constructor and API methods are generated (``_generated/_sync.py``), its
client creation and sending are its base's (``_facade.SyncFacadeBase``); this
module holds only what is its own: wrapping a client, ``with`` and closing.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from ._generated._sync import SyncOperations

__all__ = ["IVSRealTime"]


class IVSRealTime(SyncOperations):
    """Amazon IVS Real-Time, typed, over boto3.

    Use it plainly or as a context manager, which closes its connections:

    ```python
    with IVSRealTime(region_name="us-east-1") as sdk:
        created = sdk.create_stage(StageSpec(name="demo"))
    ```
    """

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
