"""``LocalIVSRealTime``: the control API of one emulator (start, stop, settings, events).

The service itself is the backend (``backend``); the participant methods come
from ``_driver``, the thread and loop from ``_runner``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
import sys
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from cryptography.hazmat.primitives.asymmetric import ec

from ._driver import ParticipantDriver
from ._faults import Faults, OperationStats, Stats
from ._sigv4 import SigV4Verifier
from .backend import Accounts, Backend, Quotas, RecordingOutput

__all__ = ["LocalIVSRealTime", "running_servers", "serve"]

_log = logging.getLogger("ivs_realtime_sdk.local")
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
        state_dir: str | os.PathLike[str] | None = None,
        request_logger: logging.Logger | None = None,
        rtmp_port: int | None = 0,
        rtmps_port: int | None = 0,
        rtmps_cert: str | Path | None = None,
        rtmps_key: str | Path | None = None,
        s3_endpoint_url: str | None = None,
        s3: bool = False,
        recordings_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        """Configure (but do not start) an emulator.

        Args:
            host: Interface to bind; loopback by default.
            port: TCP port; 0 picks a free one.
            region: Region of requests that name none (unsigned ones); a signed
                request's region is the one it was signed for.
            account_id: Account of requests whose access key id is not 12 digits.
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
            state_dir: Keep the state in an SQLite file in this directory, written
                through before each answer, and restore it from there. None keeps
                it in memory.
            request_logger: Gets one INFO line per request (operation or admin
                route, status, milliseconds, request id, account, region; never
                a secret). None logs nothing.
            rtmp_port: Port of the RTMP ingest listener (``[media]`` extra); 0 picks a
                free one, None serves no RTMP(S) ingest at all.
            rtmps_port: Port of the RTMPS ingest listener; 0 picks a free one, None
                serves none.
            rtmps_cert: PEM certificate (chain) for RTMPS; omitted, the emulator
                generates a self-signed one for 127.0.0.1 and localhost.
            rtmps_key: PEM private key of ``rtmps_cert``; given together with it.
            s3_endpoint_url: Write recordings through boto3's S3 client to this S3 API
                (moto's server, LocalStack, MinIO). Credentials come from boto3's usual
                chain; with none, a placeholder pair signs the requests.
            s3: Write recordings through boto3's S3 client to AWS's own endpoint, which
                moto's ``mock_aws()`` intercepts when the emulator runs in-process.
            recordings_dir: Without S3, the directory recordings are written to, laid
                out as ``<bucket>/<key>`` (a missing bucket directory is created).
                Default: ``recordings`` in ``state_dir`` if given, else a new
                temporary directory (see :attr:`recordings_dir`).

        Raises:
            StateDirectoryError: ``state_dir`` cannot be used; nothing in it is changed.
        """
        self._rtmp_ports = (rtmp_port, rtmps_port)
        self._rtmps_files = _tls_pair(rtmps_cert, rtmps_key)
        self._ingest: Any = None
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self.accounts = Accounts(
            region=region, account_id=account_id, quotas=quotas, clock=clock, state_dir=state_dir
        )
        """Every backend, by account and region."""
        self.backend: Backend = self.accounts.default
        """The emulated service of the default account and region: every resource and rule."""
        self._request_logger = request_logger
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
        if recordings_dir is None and state_dir is not None:
            # A dev server keeps what its stages produce beside their state.
            recordings_dir = Path(state_dir) / "recordings"
        self.backend.recording_output = RecordingOutput(
            s3=s3 or bool(s3_endpoint_url),
            s3_endpoint_url=s3_endpoint_url,
            directory=os.fspath(recordings_dir) if recordings_dir is not None else None,
        )

    @property
    def store(self) -> Backend:
        """The backend, by the name tests have used to read its state (``store.stages``...)."""
        return self.backend

    # -- identity ---------------------------------------------------------------

    @property
    def recordings_dir(self) -> str | None:
        """Where recordings are written when not to S3 (``<bucket>/<key>``); None with S3."""
        return self.backend.recordings_directory()

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
    def rtmp_endpoint(self) -> str | None:
        """``rtmp://HOST:PORT/app/``: push there with a stream key; None if RTMP is not served."""
        return self.backend.ingest_urls.get("rtmp")

    @property
    def rtmps_endpoint(self) -> str | None:
        """``rtmps://HOST:PORT/app/``, or None if RTMPS is not served."""
        return self.backend.ingest_urls.get("rtmps")

    @property
    def rtmps_certificate(self) -> Path | None:
        """The RTMPS certificate an encoder must trust (the generated one, or the one given)."""
        return self._ingest.certificate if self._ingest is not None else None

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
    def composition_idle_seconds(self) -> float:
        """Seconds an ACTIVE composition goes on without a publisher before it stops (60)."""
        return self.backend.composition_idle_seconds

    @composition_idle_seconds.setter
    def composition_idle_seconds(self, value: float) -> None:
        self.backend.composition_idle_seconds = value

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

    def reset(self, account_id: str | None = None, region: str | None = None) -> None:
        """Forget every resource, fault rule, counter and event; keep running.

        Given an account and a region, forget only their resources and events.
        With a state directory, the stored state is reset too.
        """
        self.accounts.reset(account_id, region)
        if account_id is None and region is None:
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
            self.accounts,
            self.faults,
            self._stats,
            self._verifier,
            reset=self.reset,
            host=self._host,
            request_log=self._request_logger,
        )
        self._runner, self._port = await listen(self._dispatcher, self._host, self._requested_port)
        self.accounts.set_endpoints(base_url=self.endpoint_url)
        try:
            await self._start_ingest()
        except BaseException:
            await self.astop()
            raise
        with _running_lock:
            _running.add(self)

    async def _start_ingest(self) -> None:
        rtmp_port, rtmps_port = self._rtmp_ports
        if rtmp_port is None:
            return
        media = self._dispatcher.admin.media_plane()
        if media is None:
            # Info, not a warning: an embedded emulator (the demo, tests) may not want
            # ingest; `ivs-realtime-sdk local` says so on stderr in any case.
            _log.info("RTMP ingest is unavailable: install the [media] extra")
            return
        from ._ingest_listener import IngestListener
        from ._rtmp import TlsFiles

        tls = TlsFiles(*self._rtmps_files) if self._rtmps_files is not None else None
        ingest = IngestListener(
            self.backend,
            media,
            host=self._host,
            rtmp_port=rtmp_port,
            rtmps_port=rtmps_port,
            tls=tls,
        )
        try:
            await ingest.start()
        except ssl.SSLError:
            from ..errors import InvalidParameterError

            raise InvalidParameterError(
                "LocalIVSRealTime.rtmps_cert",
                "the certificate and key do not load as a PEM pair that matches",
            ) from None
        self._ingest = ingest
        self.accounts.set_endpoints(ingest_urls=ingest.urls)

    async def astop(self) -> None:
        """Stop serving and close every connection (idempotent)."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        ingest, self._ingest = self._ingest, None
        try:
            if ingest is not None:
                await ingest.stop()
            await self._dispatcher.aclose()
            await runner.cleanup()
        finally:
            self.accounts.set_endpoints(ingest_urls={})
            self._port = None
            self.backend.event_bus.close()
            self.accounts.close()
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


def _tls_pair(cert: str | Path | None, key: str | Path | None) -> tuple[Path, Path] | None:
    """The RTMPS certificate and key files given, checked to be files (never read here)."""
    if cert is None and key is None:
        return None
    from ..errors import InvalidParameterError

    if cert is None or key is None:
        raise InvalidParameterError(
            "LocalIVSRealTime.rtmps_cert", "give rtmps_cert and rtmps_key together"
        )
    pair = Path(cert), Path(key)
    if not pair[0].is_file():
        raise InvalidParameterError("LocalIVSRealTime.rtmps_cert", f"no file {str(pair[0])!r}")
    if not pair[1].is_file():
        # The key's path stays out of messages, as TlsFiles keeps it out of its repr.
        raise InvalidParameterError("LocalIVSRealTime.rtmps_key", "not a readable file")
    return pair


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
    state_dir: str | os.PathLike[str] | None = None,
    request_logger: logging.Logger | None = None,
    rtmp_port: int | None = 0,
    rtmps_port: int | None = 0,
    rtmps_cert: str | Path | None = None,
    rtmps_key: str | Path | None = None,
    s3_endpoint_url: str | None = None,
    recordings_dir: str | None = None,
    on_listening: Callable[[], None] | None = None,
) -> None:
    """Run an emulator in the foreground until SIGINT or SIGTERM.

    The endpoint URL is the first line printed to stdout (flushed at once), so a
    parent process can read it and point its clients there; where recordings go
    follows on stderr, then the RTMP(S) ingest URLs and the RTMPS certificate.
    ``on_listening`` is called once the socket is bound and the URL printed (the
    CLI warns there of an address beyond loopback). The other arguments are
    those of :class:`LocalIVSRealTime`.
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
        state_dir=state_dir,
        request_logger=request_logger,
        rtmp_port=rtmp_port,
        rtmps_port=rtmps_port,
        rtmps_cert=rtmps_cert,
        rtmps_key=rtmps_key,
        s3_endpoint_url=s3_endpoint_url,
        recordings_dir=recordings_dir,
    )
    asyncio.run(_serve(server, on_listening))


async def _serve(server: LocalIVSRealTime, on_listening: Callable[[], None] | None) -> None:
    from ._runner import signals_caught

    async with signals_caught() as stop, server:
        sys.stdout.write(server.endpoint_url + "\n")
        sys.stdout.flush()
        sys.stderr.write(f"recordings: {server.backend.recordings_location()}\n")
        if server.rtmp_endpoint is None:
            sys.stderr.write("RTMP ingest: unavailable (off, or no [media] extra)\n")
        else:
            sys.stderr.write(f"RTMP ingest: {server.rtmp_endpoint}<stream key>\n")
        if server.rtmps_endpoint is not None:
            sys.stderr.write(f"RTMPS ingest: {server.rtmps_endpoint}<stream key>\n")
            sys.stderr.write(f"RTMPS certificate: {server.rtmps_certificate}\n")
        sys.stderr.flush()
        if on_listening is not None:
            on_listening()
        await stop.wait()
