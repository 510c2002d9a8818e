"""``LocalIVSRealTime``: the control API of one emulator (start, stop, settings, events).

The service itself is the backend (``backend``); the participant methods come
from ``_driver``, the thread and loop from ``_runner``.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self

from cryptography.hazmat.primitives.asymmetric import ec

from ._driver import ParticipantDriver
from ._faults import Faults, OperationStats, Stats
from ._sigv4 import SigV4Verifier
from .backend import Backend, Quotas

__all__ = ["LocalIVSRealTime", "running_servers", "serve"]

_running: weakref.WeakSet[LocalIVSRealTime] = weakref.WeakSet()
_running_lock = threading.Lock()


def running_servers() -> list[LocalIVSRealTime]:
    """Return the emulators started in this process and not yet stopped."""
    with _running_lock:
        return list(_running)


class LocalIVSRealTime(ParticipantDriver):
    """A loopback emulator of the Amazon IVS Real-Time API (ivs-realtime 2020-07-14).

    Use it as ``with LocalIVSRealTime() as server:`` (own event loop on a
    daemon thread) or ``async with LocalIVSRealTime() as server:`` (on the
    running loop), then point boto3 at ``server.endpoint_url``.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        region: str = "us-east-1",
        account_id: str = "123456789012",
        quotas: Quotas | None = None,
        clock: Callable[[], float] = time.time,
        events_webhook: str | None = None,
        events_webhook_secret: str | None = None,
        on_event: Callable[[Mapping[str, Any]], None] | None = None,
        credentials: Mapping[str, str] | None = None,
    ) -> None:
        """Configure (but do not start) an emulator.

        Args:
            host: Interface to bind; loopback by default.
            port: TCP port; 0 picks a free one.
            region: Region in ARNs.
            account_id: Account ID in ARNs.
            quotas: Resource limits; generous by default.
            clock: Returns the current Unix time; inject one to test expiry.
            events_webhook: A URL to POST every EventBridge event to, as JSON, the
                way an EventBridge API destination does.
            events_webhook_secret: Sent in the ``x-api-key`` header of each POST
                (like an API destination's API-key connection); never logged.
            on_event: Called with every EventBridge event (a dict), in order, on
                a worker thread of the emulator; it may call the emulator's API.
            credentials: ``{access key id: secret access key}``. Given, every API
                request must carry a valid SigV4 signature by one of these keys, for
                this region and the service's signing name, within 5 minutes of
                ``clock``, as AWS checks it. Omitted, any signature is accepted.
        """
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self.backend = Backend(region=region, account_id=account_id, quotas=quotas, clock=clock)
        """The emulated service: every resource and rule, behind typed methods."""
        self.faults = Faults()
        """Fault rules: the next calls of an operation can fail, wait, or drop."""
        self.backend.event_bus.set_webhook(events_webhook, events_webhook_secret)
        if on_event is not None:
            self.backend.event_bus.subscribe(on_event)
        self._stats = Stats()
        self._runner: Any = None
        self._thread: Any = None
        self._dispatcher: Any = None
        self._verifier = _verifier(credentials, region, clock)

    @property
    def store(self) -> Backend:
        """The backend, by the name tests have used to read its state (``store.stages``...)."""
        return self.backend

    # -- identity ---------------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        """``http://HOST:PORT`` of the running server."""
        if self._port is None:
            raise RuntimeError("the emulator is not running")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self._port}"

    @property
    def whip_endpoint(self) -> str:
        """The global WHIP URL: it redirects an offer to its stage's own (``[media]`` extra)."""
        if not self.running:
            raise RuntimeError("the emulator is not running")
        return self.backend.global_whip_url

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._port is None:
            raise RuntimeError("the emulator is not running")
        return self._port

    @property
    def host(self) -> str:
        """The bound interface."""
        return self._host

    @property
    def region(self) -> str:
        """Region used in ARNs."""
        return self.backend.region

    @property
    def account_id(self) -> str:
        """Account ID used in ARNs."""
        return self.backend.account_id

    @property
    def running(self) -> bool:
        """Whether the server is accepting connections."""
        return self._port is not None

    @property
    def quotas(self) -> Quotas:
        """Current resource limits."""
        return self.backend.quotas

    @quotas.setter
    def quotas(self, value: Quotas) -> None:
        self.backend.quotas = value

    @property
    def composition_transition_seconds(self) -> float:
        """Clock seconds a composition stays STARTING/STOPPING before ACTIVE/STOPPED (0)."""
        return self.backend.transition_seconds

    @composition_transition_seconds.setter
    def composition_transition_seconds(self, value: float) -> None:
        self.backend.transition_seconds = value

    @property
    def media_consent_window(self) -> float:
        """Seconds a WHIP peer may stay unconnected or silent before it leaves (30, RFC 7675)."""
        return self.backend.media_consent_window

    @media_consent_window.setter
    def media_consent_window(self, value: float) -> None:
        self.backend.media_consent_window = value

    def media_peer_count(self) -> int:
        """The WHIP peer connections open now (0 before the media plane is used)."""
        dispatcher = self._dispatcher
        return 0 if dispatcher is None else dispatcher.admin.media_peer_count()

    @property
    def token_key_id(self) -> str:
        """The ``kid`` of tokens the emulator signs."""
        return self.backend.key_id

    @property
    def token_public_key(self) -> ec.EllipticCurvePublicKey:
        """The P-384 public key that verifies tokens the emulator signs."""
        return self.backend.signing_public_key

    @property
    def stats(self) -> Mapping[str, OperationStats]:
        """Per-operation counters (a snapshot): received, succeeded, failed, faults."""
        return self._stats.snapshot()

    @property
    def issued_participant_ids(self) -> tuple[str, ...]:
        """Participant IDs of the live tokens issued, in order (expired and deleted-stage go)."""
        return self.backend.issued_participant_ids()

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every EventBridge event sent so far, oldest first (copies).

        Compositions whose transition time has passed reach ACTIVE or STOPPED
        first, so their events are here too.
        """
        return self.backend.sent_events()

    def add_event_listener(
        self, callback: Callable[[Mapping[str, Any]], None]
    ) -> Callable[[], None]:
        """Call ``callback`` with every EventBridge event from now on, as ``on_event`` does.

        Returns:
            A function that removes the listener.
        """
        return self.backend.event_bus.subscribe(callback)

    def flush_events(self) -> None:
        """Wait until every event sent so far reached the listeners and the webhook."""
        self.backend.event_bus.flush()

    def reset(self) -> None:
        """Forget every resource, fault rule, counter and event; keep running."""
        self.backend.reset()
        self.faults.clear()
        self._stats.reset()

    # -- lifecycle ----------------------------------------------------------------

    async def astart(self) -> None:
        """Start serving on the running event loop."""
        from ._runner import listen
        from ._server import Dispatcher

        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        self._dispatcher = Dispatcher(
            self.backend, self.faults, self._stats, self._verifier, reset=self.reset
        )
        self._runner, self._port = await listen(self._dispatcher, self._host, self._requested_port)
        self.backend.base_url = self.endpoint_url
        with _running_lock:
            _running.add(self)

    async def astop(self) -> None:
        """Stop serving and close every connection (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        try:
            await self._dispatcher.aclose()
            await runner.cleanup()
        finally:
            self._port = None
            self.backend.event_bus.close()
            with _running_lock:
                _running.discard(self)

    def start(self) -> None:
        """Start serving on a new event loop in a daemon thread; return once listening."""
        from ._runner import LoopThread

        if self._thread is not None:
            raise RuntimeError("the emulator is already running")
        thread = LoopThread("ivs-realtime-local")
        try:
            thread.run(self.astart())
        except BaseException:
            thread.stop()
            raise
        self._thread = thread

    def stop(self) -> None:
        """Stop a server started with :meth:`start` and free its port (idempotent)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        try:
            thread.run(self.astop())
        finally:
            thread.stop()

    def __enter__(self) -> Self:
        """Start on a background thread."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop."""
        self.stop()

    async def __aenter__(self) -> Self:
        """Start on the running loop."""
        await self.astart()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop."""
        await self.astop()

    def __repr__(self) -> str:
        """Show where it listens."""
        where = self.endpoint_url if self.running else "stopped"
        return f"<LocalIVSRealTime {where} region={self.region} account={self.account_id}>"


def _verifier(
    credentials: Mapping[str, str] | None, region: str, clock: Callable[[], float]
) -> SigV4Verifier | None:
    if credentials is None:
        return None
    from ..errors import InvalidParameterError
    from ._model import service_model

    where = "LocalIVSRealTime.credentials"
    if not credentials:
        raise InvalidParameterError(where, "give at least one access key id and its secret")
    for access_key, secret in credentials.items():
        if not isinstance(access_key, str) or not access_key or "/" in access_key:  # pyright: ignore[reportUnnecessaryIsInstance]
            raise InvalidParameterError(where, f"{access_key!r} is not an access key id")
        if not isinstance(secret, str) or not secret:  # pyright: ignore[reportUnnecessaryIsInstance]
            # Never the secret in the message.
            raise InvalidParameterError(
                where, f"the secret of {access_key!r} is empty or not a str"
            )

    return SigV4Verifier(
        credentials, region=region, service=service_model().signing_name, clock=clock
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    region: str = "us-east-1",
    account_id: str = "123456789012",
    quotas: Quotas | None = None,
    events_webhook: str | None = None,
    events_webhook_secret: str | None = None,
    credentials: Mapping[str, str] | None = None,
) -> None:
    """Run an emulator in the foreground until SIGINT or SIGTERM.

    The endpoint URL is the first line printed to stdout (flushed at once), so a
    parent process can read it and point its clients there. ``events_webhook``,
    ``events_webhook_secret`` and ``credentials`` are those of :class:`LocalIVSRealTime`.
    """
    server = LocalIVSRealTime(
        host=host,
        port=port,
        region=region,
        account_id=account_id,
        quotas=quotas,
        events_webhook=events_webhook,
        events_webhook_secret=events_webhook_secret,
        credentials=credentials,
    )
    asyncio.run(_serve(server))


async def _serve(server: LocalIVSRealTime) -> None:
    from ._runner import signals_caught

    async with signals_caught() as stop, server:
        sys.stdout.write(server.endpoint_url + "\n")
        sys.stdout.flush()
        await stop.wait()
