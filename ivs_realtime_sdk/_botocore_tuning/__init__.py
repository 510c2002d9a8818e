"""Optional performance tunings of botocore, on the clients the SDK creates and nowhere else.

Each tuning replaces or wraps a private part of botocore, urllib3 or
aiobotocore, and is installed only while that part is the code it was
reviewed against (``_guard``, with the fingerprints in ``_reviewed.json``);
otherwise the client keeps botocore's own path for it. Without any of them
the SDK behaves the same, only slower.

- ``_startup``: ivs-realtime's model found without listing every service,
  and the endpoint data cut down to ivs-realtime.
- ``_wire``: 2xx bodies read and request bodies written with one ``json``
  call, the User-Agent header kept per feature set.
- ``_sigv4``: botocore's SigV4 with cheaper bookkeeping.
- ``_one_send``: the request head and body in one ``send`` (sync clients).

``create_client`` is the one entry point: the facades' client factory calls
it, and nothing else of this package.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Literal

from .._service_model import SERVICE_NAME
from .._shipped import session_with_shipped_model
from ._startup import loader_class, use_own_endpoint_data
from ._wire import install_async, install_sync

__all__ = ["create_client"]


def create_client(boto3_session: Any, facade: Literal["sync", "async"], **kwargs: Any) -> Any:
    """Create the SDK's tuned ivs-realtime client on a copy of ``boto3_session``.

    The copy loads the shipped model; the session passed in, and every other
    client it creates, are left as they were.

    Args:
        boto3_session: A boto3 session (``facade="sync"``) or an aioboto3 one.
        facade: Which facade the client is for.
        **kwargs: ``region_name``, ``endpoint_url`` and ``config`` of the client.

    Returns:
        The boto3 client; for ``"async"``, the context that opens the
        aiobotocore client on ``async with``, tuned as it opens.
    """
    session = session_with_shipped_model(boto3_session, loader_class())
    use_own_endpoint_data(session)
    created: Any = session.create_client(SERVICE_NAME, **kwargs)
    if facade == "async":
        return _TunedOnEntry(created)
    install_sync(created)
    return created


class _TunedOnEntry:
    """aiobotocore's client context, whose client is tuned as it opens."""

    def __init__(self, context: Any) -> None:
        self._context = context

    async def __aenter__(self) -> Any:
        client = await self._context.__aenter__()
        install_async(client)
        return client

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Any:
        return await self._context.__aexit__(exc_type, exc, tb)
