"""The facades' bases: the lifecycle and its rules, the one client factory, sending and paging.

The call path runs one way: the public facade (``client.IVSRealTime``,
``aio.AsyncIVSRealTime``) derives from its generated operations
(``_generated``), which derive from a base here. The base knows how to send:
``SyncFacadeBase._call`` calls the boto method, ``AsyncFacadeBase._call``
awaits it; the generated methods call ``_call`` and ``_iterate`` of the base.
The lifecycle is one state, as httpx's ``ClientState``: a facade is unopened,
open or closed, and only this module decides what each state allows.
"""

from __future__ import annotations

import enum
from abc import abstractmethod
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

import attrs

from . import _botocore_tuning as botocore_tuning
from ._config import checked_endpoint_url, client_config
from ._core import PageRequest, client_method, client_setup, following, parse, to_params, translated
from ._extras import require_aioboto3
from ._operations import Operation
from ._redact import install as redact_logs
from .errors import ClientClosedError, ClientStateError
from .models.pagination import Page

if TYPE_CHECKING:
    from botocore.config import Config

Req = TypeVar("Req")
P = TypeVar("P", bound=PageRequest)
R = TypeVar("R")
T = TypeVar("T")


class ClientState(enum.Enum):
    """Where a facade is in its life."""

    UNOPENED = 1
    """Built, not entered: a sync facade (or a wrapped client) already sends requests."""
    OPEN = 2
    """Entered with ``with`` or ``async with``, not yet closed."""
    CLOSED = 3
    """Closed: every call, and entering again, raises ClientClosedError."""


@attrs.frozen(kw_only=True)
class ClientOptions:
    """What a facade's constructor was given, for the boto client it creates."""

    session: Any = None
    """The boto3 or aioboto3 session; None for a new default one."""
    region_name: str | None = None
    """The AWS region."""
    endpoint_url: str | None = attrs.field(default=None, converter=checked_endpoint_url)
    """Another endpoint, such as the local emulator's."""
    config: Config = attrs.field(default=None, converter=client_config)
    """The user's botocore Config merged over the SDK's defaults."""

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``session.client("ivs-realtime", ...)``."""
        return {
            "region_name": self.region_name,
            "endpoint_url": self.endpoint_url,
            "config": self.config,
        }


class Lifecycle:
    """The one state of a facade, and the rules of moving between states."""

    _state: ClientState = ClientState.UNOPENED
    _client: Any = None
    _owns_client = False

    @abstractmethod
    def _setup(self, options: ClientOptions) -> None:
        """Keep the constructor's options; a sync facade creates its client now."""

    @classmethod
    def _wrapping(cls, client: Any) -> Self:
        """A facade over a client its owner configures and closes (``from_client``)."""
        redact_logs()
        self = cls.__new__(cls)
        self._client = client
        self._owns_client = False
        return self

    def _check_usable(self, op_name: str) -> None:
        """Raise unless a request may be sent now."""
        if self._state is ClientState.CLOSED:
            raise ClientClosedError(f"{op_name}: this {type(self).__name__} was closed")
        if self._client is None:
            raise ClientClosedError(
                f"{op_name}: this {type(self).__name__} is not open: use `async with` first"
            )

    def _enter(self) -> None:
        """Move to OPEN on ``with``/``async with``; closed or already open facades refuse."""
        name = type(self).__name__
        if self._state is ClientState.CLOSED:
            raise ClientClosedError(f"this {name} was closed; create a new one")
        if self._state is ClientState.OPEN:
            raise ClientStateError(
                f"this {name} is already open: enter it once, or create one per `with` block"
            )
        self._state = ClientState.OPEN

    def _leave(self) -> bool:
        """Move to CLOSED; True the first time, when connections must be released."""
        if self._state is ClientState.CLOSED:
            return False
        self._state = ClientState.CLOSED
        return True


def create_client(options: ClientOptions, facade: Literal["sync", "async"]) -> Any:
    """The one client factory of both facades.

    The client comes from a copy of the options' session (a new boto3 or
    aioboto3 one when None) that loads the shipped model, with the tunings
    installed and the options' client arguments; boto's errors in creating it
    are raised as ConfigurationError.

    Returns:
        The boto3 client; for ``"async"``, the context that opens the
        aiobotocore client (``AsyncFacadeBase._open`` enters it).
    """
    session = options.session
    if session is None:
        if facade == "sync":
            import boto3

            session = boto3.Session()
        else:
            session = require_aioboto3().Session()
    with client_setup():
        created = botocore_tuning.create_client(session, facade, **options.client_kwargs())
    redact_logs()
    return created


class SyncFacadeBase(Lifecycle):
    """The base of the synchronous facade: it creates its client, sends and pages."""

    def _setup(self, options: ClientOptions) -> None:
        """Create the boto3 client now: a sync facade sends before ``with``."""
        self._client = create_client(options, "sync")
        self._owns_client = True

    def _call(self, op: Operation[Req, R], request: Req) -> R:
        """Send one request and return its typed result."""
        self._check_usable(op.name)
        with translated(op):
            raw = client_method(self._client, op)(**to_params(request))
        return parse(op, raw)

    def _iterate(self, op: Operation[P, Page[T]], request: P) -> Iterator[T]:
        """Every item of every page, one request per page."""
        next_request: P | None = request
        while next_request is not None:
            page = self._call(op, next_request)
            yield from page.items
            next_request = following(next_request, page)


class AsyncFacadeBase(Lifecycle):
    """The base of the asynchronous facade: it opens its client, awaits calls and pages."""

    _options: ClientOptions | None = None
    _context: Any = None

    def _setup(self, options: ClientOptions) -> None:
        """Keep the options for ``async with``; fail now, naming the extra, without aioboto3."""
        require_aioboto3()
        self._options = options

    async def _open(self) -> None:
        """Open the aiobotocore client that ``async with`` needs."""
        assert self._options is not None  # only a wrapped facade has no options, and a client
        context = create_client(self._options, "async")
        with client_setup():
            self._client = await context.__aenter__()
        self._context = context

    async def _call(self, op: Operation[Req, R], request: Req) -> R:
        """Send one request and return its typed result."""
        self._check_usable(op.name)
        with translated(op):
            raw = await client_method(self._client, op)(**to_params(request))
        return parse(op, raw)

    async def _iterate(self, op: Operation[P, Page[T]], request: P) -> AsyncIterator[T]:
        """Every item of every page, one request per page."""
        next_request: P | None = request
        while next_request is not None:
            page = await self._call(op, next_request)
            for item in page.items:
                yield item
            next_request = following(next_request, page)
