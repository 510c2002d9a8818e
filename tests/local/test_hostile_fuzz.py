"""Signed hostile bodies to every operation, admin route and WHIP route: no 5xx, nothing poisoned.

Strings may hold lone surrogates, control characters and non-characters;
numbers may be NaN, infinite or huge. The operations' bodies are drawn from
the shipped service model's input shapes. After each request a ListStages
must answer 200: no request may break a later one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.local._model import operations

from .test_hostile_input import send
from .test_sigv4 import ACCESS_KEY, SECRET
from .test_sigv4_hostile import signed

_HOSTILE_TEXT = ["\ud800", "\udcff", "\x00", "\x1f", "\x7f", "\ufffe", "\uffff", "\U0010ffff"]
_texts = st.one_of(
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=20),
    st.text(alphabet=st.sampled_from(["a", *_HOSTILE_TEXT]), min_size=1, max_size=4),
    st.sampled_from(_HOSTILE_TEXT),
    st.lists(st.sampled_from([*_HOSTILE_TEXT, "a", "aws:", "-"]), max_size=6).map("".join),
)
_numbers = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, 1.7e308, -1.7e308, 10**30, -(10**30)]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
)
_anything = st.one_of(_texts, _numbers, st.booleans(), st.none())


def _for_shape(shape: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values for a botocore shape: its type mostly, hostile contents always."""
    kind = shape.type_name
    if depth > 4:
        return _anything
    if kind == "structure":
        members = {
            name: _for_shape(member, depth + 1)
            for name, member in shape.members.items()
            if member.serialization.get("location") is None
        }
        return st.fixed_dictionaries({}, optional=members)
    if kind == "list":
        return st.lists(_for_shape(shape.member, depth + 1), max_size=3)
    if kind == "map":
        return st.dictionaries(_texts, _for_shape(shape.value, depth + 1), max_size=3)
    if kind in ("integer", "long", "float", "double"):
        return _numbers | _anything
    if kind == "boolean":
        return st.booleans() | _anything
    return _texts | _anything


_OPERATIONS = sorted(operations().items())


def _operation_requests() -> st.SearchStrategy[tuple[str, str, bytes]]:
    choices = []
    for _, info in _OPERATIONS:
        shape = info.input_shape
        body = _for_shape(shape) if shape is not None else st.just({})
        path = st.just(info.request_uri)
        if "{" in info.request_uri:
            prefix = info.request_uri.split("{", 1)[0]
            path = _texts.map(lambda t, p=prefix: p + quote(t.encode("utf-8", "surrogatepass")))
        choices.append(
            st.tuples(st.just(info.method), path, body.map(lambda b: json.dumps(b).encode()))
        )
    return st.one_of(choices)


_ADMIN_ROUTES = [
    ("GET", "/_emulator/health"),
    ("GET", "/_emulator/faults"),
    ("POST", "/_emulator/faults"),
    ("DELETE", "/_emulator/faults"),
    ("GET", "/_emulator/stats"),
    ("GET", "/_emulator/events"),
    ("POST", "/_emulator/participants"),
    *(
        ("POST", f"/_emulator/participants/p1/{action}")
        for action in ("publish", "unpublish", "subscribe", "unsubscribe", "leave", "exchange")
    ),
]
_ADMIN_KEYS = st.sampled_from(
    ["token", "publisherId", "operation", "status", "code", "message", "delay", "drop", "times"]
)
_admin_bodies = st.one_of(
    st.dictionaries(_ADMIN_KEYS | _texts, _anything, max_size=5),
    st.lists(st.dictionaries(_ADMIN_KEYS, _anything, max_size=4), max_size=2),
    _anything,
).map(lambda b: json.dumps(b).encode())


@pytest.fixture(scope="module")
def signed_server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime(credentials={ACCESS_KEY: SECRET}) as server:
        yield server


def _check(server: LocalIVSRealTime, method: str, path: str, body: bytes) -> None:
    status, payload, _ = send(server, method, path, body, signed(server, method, path, body))
    assert status < 500, (method, path, body, payload)
    after = signed(server, "POST", "/ListStages", b"{}")
    status, payload, _ = send(server, "POST", "/ListStages", b"{}", after)
    assert status == 200, (method, path, body, payload)


_FUZZ = settings(
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@settings(_FUZZ, max_examples=400)
@given(request=_operation_requests())
# The reproductions of the issue, always tried first.
@example(request=("POST", "/CreateStage", rb'{"name":"s","tags":{"k":"\udcff"}}'))
@example(request=("POST", "/CreateStage", rb'{"tags":{"aws:\ud800":"v"}}'))
@example(request=("POST", "/CreateEncoderConfiguration", b'{"video":{"framerate":NaN}}'))
def test_every_operation_takes_hostile_signed_bodies(
    signed_server: LocalIVSRealTime, request: tuple[str, str, bytes]
) -> None:
    _check(signed_server, *request)


@settings(_FUZZ, max_examples=150)
@given(route=st.sampled_from(_ADMIN_ROUTES), body=_admin_bodies)
def test_every_admin_route_takes_hostile_signed_bodies(
    signed_server: LocalIVSRealTime, route: tuple[str, str], body: bytes
) -> None:
    if route == ("POST", "/_emulator/reset"):
        return
    _check(signed_server, *route, body)
    # No hostile rule stays armed to break the next example.
    signed_server.faults.clear()


_whip_bodies = st.one_of(
    _texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=40),
    st.sampled_from([b"", b"v=0", b"v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"]),
)


@settings(_FUZZ, max_examples=60)
@given(
    kind=st.sampled_from(["publish", "subscribe"]),
    body=_whip_bodies,
    bearer=st.one_of(st.none(), _texts),
    charset=st.sampled_from(["", "; charset=utf-8", "; charset=bogus", "; charset=\x01"]),
)
def test_both_whip_routes_take_hostile_bodies(
    signed_server: LocalIVSRealTime, kind: str, body: bytes, bearer: str | None, charset: str
) -> None:
    pytest.importorskip("aiortc")
    status, payload, _ = send(
        signed_server,
        "POST",
        "/CreateStage",
        b'{"name":"w"}',
        signed(signed_server, "POST", "/CreateStage", b'{"name":"w"}'),
    )
    stage_id = payload["stage"]["arn"].rsplit("/", 1)[1]
    path = f"/_emulator/stages/{stage_id}/whip"
    if kind == "subscribe":
        path += "/subscribe/p1"
    # Any bytes but a line break, which no client can put in a header.
    raw = bearer.encode("utf-8", "surrogatepass").decode("latin-1") if bearer else ""
    token = raw.replace("\r", "").replace("\n", "").strip()
    headers = {
        "Authorization": f"Bearer {token}" if token else "",
        "Content-Type": f"application/sdp{charset}",
    }
    status, payload, _ = send(signed_server, "POST", path, body, headers)
    assert 400 <= status < 500, payload
    after = signed(signed_server, "POST", "/ListStages", b"{}")
    assert send(signed_server, "POST", "/ListStages", b"{}", after)[0] == 200
