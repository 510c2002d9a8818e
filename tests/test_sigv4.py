"""FastSigV4Auth signs exactly as botocore's SigV4Auth: same headers, byte for byte."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from hypothesis import given
from hypothesis import strategies as st

from ivs_realtime_sdk._botocore_tuning._sigv4 import FastSigV4Auth

from .signing_clock import freeze_signing_clock

NOW = datetime.datetime(2026, 11, 30, 23, 59, 58)

header_names = st.sampled_from(
    [
        "Content-Type",
        "X-Amz-Target",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
        "User-Agent",
        "X-Amzn-Trace-Id",
        "Expect",
        "Host",
        "X-Custom",
        "x-amz-content-sha256",
        "Date",
    ]
)
header_values = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=0, max_size=20
)
urls = st.sampled_from(
    [
        "https://ivsrealtime.us-east-1.amazonaws.com/CreateStage",
        "http://127.0.0.1:8080/GetStage",
        "http://LOCALHOST:80/tags/arn%3Aaws%3Aivs%3Aus-east-1%3A1%3Astage%2Fabc",
        "https://ivsrealtime.us-east-1.amazonaws.com:443/ListStages?b=2&a=1",
        "http://[::1]:9000/CreateParticipantToken",
    ]
)
bodies = st.one_of(st.binary(max_size=200), st.just(b""), st.text(max_size=20), st.none())


def _signed(
    cls: type[SigV4Auth],
    request: dict[str, Any],
    token: str | None,
    secret: str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
) -> dict[str, str]:
    aws = AWSRequest(
        method=request["method"],
        url=request["url"],
        data=request["body"],
        headers=dict(request["headers"]),
        params=request["params"],
    )
    aws.context = dict(request["context"])
    credentials = Credentials("AKIDEXAMPLE", secret, token)
    cls(credentials, "ivs", "us-east-1").add_auth(aws)
    return dict(aws.headers.items())


@given(
    method=st.sampled_from(["POST", "GET", "DELETE"]),
    url=urls,
    body=bodies,
    headers=st.dictionaries(header_names, header_values, max_size=6),
    params=st.dictionaries(st.sampled_from(["tagKeys", "a b", "ü"]), header_values, max_size=2),
    token=st.one_of(st.none(), st.just("session-token")),
    unsigned=st.booleans(),
)
def test_fast_signing_gives_botocores_headers(
    method: str,
    url: str,
    body: bytes | str | None,
    headers: dict[str, str],
    params: dict[str, str],
    token: str | None,
    unsigned: bool,
) -> None:
    request = {
        "method": method,
        "url": url,
        "body": body,
        "headers": headers,
        "params": params,
        "context": {"payload_signing_enabled": False} if unsigned else {},
    }
    with pytest.MonkeyPatch.context() as patch:
        freeze_signing_clock(patch, NOW)
        assert _signed(FastSigV4Auth, request, token) == _signed(SigV4Auth, request, token)


def test_the_signing_key_follows_the_secret_and_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    request = {
        "method": "POST",
        "url": "https://ivsrealtime.us-east-1.amazonaws.com/CreateStage",
        "body": b"{}",
        "headers": {"Content-Type": "application/json"},
        "params": {},
        "context": {},
    }
    seen: set[str] = set()
    for day in (NOW, NOW + datetime.timedelta(days=1)):
        freeze_signing_clock(monkeypatch, day)
        for secret in ("one", "two"):
            fast = _signed(FastSigV4Auth, request, None, secret)["Authorization"]
            assert fast == _signed(SigV4Auth, request, None, secret)["Authorization"]
            seen.add(fast)
    assert len(seen) == 4
