"""A loopback HTTP server that answers each path with canned bytes, as fast as it can.

It takes the emulator's own cost (state, JWT signing) out of the hot-path
figures, so the ratios measure the client side: the raw boto client against
the SDK over it. The canned bodies are real emulator responses.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    b"x-amzn-RequestId: 00000000-0000-0000-0000-000000000000\r\nContent-Length: "
)


#: Answers one request: (path, request body) -> response body.
Responder = Callable[[bytes, bytes], bytes]


class _Protocol(asyncio.Protocol):
    def __init__(self, respond: Responder) -> None:
        self._respond = respond
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self._buffer[:end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(self._buffer) < end + 4 + length:
                return
            request_body = self._buffer[end + 4 : end + 4 + length]
            self._buffer = self._buffer[end + 4 + length :]
            path = head.split(b" ", 2)[1].split(b"?", 1)[0]
            body = self._respond(path, request_body)
            assert self._transport is not None
            self._transport.write(_HEAD + str(len(body)).encode() + b"\r\n\r\n" + body)


@contextmanager
def fixed_server(respond: Responder) -> Iterator[str]:
    """Serve ``respond``'s answers on a loopback port; yield the endpoint URL."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    box: dict[str, asyncio.base_events.Server] = {}

    async def start() -> None:
        box["server"] = await loop.create_server(lambda: _Protocol(respond), "127.0.0.1", 0)
        started.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop)
    started.wait(5)
    server = box["server"]
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:

        async def stop() -> None:
            server.close()
            await server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
