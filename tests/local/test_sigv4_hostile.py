"""SigV4 with credentials: the body is always signed, host must be, the admin API is signed too."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import boto3
import pytest

from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.local._sigv4 import MAX_AUTHORIZATION

from .test_hostile_input import send
from .test_sigv4 import ACCESS_KEY, NO_RETRIES, SECRET


@pytest.fixture
def server() -> Iterator[LocalIVSRealTime]:
    """An emulator that verifies signatures by one key."""
    with LocalIVSRealTime(credentials={ACCESS_KEY: SECRET}) as running:
        yield running


def signed(
    server: LocalIVSRealTime,
    method: str,
    path: str,
    body: bytes,
    *,
    payload_hash: str | None = None,
    sign_host: bool = True,
    secret: str = SECRET,
) -> dict[str, str]:
    """Headers signing a request by hand, with the payload hash and signed headers chosen."""
    amz_date = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    content_hash = payload_hash or hashlib.sha256(body).hexdigest()
    headers = {
        "host": f"{server.host}:{server.port}",
        "x-amz-date": amz_date,
        "x-amz-content-sha256": content_hash,
    }
    names = sorted(name for name in headers if sign_host or name != "host")
    canonical = "\n".join(
        [
            method,
            quote(path, safe="/~"),
            "",
            "".join(f"{name}:{headers[name]}\n" for name in names),
            ";".join(names),
            content_hash,
        ]
    )
    scope = f"{day}/{server.region}/ivs/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = f"AWS4{secret}".encode()
    for part in (day, server.region, "ivs", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    del headers["host"]
    headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return headers


def _stage_names(server: LocalIVSRealTime) -> list[str]:
    status, payload, _ = send(
        server, "POST", "/ListStages", b"{}", signed(server, "POST", "/ListStages", b"{}")
    )
    assert status == 200, payload
    return [s["name"] for s in payload["stages"]]


def test_a_signed_request_by_hand_works(server: LocalIVSRealTime) -> None:
    body = b'{"name":"fine"}'
    status, payload, _ = send(
        server, "POST", "/CreateStage", body, signed(server, "POST", "/CreateStage", body)
    )
    assert status == 200, payload
    assert _stage_names(server) == ["fine"]


def test_unsigned_payload_with_a_changed_body_is_403_and_not_stored(
    server: LocalIVSRealTime,
) -> None:
    headers = signed(
        server, "POST", "/CreateStage", b'{"name":"a"}', payload_hash="UNSIGNED-PAYLOAD"
    )
    status, payload, code = send(server, "POST", "/CreateStage", b'{"name":"tampered"}', headers)
    assert (status, code) == (403, "InvalidSignatureException"), payload
    assert _stage_names(server) == []


def test_signed_headers_without_host_are_403(server: LocalIVSRealTime) -> None:
    body = b'{"name":"nohost"}'
    headers = signed(server, "POST", "/CreateStage", body, sign_host=False)
    status, payload, code = send(server, "POST", "/CreateStage", body, headers)
    assert (status, code) == (403, "IncompleteSignatureException"), payload
    assert "'Host' or ':authority' must be a 'SignedHeader'" in payload["message"]
    assert _stage_names(server) == []


@pytest.mark.parametrize("length", [MAX_AUTHORIZATION - 100, MAX_AUTHORIZATION + 1])
def test_a_long_authorization_header_of_word_characters_is_403(
    server: LocalIVSRealTime, length: int
) -> None:
    header = "AWS4-HMAC-SHA256 " + "a" * (length - 17)
    status, payload, code = send(server, "POST", "/ListStages", b"{}", {"Authorization": header})
    if length > MAX_AUTHORIZATION:
        # aiohttp refuses a header line of more than 8190 bytes before anything reads it.
        assert status == 400, payload
    else:
        assert (status, code) == (403, "IncompleteSignatureException"), payload


_ADMIN = [
    ("POST", "/_emulator/reset", b""),
    ("POST", "/_emulator/faults", b'{"status": 500, "code": "Boom"}'),
    ("DELETE", "/_emulator/faults", b""),
    ("POST", "/_emulator/participants", b'{"token": "x"}'),
    ("POST", "/_emulator/participants/p/leave", b""),
    ("GET", "/_emulator/events", b""),
    ("GET", "/_emulator/stats", b""),
    ("GET", "/_emulator/health", b""),
]


@pytest.mark.parametrize(("method", "path", "body"), _ADMIN)
def test_the_admin_api_needs_a_signature_when_credentials_are_set(
    server: LocalIVSRealTime, method: str, path: str, body: bytes
) -> None:
    created = b'{"name":"kept"}'
    send(server, "POST", "/CreateStage", created, signed(server, "POST", "/CreateStage", created))
    status, payload, code = send(server, method, path, body, {"Authorization": ""})
    assert (status, code) == (403, "MissingAuthenticationTokenException"), payload
    wrong = signed(server, method, path, body, secret="not-the-secret")
    status, payload, code = send(server, method, path, body, wrong)
    assert (status, code) == (403, "InvalidSignatureException"), payload
    assert _stage_names(server) == ["kept"]
    assert server.faults.rules == ()
    status, payload, _ = send(server, method, path, body, signed(server, method, path, body))
    assert status < 500, payload
    assert status != 403, payload


def test_the_media_plane_authenticates_by_token_not_signature(server: LocalIVSRealTime) -> None:
    pytest.importorskip("aiortc")
    status, payload, _ = send(server, "POST", "/_emulator/whip", b"v=0", {"Authorization": ""})
    assert status == 401, payload


def test_credentials_come_from_the_environment() -> None:
    command = [sys.executable, "-m", "ivs_realtime_sdk", "local", "--port", "0"]
    env = dict(os.environ, IVS_REALTIME_LOCAL_CREDENTIALS=f"{ACCESS_KEY}:{SECRET},AKIDB:b")
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as process:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        try:
            options: dict[str, Any] = {
                "region_name": "us-east-1",
                "config": NO_RETRIES,
                "endpoint_url": url,
            }
            for key, secret in ((ACCESS_KEY, SECRET), ("AKIDB", "b")):
                right = boto3.client(
                    "ivs-realtime", aws_access_key_id=key, aws_secret_access_key=secret, **options
                )
                assert right.list_stages()["stages"] == []
            wrong = boto3.client(
                "ivs-realtime", aws_access_key_id="AKIDB", aws_secret_access_key="x", **options
            )
            with pytest.raises(Exception, match="InvalidSignatureException"):
                wrong.list_stages()
        finally:
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
    assert SECRET not in " ".join(command)


def test_a_malformed_credentials_variable_is_a_clear_error_without_the_secret() -> None:
    command = [sys.executable, "-m", "ivs_realtime_sdk", "local", "--port", "0"]
    env = dict(os.environ, IVS_REALTIME_LOCAL_CREDENTIALS="AKID:top-secret,nocolon")
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=30, check=False)
    assert done.returncode != 0
    assert "IVS_REALTIME_LOCAL_CREDENTIALS" in done.stderr
    assert "top-secret" not in done.stderr + done.stdout
    assert json.dumps(done.stderr)  # one readable message, no traceback
    assert "Traceback" not in done.stderr
