"""The RTMP and RTMPS listeners and the registry of live connections."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from ._chunks import Limits
from ._connection import Connection, ConnectionSettings
from ._tls import TlsFiles, generate_self_signed, server_context
from ._types import Authorize, EndReason, IngestProtocol

log = logging.getLogger("ivs_realtime_sdk.local.rtmp")


class RtmpIngestServer:
    """Accepts encoders on an RTMP port and (optionally) an RTMPS port.

    `authorize` is asked for every publish before it is acknowledged; what
    it accepts is fed to the sink it returns. Many connections run at once,
    each in its own task; one failing never touches the others.
    """

    def __init__(
        self,
        authorize: Authorize,
        *,
        host: str = "127.0.0.1",
        rtmp_port: int = 0,
        rtmps_port: int | None = 0,
        tls: TlsFiles | None = None,
        idle_timeout: float = 5.0,
        setup_timeout: float = 10.0,
        max_connections: int = 64,
        limits: Limits | None = None,
    ) -> None:
        """Configure (nothing listens until `start`).

        Args:
            authorize: called with each publish request; sync or async.
            host: the address to bind (loopback for the emulator).
            rtmp_port: 0 picks a free port.
            rtmps_port: 0 picks a free port; None disables RTMPS.
            tls: certificate and key; None generates a self-signed pair.
            idle_timeout: seconds without data before a publisher is dropped.
            setup_timeout: seconds allowed for each step before publishing.
            max_connections: connections beyond this are closed at once
                (with `Limits`, this bounds the worst-case memory: about
                7 MiB per connection).
            limits: chunk/message memory caps per connection.
        """
        self._authorize = authorize
        self._host = host
        self._want_rtmp_port = rtmp_port
        self._want_rtmps_port = rtmps_port
        self._tls = tls
        self._settings = ConnectionSettings(
            idle_timeout=idle_timeout,
            setup_timeout=setup_timeout,
            limits=limits or Limits(),
        )
        self._max_connections = max_connections
        self._servers: list[asyncio.Server] = []
        self._tasks: dict[int, tuple[Connection, asyncio.Task[None]]] = {}
        self._ids = itertools.count(1)
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        self.rtmp_port = 0
        self.rtmps_port: int | None = None
        self.stats: dict[str, int] = {}
        """Counters: refused, handler_errors, sink_errors, over_capacity."""

    @property
    def tls_files(self) -> TlsFiles | None:
        """The RTMPS certificate in use (give `cert_path` to encoders to trust)."""
        return self._tls

    @property
    def active_connections(self) -> int:
        """Open TCP connections, publishing or not."""
        return len(self._tasks)

    def endpoint(self, protocol: IngestProtocol) -> str:
        """The ingest URL prefix to which encoders append the stream key."""
        if protocol is IngestProtocol.RTMPS:
            return f"rtmps://{self._host}:{self.rtmps_port}/app/"
        return f"rtmp://{self._host}:{self.rtmp_port}/app/"

    async def start(self) -> None:
        """Bind the listeners (ports are known when this returns)."""
        plain = await asyncio.start_server(
            self._handler(IngestProtocol.RTMP), self._host, self._want_rtmp_port
        )
        self._servers.append(plain)
        self.rtmp_port = plain.sockets[0].getsockname()[1]
        if self._want_rtmps_port is not None:
            if self._tls is None:
                self._tmpdir = tempfile.TemporaryDirectory(prefix="ivs-rtmps-")
                self._tls = generate_self_signed(Path(self._tmpdir.name))
            secure = await asyncio.start_server(
                self._handler(IngestProtocol.RTMPS),
                self._host,
                self._want_rtmps_port,
                ssl=server_context(self._tls),
                ssl_handshake_timeout=self._settings.setup_timeout,
            )
            self._servers.append(secure)
            self.rtmps_port = secure.sockets[0].getsockname()[1]
        log.info(
            "rtmp ingest listening: rtmp port %d, rtmps port %s",
            self.rtmp_port,
            self.rtmps_port,
        )

    async def stop(self) -> None:
        """Close listeners, end every connection (sinks get SERVER_STOPPED)."""
        for server in self._servers:
            server.close()
        entries = list(self._tasks.values())
        for conn, _ in entries:
            conn.request_stop(EndReason.SERVER_STOPPED)
        tasks = [t for _, t in entries]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=self._settings.setup_timeout)
            # Only a task stuck in something that ignores a dead socket (a
            # hung authorize callback past its own timeout) gets here.
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()
        self._servers.clear()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    async def disconnect(self, connection_id: int) -> bool:
        """End one connection (DisconnectParticipant, deleted configuration)."""
        entry = self._tasks.get(connection_id)
        if entry is None:
            return False
        conn, task = entry
        conn.request_stop(EndReason.DISCONNECTED)
        done, _ = await asyncio.wait([task], timeout=self._settings.setup_timeout)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        return True

    async def __aenter__(self) -> RtmpIngestServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def _handler(
        self, protocol: IngestProtocol
    ) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            if len(self._tasks) >= self._max_connections:
                self.stats["over_capacity"] = self.stats.get("over_capacity", 0) + 1
                writer.transport.abort()
                return
            conn_id = next(self._ids)
            conn = Connection(
                conn_id, reader, writer, protocol, self._authorize, self._settings, self.stats
            )
            task = asyncio.current_task()
            assert task is not None
            self._tasks[conn_id] = (conn, task)
            try:
                await conn.run()
            finally:
                self._tasks.pop(conn_id, None)

        return handle
