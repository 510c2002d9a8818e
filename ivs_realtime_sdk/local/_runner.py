"""The thread, event loop and listening socket an emulator runs on, and the foreground wait.

``LocalIVSRealTime`` serves either on the caller's running loop (``async
with``) or on a loop of its own in a daemon thread (``with``); ``serve`` runs
in the foreground until SIGINT or SIGTERM. None of it knows the service.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import AsyncGenerator, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from aiohttp import web

__all__ = ["LoopThread", "listen", "signals_caught"]

T = TypeVar("T")
# Generous: 1,000 concurrent clients connect at once in the load benchmarks.
_BACKLOG = 4096
_SHUTDOWN_TIMEOUT = 2.0


class LoopThread:
    """An event loop running on a daemon thread of its own."""

    def __init__(self, name: str) -> None:
        """Start the loop and its thread."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def stop(self) -> None:
        """Stop the loop and wait for its thread to end."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()

    def _run(self) -> None:
        loop = self._loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_forever()
        finally:
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                loop.close()


async def listen(handler: Any, host: str, port: int) -> tuple[web.ServerRunner, int]:
    """Serve ``handler`` (an aiohttp low-level handler) on ``host:port``; return the bound port."""
    from aiohttp import web

    server = web.Server(handler, access_log=None)
    runner = web.ServerRunner(server, shutdown_timeout=_SHUTDOWN_TIMEOUT)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=_BACKLOG)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner, _bound_port(runner)


def _bound_port(runner: Any) -> int:
    for site in runner.sites:
        server = getattr(site, "_server", None)
        for sock in getattr(server, "sockets", None) or ():
            port: int = sock.getsockname()[1]
            return port
    raise RuntimeError("the emulator has no listening socket")


@contextlib.asynccontextmanager
async def signals_caught() -> AsyncGenerator[asyncio.Event]:
    """Catch SIGINT and SIGTERM (where the platform lets a loop) into the event yielded.

    Entered before the server starts, so a signal sent as soon as its URL is
    printed already stops it cleanly.
    """
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
        yield stop
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
