"""AsyncIVSRealTime: the asynchronous facade over an aioboto3 client.

Its API methods are generated (``_generated/_async.py``); this module holds
only what is its own: opening the aioboto3 client, sending one request, closing.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from ._config import SERVICE_NAME, client_config
from ._core import parse, setup_error, to_params, translate
from ._facade import ClientState
from ._generated._async import AsyncOperations
from ._redact import install as redact_logs
from ._wire import install_async

if TYPE_CHECKING:
    import aioboto3
    from botocore.config import Config

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
        self._state = ClientState.UNOPENED

    @classmethod
    def from_client(cls, client: Any) -> Self:
        """Wrap an open aioboto3 ``ivs-realtime`` client; its owner configures and closes it."""
        redact_logs()
        self = cls.__new__(cls)
        self._session = None
        self._options = {}
        self._context = None
        self._client = client
        self._state = ClientState.UNOPENED
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
        self._enter()
        if self._client is None:
            import aioboto3

            session = self._session or aioboto3.Session()
            context: Any = session.client(SERVICE_NAME, **self._options)  # pyright: ignore[reportUnknownVariableType]
            try:
                self._client = await context.__aenter__()
            except Exception as exc:
                self._state = ClientState.UNOPENED
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
        if not self._leave():
            return
        context, self._context = self._context, None
        if context is not None:
            await context.__aexit__(None, None, None)

    async def _call(self, op: Operation[Req, R], request: Req) -> R:
        self._check_usable(op.name)
        params = to_params(request)
        try:
            raw = await getattr(self._client, op.method)(**params)
        except Exception as exc:
            error = translate(op, exc)
            if error is None:
                raise
            raise error from exc
        return parse(op, raw)
