"""``LocalIVSRealTime``: start and stop the emulator, and drive participants from tests."""

from __future__ import annotations

import asyncio
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self

from cryptography.hazmat.primitives.asymmetric import ec

from ._admin import sent_events
from ._faults import Faults, OperationStats, Stats
from ._participants import (
    JoinRefusedError,
    ParticipantError,
    TokenGrant,
    connect,
    disconnect,
    exchange_token,
    find_connected,
    join,
    start_publish,
    stop_publish,
    subscribe,
    unsubscribe,
)
from ._sigv4 import SigV4Verifier
from ._state import Participant, Quotas, Stage, Store

__all__ = ["LocalIVSRealTime", "running_servers", "serve"]

_running: weakref.WeakSet[LocalIVSRealTime] = weakref.WeakSet()
_running_lock = threading.Lock()
# Generous: 1,000 concurrent clients connect at once in the load benchmarks.
_BACKLOG = 4096
_SHUTDOWN_TIMEOUT = 2.0


def running_servers() -> list[LocalIVSRealTime]:
    """Return the emulators started in this process and not yet stopped."""
    with _running_lock:
        return list(_running)


class LocalIVSRealTime:
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
        self.store = Store(
            region=region, account_id=account_id, quotas=quotas or Quotas(), clock=clock
        )
        """The in-memory state: stages, tokens, sessions and every other resource."""
        self.faults = Faults()
        """Fault rules: the next calls of an operation can fail, wait, or drop."""
        self.store.event_bus.set_webhook(events_webhook, events_webhook_secret)
        if on_event is not None:
            self.store.event_bus.subscribe(on_event)
        self._stats = Stats()
        self._runner: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._dispatcher: Any = None
        self._verifier = _verifier(credentials, region, clock)

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
        return self.store.global_whip_url

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
        return self.store.region

    @property
    def account_id(self) -> str:
        """Account ID used in ARNs."""
        return self.store.account_id

    @property
    def running(self) -> bool:
        """Whether the server is accepting connections."""
        return self._port is not None

    @property
    def quotas(self) -> Quotas:
        """Current resource limits."""
        return self.store.quotas

    @quotas.setter
    def quotas(self, value: Quotas) -> None:
        with self.store.lock:
            self.store.quotas = value

    @property
    def composition_transition_seconds(self) -> float:
        """Clock seconds a composition stays STARTING/STOPPING before ACTIVE/STOPPED (0)."""
        return self.store.transition_seconds

    @composition_transition_seconds.setter
    def composition_transition_seconds(self, value: float) -> None:
        with self.store.lock:
            self.store.transition_seconds = value

    @property
    def token_key_id(self) -> str:
        """The ``kid`` of tokens the emulator signs."""
        return self.store.key_id

    @property
    def token_public_key(self) -> ec.EllipticCurvePublicKey:
        """The P-384 public key that verifies tokens the emulator signs."""
        return self.store.signing_public_key

    @property
    def stats(self) -> Mapping[str, OperationStats]:
        """Per-operation counters (a snapshot): received, succeeded, failed, faults."""
        return self._stats.snapshot()

    @property
    def issued_participant_ids(self) -> tuple[str, ...]:
        """Participant IDs of every token issued, in order (duplicates would show here)."""
        with self.store.lock:
            return tuple(self.store.issued_participant_ids)

    @property
    def events(self) -> list[dict[str, Any]]:
        """Every EventBridge event sent so far, oldest first (copies).

        Compositions whose transition time has passed reach ACTIVE or STOPPED
        first, so their events are here too.
        """
        return sent_events(self.store)

    def add_event_listener(
        self, callback: Callable[[Mapping[str, Any]], None]
    ) -> Callable[[], None]:
        """Call ``callback`` with every EventBridge event from now on, as ``on_event`` does.

        Returns:
            A function that removes the listener.
        """
        return self.store.event_bus.subscribe(callback)

    def flush_events(self) -> None:
        """Wait until every event sent so far reached the listeners and the webhook."""
        self.store.event_bus.flush()

    def reset(self) -> None:
        """Forget every resource, fault rule, counter and event; keep running."""
        self.store.reset()
        self.faults.clear()
        self._stats.reset()

    # -- lifecycle ----------------------------------------------------------------

    async def astart(self) -> None:
        """Start serving on the running event loop."""
        from aiohttp import web

        from ._server import Dispatcher

        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        self._dispatcher = Dispatcher(self.store, self.faults, self._stats, self._verifier)
        server = web.Server(self._dispatcher, access_log=None)
        runner = web.ServerRunner(server, shutdown_timeout=_SHUTDOWN_TIMEOUT)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._requested_port, backlog=_BACKLOG)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = _bound_port(runner)
        self.store.base_url = self.endpoint_url
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
            self.store.event_bus.close()
            with _running_lock:
                _running.discard(self)

    def start(self) -> None:
        """Start serving on a new event loop in a daemon thread; return once listening."""
        if self._thread is not None:
            raise RuntimeError("the emulator is already running")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(
            target=_run_loop, args=(loop,), name="ivs-realtime-local", daemon=True
        )
        thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self.astart(), loop).result()
        except BaseException:
            _stop_loop(loop, thread)
            raise
        self._loop, self._thread = loop, thread

    def stop(self) -> None:
        """Stop a server started with :meth:`start` and free its port (idempotent)."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self._loop = self._thread = None
        try:
            asyncio.run_coroutine_threadsafe(self.astop(), loop).result()
        finally:
            _stop_loop(loop, thread)

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

    # -- participants ---------------------------------------------------------------
    # Plain thread-safe methods: they only touch state under the store lock, so
    # they work the same from sync tests (server on its thread) and from
    # coroutines on the server's own loop.

    def _stage_and_participant(
        self, stage_arn: str, participant_id: str
    ) -> tuple[Stage, Participant]:
        stage = self.store.stages.get(stage_arn)
        if stage is None:
            raise ParticipantError("stage_not_found", f"No stage {stage_arn}")
        participant = find_connected(stage, participant_id)
        if participant is None:
            raise ParticipantError(
                "not_connected",
                f"Participant {participant_id} is not connected to this stage",
                participant_id=participant_id,
            )
        return stage, participant

    def join(
        self,
        stage_arn: str,
        token: str,
        *,
        publish: bool = False,
        protocol: str = "WHIP",
        client: Mapping[str, str] | None = None,
    ) -> str:
        """Join a stage with a participant token, as a client SDK would; return the participant ID.

        The token must verify: signed by the emulator (CreateParticipantToken,
        CreateStage) or by the private key of an imported public key named by
        its ``kid``; not expired by the emulator clock; issued for this stage;
        participant not revoked by DisconnectParticipant. The first participant
        starts a stage session. With ``publish=True`` the participant also
        publishes; if its token lacks PUBLISH, PUBLISH_ERROR is recorded, the
        participant leaves again and :class:`PublishRefusedError` is raised.

        Args:
            stage_arn: Stage to join.
            token: Participant token (JWT).
            publish: Start publishing right after joining.
            protocol: ``WHIP`` (default), ``RTMP``, ``RTMPS`` or ``UNKNOWN``.
            client: Optional client details (``ispName``, ``osName``, ``osVersion``,
                ``browserName``, ``browserVersion``, ``sdkVersion``).

        Raises:
            JoinRefusedError: The stage refused the token or is full.
            PublishRefusedError: ``publish=True`` without the PUBLISH capability.
        """
        with self.store.lock:
            participant = join(
                self.store, stage_arn, token, publish=publish, protocol=protocol, client=client
            )
            return participant.participant_id

    def publish(self, stage_arn: str, participant_id: str) -> None:
        """Start publishing (PUBLISH_STARTED); refuse without the PUBLISH capability.

        Raises:
            PublishRefusedError: The token lacks PUBLISH (PUBLISH_ERROR is recorded).
            ParticipantError: The participant is not connected.
        """
        with self.store.lock:
            stage, participant = self._stage_and_participant(stage_arn, participant_id)
            start_publish(self.store, stage, participant)

    def unpublish(self, stage_arn: str, participant_id: str) -> None:
        """Stop publishing (PUBLISH_STOPPED).

        Raises:
            ParticipantError: The participant is not connected.
        """
        with self.store.lock:
            stage, participant = self._stage_and_participant(stage_arn, participant_id)
            stop_publish(self.store, stage, participant)

    def subscribe(self, stage_arn: str, participant_id: str, publisher_id: str) -> None:
        """Subscribe to a publishing participant (SUBSCRIBE_STARTED).

        Raises:
            SubscribeRefusedError: No SUBSCRIBE capability or no such publisher
                (SUBSCRIBE_ERROR is recorded).
            ParticipantError: The participant is not connected.
        """
        with self.store.lock:
            stage, participant = self._stage_and_participant(stage_arn, participant_id)
            subscribe(self.store, stage, participant, publisher_id)

    def unsubscribe(self, stage_arn: str, participant_id: str, publisher_id: str) -> None:
        """Stop a subscription (SUBSCRIBE_STOPPED).

        Raises:
            ParticipantError: The participant is not connected.
        """
        with self.store.lock:
            _, participant = self._stage_and_participant(stage_arn, participant_id)
            unsubscribe(self.store, participant, publisher_id)

    def exchange_token(self, stage_arn: str, participant_id: str, token: str) -> None:
        """Swap a connected participant's self-signed token for ``token`` (TOKEN_EXCHANGED).

        As IVS's ``exchangeToken``: both tokens must be self-signed (not from
        CreateParticipantToken), and the new one must verify as a join would and
        keep ``jti``, ``resource``, ``topic``, ``events_url`` and ``whip_url``.
        Capabilities the new token drops take effect at once.

        Raises:
            ExchangeRefusedError: The exchange breaks one of these rules.
            ParticipantError: The participant is not connected.
        """
        with self.store.lock:
            stage, participant = self._stage_and_participant(stage_arn, participant_id)
            exchange_token(self.store, stage, participant, token)

    def leave(self, stage_arn: str, participant_id: str) -> None:
        """Leave the stage (LEFT); the last participant out ends the session.

        Raises:
            ParticipantError: The participant is not connected.
        """
        with self.store.lock:
            stage, participant = self._stage_and_participant(stage_arn, participant_id)
            disconnect(self.store, stage, participant)

    def connect_ingest(self, ingest_configuration_arn: str) -> str:
        """Start an RTMP(S) publisher on an ingest configuration; return its participant ID.

        Raises:
            JoinRefusedError: Unknown configuration, no stage, or already publishing.
        """
        with self.store.lock:
            ingest = self.store.ingest_configurations.get(ingest_configuration_arn)
            if ingest is None:
                raise JoinRefusedError(
                    "not_found", f"No ingest configuration {ingest_configuration_arn}"
                )
            stage = self.store.stages.get(ingest.stage_arn)
            if stage is None:
                raise JoinRefusedError(
                    "stage_not_found", "Ingest configuration is not attached to a stage"
                )
            if ingest.participant_id in stage.revoked:
                raise JoinRefusedError("revoked", "Participant was revoked")
            grant = TokenGrant(
                participant_id=ingest.participant_id,
                user_id=ingest.user_id,
                attributes=dict(ingest.attributes),
                can_publish=True,
                can_subscribe=False,
            )
            participant = connect(self.store, stage, grant, protocol=ingest.protocol)
            participant.ingest_configuration_arn = ingest.arn
            participant.redundant_ingest = ingest.redundant
            start_publish(self.store, stage, participant)
            ingest.state = "ACTIVE"
            return participant.participant_id

    def disconnect_ingest(self, ingest_configuration_arn: str) -> None:
        """Stop an RTMP(S) publisher started with :meth:`connect_ingest`.

        Raises:
            ParticipantError: The configuration is not publishing.
        """
        with self.store.lock:
            ingest = self.store.ingest_configurations.get(ingest_configuration_arn)
            if ingest is None or ingest.state != "ACTIVE":
                raise ParticipantError("not_connected", "Ingest configuration is not publishing")
            stage, participant = self._stage_and_participant(
                ingest.stage_arn, ingest.participant_id
            )
            disconnect(self.store, stage, participant)


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


def _bound_port(runner: Any) -> int:
    for site in runner.sites:
        server = getattr(site, "_server", None)
        for sock in getattr(server, "sockets", None) or ():
            port: int = sock.getsockname()[1]
            return port
    raise RuntimeError("the emulator has no listening socket")


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            loop.close()


def _stop_loop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    loop.call_soon_threadsafe(loop.stop)
    thread.join()


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
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - not on this platform
            pass
    try:
        async with server:
            sys.stdout.write(server.endpoint_url + "\n")
            sys.stdout.flush()
            await stop.wait()
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
