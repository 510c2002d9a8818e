"""One ``send`` per request on the sync clients the SDK creates, as botocore intends.

botocore's ``AWSConnection._send_output`` appends a bytes body to the request
head so that both leave in one ``send``, "to avoid performance problems caused
by the interaction between delayed ack and the Nagle algorithm". urllib3 2
defeats that: its ``HTTPConnection.request`` ends the head without the body
and sends the body in a second ``send``. So every JSON call costs two system
calls and two TCP segments.

The connections here keep the head of a request with a bytes body back until
the body comes, and send both at once, inside urllib3's ``request`` as
before, so send errors surface where they did. The bytes on the wire are the
same, in the same order; requests without a body, with a streamed body, or
that expect ``100-continue`` go out exactly as botocore sends them.
"""

from __future__ import annotations

from typing import Any

from botocore.awsrequest import (
    AWSHTTPConnection,
    AWSHTTPConnectionPool,
    AWSHTTPSConnection,
    AWSHTTPSConnectionPool,
)

__all__ = ["install"]


class _OneSend:
    """Mixin over botocore's AWSConnection: hold the head back until the body."""

    _held: bytes | None = None
    _bytes_body_follows = False
    _buffer: list[bytes | str]
    _expect_header_set: bool

    def request(self, method: str, url: str, body: Any = None, *args: Any, **kwargs: Any) -> Any:
        base: Any = super()
        # Only a bytes body is sent in one piece right after the head; anything
        # else (no body, a file, chunks) goes out exactly as before.
        self._bytes_body_follows = isinstance(body, bytes) and len(body) > 0
        try:
            return base.request(method, url, body, *args, **kwargs)
        finally:
            self._bytes_body_follows = False

    def _send_output(self, message_body: Any = None, *args: Any, **kwargs: Any) -> None:
        base: Any = super()
        if not self._bytes_body_follows or self._expect_header_set or message_body is not None:
            base._send_output(message_body, *args, **kwargs)
            return
        self._buffer.extend((b"", b""))
        self._held = base._convert_to_bytes(self._buffer)
        del self._buffer[:]

    def send(self, str: Any) -> Any:  # botocore's name for the data
        base: Any = super()
        held, self._held = self._held, None
        if held is not None:
            if isinstance(str, bytes):
                str = held + str
            else:
                base.send(held)
        return base.send(str)

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        base: Any = super()
        held, self._held = self._held, None
        if held is not None:
            base.send(held)
        return base.getresponse(*args, **kwargs)

    def close(self) -> None:
        base: Any = super()
        self._held = None
        base.close()


class _HTTPConnection(_OneSend, AWSHTTPConnection):  # type: ignore[misc]
    pass


class _HTTPSConnection(_OneSend, AWSHTTPSConnection):  # type: ignore[misc]
    pass


class _HTTPPool(AWSHTTPConnectionPool):  # type: ignore[misc]
    ConnectionCls = _HTTPConnection


class _HTTPSPool(AWSHTTPSConnectionPool):  # type: ignore[misc]
    ConnectionCls = _HTTPSConnection


def install(http_session: Any) -> None:
    """Make a new botocore URLLib3Session's connections send each request at once."""
    pools: dict[str, type] = http_session._pool_classes_by_scheme
    pools["http"] = _HTTPPool
    pools["https"] = _HTTPSPool
