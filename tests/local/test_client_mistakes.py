"""A client's mistake always gets a 4xx with a modelled error; 5xx is for faults and real bugs."""

from __future__ import annotations

import http.client
import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.local._model import operations, service_model

ACCESS_KEY, SECRET = "AKIDFUZZ", "fuzz-secret"
MODELLED_CLIENT_ERRORS = {
    "ValidationException",
    "ResourceNotFoundException",
    "ConflictException",
    "ServiceQuotaExceededException",
    "AccessDeniedException",
    "UnknownOperationException",
}


class Client:
    """Signs and sends raw requests over one kept-alive connection."""

    def __init__(self, server: LocalIVSRealTime) -> None:
        self._server = server
        self._credentials = Credentials(ACCESS_KEY, SECRET)
        self._signer = SigV4Auth(self._credentials, service_model().signing_name, server.region)
        self._connection = http.client.HTTPConnection(server.host, server.port, timeout=30)

    def send(self, method: str, path: str, body: bytes) -> tuple[int, str, dict[str, Any]]:
        request = AWSRequest(
            method=method,
            url=self._server.endpoint_url + path,
            data=body,
            headers={"Content-Type": "application/json"},
        )
        self._signer.add_auth(request)
        try:
            self._connection.request(method, path, body=body, headers=dict(request.headers))
            response = self._connection.getresponse()
        except (ConnectionError, http.client.HTTPException):
            # The server may close a connection after a refused body: open a new one, once.
            self._connection.close()
            self._connection.request(method, path, body=body, headers=dict(request.headers))
            response = self._connection.getresponse()
        raw = response.read()
        payload: dict[str, Any] = json.loads(raw) if raw else {}
        return response.status, response.getheader("x-amzn-ErrorType") or "", payload

    def close(self) -> None:
        self._connection.close()


@pytest.fixture(scope="module")
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime(credentials={ACCESS_KEY: SECRET}) as server:
        yield server


@pytest.fixture(scope="module")
def client(server: LocalIVSRealTime) -> Iterator[Client]:
    client = Client(server)
    yield client
    client.close()


def _route(
    name: str, arn: str = "arn:aws:ivs:us-east-1:123456789012:stage/abcd"
) -> tuple[str, str]:
    info = operations()[name]
    path = info.request_uri
    if "{resourceArn}" in path:
        path = path.replace("{resourceArn}", quote(arn, safe=""))
    return info.method, path


def _assert_client_error(status: int, code: str, payload: dict[str, Any]) -> None:
    assert 400 <= status < 500, (status, code, payload)
    assert code in MODELLED_CLIENT_ERRORS, (status, code, payload)
    assert payload.get("message"), payload


def _nested(depth: int) -> bytes:
    return b'{"tags": ' + b'{"a": ' * depth + b'"x"' + b"}" * depth + b"}"


# -- the three bodies that got 500 ----------------------------------------------------------


def test_json_nested_5000_deep_is_a_validation_error(client: Client) -> None:
    status, code, payload = client.send(*_route("CreateStage"), _nested(5000))
    _assert_client_error(status, code, payload)
    assert payload["message"] == "Request body is nested too deeply"


def test_a_30_mb_body_is_a_validation_error_that_says_so(client: Client) -> None:
    body = json.dumps({"name": "x" * (30 * 1024 * 1024)}).encode()
    status, code, payload = client.send(*_route("CreateStage"), body)
    _assert_client_error(status, code, payload)
    assert "Request body is larger than the limit of" in payload["message"]


def test_explicit_nulls_are_read_as_absent(client: Client) -> None:
    body = b'{"name": null, "participantTokenConfigurations": null}'
    status, _, payload = client.send(*_route("CreateStage"), body)
    assert status == 200, payload
    assert payload["participantTokens"] == []
    nested = b'{"participantTokenConfigurations": [{"userId": null, "capabilities": null}]}'
    status, _, payload = client.send(*_route("CreateStage"), nested)
    assert status == 200, payload
    assert sorted(payload["participantTokens"][0]["capabilities"]) == ["PUBLISH", "SUBSCRIBE"]


def test_a_null_required_member_gets_the_service_message(client: Client) -> None:
    status, code, payload = client.send(*_route("GetStage"), b'{"arn": null}')
    _assert_client_error(status, code, payload)
    assert (
        "Value null at 'arn' failed to satisfy constraint: Member must not be null"
        in (payload["message"])
    )


def test_a_real_bug_is_logged_with_its_traceback_and_never_sent(
    server: LocalIVSRealTime,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from ivs_realtime_sdk.local import _server

    def broken(store: Any, params: Any) -> Any:
        raise KeyError("secret-internal-detail")

    route = server._dispatcher._routes[("POST", "/ListStages")]  # pyright: ignore[reportPrivateUsage]
    monkeypatch.setitem(
        server._dispatcher._routes,  # pyright: ignore[reportPrivateUsage]
        ("POST", "/ListStages"),
        _server._Route(route.name, route.validator, broken),  # pyright: ignore[reportPrivateUsage]
    )
    with caplog.at_level(logging.ERROR, logger="ivs_realtime_sdk.local"):
        status, code, payload = client.send(*_route("ListStages"), b"{}")
    assert (status, code) == (500, "InternalServerException")
    assert "secret-internal-detail" not in json.dumps(payload)
    assert "Traceback" not in json.dumps(payload)
    assert any(
        record.exc_info and "secret-internal-detail" in str(record.exc_info[1])
        for record in caplog.records
    )


# -- anything a client can send --------------------------------------------------------------

_KEYS = sorted(
    {
        name
        for info in operations().values()
        if info.input_shape is not None
        for name in info.input_shape.members
    }
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["PUBLISH", "SUBSCRIBE", "arn:aws:ivs:us-east-1:123456789012:stage/abcd"]),
    st.text(max_size=3).map(lambda s: s * 100_000),  # huge strings
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)
_objects = st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=8), _values, max_size=6)
_bodies = st.one_of(
    _objects.map(lambda body: json.dumps(body).encode()),
    _values.map(lambda body: json.dumps(body).encode()),
    st.integers(min_value=1, max_value=6000).map(_nested),
    st.binary(max_size=40),
    st.sampled_from([b"", b"{", b"NaN", b'{"name": NaN}', b"[]", b'"x"', b"\xff\xfe"]),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    name=st.sampled_from(sorted(operations())),
    arn=st.text(max_size=60) | st.just("arn:aws:ivs:us-east-1:123456789012:stage/abcd"),
    body=_bodies,
)
def test_no_body_sent_to_any_operation_gets_a_5xx(
    client: Client, name: str, arn: str, body: bytes
) -> None:
    status, code, payload = client.send(*_route(name, arn or "x"), body)
    if status >= 300:
        _assert_client_error(status, code, payload)


def test_the_emulator_keeps_answering_after_all_that(client: Client) -> None:
    status, _, payload = client.send(*_route("ListStages"), b"{}")
    assert status == 200, payload
