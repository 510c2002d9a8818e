"""The tuned clients keep botocore's behaviour: the same bytes, retries and handlers.

A client the SDK creates is tuned (``_wire``, ``_sigv4``, ``_one_send``); a
client passed to ``from_client``, made with the same session and Config, is
botocore's own. Both talk to the emulator through a recording proxy, with the
clock and the invocation id fixed, and must send the very same bytes, retry
the same way, and run the same handlers that users register.
"""

from __future__ import annotations

import datetime
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import aioboto3
import boto3
import pytest

from ivs_realtime_sdk import (
    AsyncIVSRealTime,
    IVSRealTime,
    ParticipantTokenConfig,
    StageSpec,
)
from ivs_realtime_sdk._botocore_tuning._wire import installed
from ivs_realtime_sdk._config import client_config
from ivs_realtime_sdk._shipped import session_with_shipped_model
from ivs_realtime_sdk.errors import InternalServerError, ValidationError
from ivs_realtime_sdk.local import LocalIVSRealTime

from .signing_clock import freeze_signing_clock

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
NOW = datetime.datetime(2026, 11, 30, 12, 0, 0)
SPEC = StageSpec(
    name="wire",
    participant_token_configurations=[
        ParticipantTokenConfig(user_id=f"u{i}", attributes={"é": "ü" * i}, duration=i + 1)
        for i in range(12)
    ],
    tags={"k": "v"},
)


class RecordingProxy:
    """Forwards raw HTTP/1.1 requests to the emulator and keeps each request's bytes."""

    def __init__(self, upstream: str) -> None:
        host, _, port = upstream.removeprefix("http://").partition(":")
        self._upstream = (host, int(port))
        self.requests: list[bytes] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(self._upstream)
        with client, upstream:
            downstream_buffer = b""
            upstream_buffer = b""
            while True:
                request, downstream_buffer = _read_message(client, downstream_buffer)
                if request is None:
                    return
                self.requests.append(request)
                upstream.sendall(request)
                response, upstream_buffer = _read_message(upstream, upstream_buffer)
                if response is None:
                    return
                client.sendall(response)

    def close(self) -> None:
        self._listener.close()


def _read_message(sock: socket.socket, buffer: bytes) -> tuple[bytes | None, bytes]:
    """One HTTP message with a Content-Length (or none) from ``sock``, and what follows it."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None, buffer
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None, buffer
        rest += chunk
    return head + b"\r\n\r\n" + rest[:length], rest[length:]


@pytest.fixture(scope="module")
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as running:
        yield running


@pytest.fixture
def proxy(server: LocalIVSRealTime) -> Iterator[RecordingProxy]:
    recording = RecordingProxy(server.endpoint_url)
    yield recording
    recording.close()
    server.faults.clear()


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fix what differs between any two calls: the clock and the invocation id."""
    fixed = uuid.UUID(int=15)
    freeze_signing_clock(monkeypatch, NOW)
    monkeypatch.setattr("botocore.endpoint.uuid", SimpleNamespace(uuid4=lambda: fixed))


def _pair(url: str, session: boto3.Session | None = None) -> tuple[IVSRealTime, IVSRealTime]:
    session = session or boto3.Session(region_name="us-east-1", **CREDENTIALS)
    tuned = IVSRealTime(session=session, endpoint_url=url)
    # botocore's own client of the same (shipped) model, untouched by the tunings.
    plain = IVSRealTime.from_client(
        session_with_shipped_model(session).create_client(
            "ivs-realtime", endpoint_url=url, config=client_config(None)
        )
    )
    assert installed(tuned._client) == {  # pyright: ignore[reportPrivateUsage]
        "reader",
        "serializer",
        "user_agent",
        "sigv4",
        "one_send",
    }
    assert not installed(plain._client)  # pyright: ignore[reportPrivateUsage]
    return tuned, plain


def _calls(sdk: IVSRealTime, arn: str) -> None:
    sdk.create_stage(SPEC)
    sdk.get_stage(arn)
    sdk.list_stages(max_results=2)
    sdk.tag_resource(arn, {"a": "b c"})
    sdk.untag_resource(arn, ["a"])
    sdk.list_tags_for_resource(arn)
    sdk.create_participant_token(arn, ParticipantTokenConfig(user_id="ü", duration=5))


@pytest.mark.usefixtures("frozen")
def test_the_same_bytes_on_the_wire_sync(proxy: RecordingProxy) -> None:
    tuned, plain = _pair(proxy.url)
    arn = tuned.create_stage(StageSpec(name="target")).stage.arn
    sent: list[list[bytes]] = []
    for sdk in (tuned, plain):
        del proxy.requests[:]
        _calls(sdk, arn)
        sent.append(list(proxy.requests))
    assert len(sent[0]) == 7
    assert sent[0] == sent[1]
    assert b"Authorization: AWS4-HMAC-SHA256" in sent[0][0]


@pytest.mark.usefixtures("frozen")
async def test_the_same_bytes_on_the_wire_async(proxy: RecordingProxy) -> None:
    session = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
    options: dict[str, Any] = {"endpoint_url": proxy.url, "config": client_config(None)}
    async with (
        AsyncIVSRealTime(session=session, endpoint_url=proxy.url) as tuned,
        session_with_shipped_model(session).create_client("ivs-realtime", **options) as raw,
    ):
        plain = AsyncIVSRealTime.from_client(raw)
        assert installed(tuned._client) == {  # pyright: ignore[reportPrivateUsage]
            "reader",
            "serializer",
            "user_agent",
            "sigv4",
        }
        arn = (await tuned.create_stage(StageSpec(name="target"))).stage.arn
        sent: list[list[bytes]] = []
        for sdk in (tuned, plain):
            del proxy.requests[:]
            await sdk.create_stage(SPEC)
            await sdk.get_stage(arn)
            await sdk.tag_resource(arn, {"a": "b c"})
            await sdk.untag_resource(arn, ["a"])
            sent.append(list(proxy.requests))
        assert len(sent[0]) == 4
        assert sent[0] == sent[1]


_TTL = re.compile(rb"ttl=\d{8}T\d{6}Z;")


@pytest.mark.usefixtures("frozen")
def test_the_same_retries(proxy: RecordingProxy, server: LocalIVSRealTime) -> None:
    tuned, plain = _pair(proxy.url)
    arn = tuned.create_stage(StageSpec(name="retried")).stage.arn
    sent: list[list[bytes]] = []
    for sdk in (tuned, plain):
        del proxy.requests[:]
        server.faults.fail("GetStage", 500, "InternalServerException", times=1)
        assert sdk.get_stage(arn).arn == arn
        server.faults.fail("GetStage", 400, "ValidationException", times=1)
        with pytest.raises(ValidationError):
            sdk.get_stage(arn)
        # The ttl of a retry follows the server's Date header, the one thing that differs.
        sent.append([_TTL.sub(b"ttl=...;", request) for request in proxy.requests])
    # A retried 500, then a 400 that is not retried: the retry headers count attempts alike.
    assert len(sent[0]) == 3
    assert b"amz-sdk-request: ttl=...; attempt=2; max=4" in sent[0][1]
    assert sent[0] == sent[1]


def test_retries_that_run_out_end_alike(server: LocalIVSRealTime) -> None:
    from botocore.config import Config

    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    config = Config(retries={"total_max_attempts": 2})
    tuned = IVSRealTime(session=session, endpoint_url=server.endpoint_url, config=config)
    plain = IVSRealTime.from_client(
        session_with_shipped_model(session).create_client(
            "ivs-realtime", endpoint_url=server.endpoint_url, config=client_config(config)
        )
    )
    arn = tuned.create_stage(StageSpec()).stage.arn
    seen: list[tuple[str, str, int | None, int]] = []
    for sdk in (tuned, plain):
        server.faults.fail("GetStage", 500, "InternalServerException", times=None)
        before = server.stats["GetStage"].received
        with pytest.raises(InternalServerError) as caught:
            sdk.get_stage(arn)
        server.faults.clear()
        error = caught.value
        seen.append(
            (
                error.code,
                error.message,
                error.status_code,
                server.stats["GetStage"].received - before,
            )
        )
    assert seen[0] == seen[1]
    assert seen[0][3] == 2


EVENTS = (
    "provide-client-params",
    "before-parameter-build",
    "before-endpoint-resolution",
    "before-call",
    "request-created",
    "choose-signer",
    "before-sign",
    "before-send",
    "needs-retry",
    "response-received",
    "before-parse",
    "after-call",
)


@pytest.mark.usefixtures("frozen")
def test_the_same_user_handlers_run_with_the_same_arguments(proxy: RecordingProxy) -> None:
    session = boto3.Session(region_name="us-east-1", **CREDENTIALS)
    fired: list[tuple[str, tuple[str, ...]]] = []

    def record(event_name: str, **kwargs: Any) -> None:
        fired.append((event_name, tuple(sorted(kwargs))))

    def add_header(request: Any, **_: Any) -> None:
        request.headers["x-user-handler"] = "yes"

    for event in EVENTS:
        session.events.register(f"{event}.ivs-realtime", record)
    session.events.register("before-sign.ivs-realtime.GetStage", add_header)
    tuned, plain = _pair(proxy.url, session)
    arn = tuned.create_stage(StageSpec(name="handled")).stage.arn
    runs: list[list[tuple[str, tuple[str, ...]]]] = []
    parsed: list[Any] = []
    for sdk in (tuned, plain):
        del fired[:]
        del proxy.requests[:]
        parsed.append(sdk.get_stage(arn))
        runs.append(list(fired))
        # What the user's handler added to the request was signed and sent.
        assert b"x-user-handler: yes" in proxy.requests[0]
        assert b"x-user-handler" in proxy.requests[0].split(b"SignedHeaders=")[1]
    assert parsed[0] == parsed[1]
    assert {name.split(".")[0] for name, _ in runs[0]} == set(EVENTS)
    assert runs[0] == runs[1]


def test_a_request_with_a_body_leaves_in_one_send(
    server: LocalIVSRealTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    import http.client

    sends: list[int] = []
    original = http.client.HTTPConnection.send

    def counting(self: http.client.HTTPConnection, data: Any) -> None:
        sends.append(len(data))
        original(self, data)

    monkeypatch.setattr(http.client.HTTPConnection, "send", counting)
    tuned, plain = _pair(server.endpoint_url)
    arn = tuned.create_stage(StageSpec(name="sends")).stage.arn
    counts: list[tuple[int, int]] = []
    for sdk in (tuned, plain):
        del sends[:]
        sdk.get_stage(arn)  # POST with a JSON body
        with_body = len(sends)
        del sends[:]
        sdk.list_tags_for_resource(arn)  # GET without a body: unchanged
        counts.append((with_body, len(sends)))
    assert counts == [(1, 1), (2, 1)]
