"""Given credentials, the emulator verifies SigV4 as AWS does; without, it accepts any signature."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import aioboto3
import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime
from ivs_realtime_sdk.errors import AccessDeniedError, InvalidParameterError, ServiceError
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.models import StageSpec

ACCESS_KEY, SECRET = "AKIDEMULATOR", "emulator-secret-of-the-test"
MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime(credentials={ACCESS_KEY: SECRET, "AKIDSECOND": "second"}) as server:
        yield server


def _client(server: LocalIVSRealTime, **overrides: str) -> Any:
    options = {
        "region_name": server.region,
        "aws_access_key_id": ACCESS_KEY,
        "aws_secret_access_key": SECRET,
    }
    options.update(overrides)
    return boto3.client(
        "ivs-realtime", endpoint_url=server.endpoint_url, config=NO_RETRIES, **options
    )


def _refused(call: Callable[[], object]) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as caught:
        call()
    response: Any = caught.value.response
    status: int = response["ResponseMetadata"]["HTTPStatusCode"]
    return status, response["Error"]["Code"], response["Error"]["Message"]


def test_boto3_with_the_right_keys_works_for_every_kind_of_route(server: LocalIVSRealTime) -> None:
    client = _client(server)
    arn = client.create_stage(name="signed")["stage"]["arn"]
    # The tag routes put an encoded ARN in the path and, for untag, a query string.
    client.tag_resource(resourceArn=arn, tags={"a": "1", "b": "2 two"})
    client.untag_resource(resourceArn=arn, tagKeys=["b", "a b"])
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "1"}
    assert _client(server, aws_access_key_id="AKIDSECOND", aws_secret_access_key="second")
    assert server.stats["CreateStage"].succeeded == 1


@pytest.mark.parametrize(
    ("overrides", "status", "code", "message"),
    [
        ({"aws_secret_access_key": "wrong"}, 403, "InvalidSignatureException", MISMATCH),
        (
            {"region_name": "us-west-2"},
            403,
            "InvalidSignatureException",
            "Credential should be scoped to a valid region, not 'us-west-2'. ",
        ),
        (
            {"aws_access_key_id": "AKIDUNKNOWN"},
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ),
    ],
)
def test_boto3_with_wrong_keys_or_region_is_refused(
    server: LocalIVSRealTime, overrides: dict[str, str], status: int, code: str, message: str
) -> None:
    client = _client(server, **overrides)
    assert _refused(lambda: client.list_stages()) == (status, code, message)
    assert server.stats["ListStages"].succeeded == 0


def test_boto3_with_a_wrong_signing_name_is_refused(server: LocalIVSRealTime) -> None:
    client = _client(server)
    client._request_signer._signing_name = "ivsrealtime"  # what a hand-made client might use
    assert _refused(lambda: client.list_stages()) == (
        403,
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'ivs'. ",
    )


def test_the_sdk_maps_the_refusals_to_typed_errors(server: LocalIVSRealTime) -> None:
    session = boto3.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key="wrong")
    with (
        IVSRealTime(
            session=session, region_name=server.region, endpoint_url=server.endpoint_url
        ) as sdk,
        pytest.raises(ServiceError) as caught,
    ):
        sdk.create_stage(StageSpec(name="x"))
    assert caught.value.code == "InvalidSignatureException"
    assert caught.value.status_code == 403
    assert not isinstance(caught.value, AccessDeniedError)


async def test_aioboto3_is_verified_the_same_way(server: LocalIVSRealTime) -> None:
    for secret, ok in ((SECRET, True), ("wrong", False)):
        session = aioboto3.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=secret)
        async with AsyncIVSRealTime(
            session=session, region_name=server.region, endpoint_url=server.endpoint_url
        ) as sdk:
            if ok:
                created = await sdk.create_stage(StageSpec(name="async"))
                assert created.stage.name == "async"
            else:
                with pytest.raises(ServiceError, match="signature we calculated"):
                    await sdk.list_stages()


# -- a raw request, signed by hand (the AWS SigV4 steps, without botocore) ---------------------


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def _signed_by_hand(
    url: str,
    body: bytes,
    *,
    secret: str = SECRET,
    region: str = "us-east-1",
    service: str = "ivs",
    when: datetime | None = None,
) -> dict[str, str]:
    parts = urlsplit(url)
    moment = when or datetime.now(UTC)
    amz_date = moment.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    headers = {"host": parts.netloc, "x-amz-date": amz_date, "content-type": "application/json"}
    signed = ";".join(sorted(headers))
    canonical_headers = "".join(f"{name}:{headers[name]}\n" for name in sorted(headers))
    canonical = "\n".join(
        [
            "POST",
            quote(parts.path, safe="/~"),
            "",
            canonical_headers,
            signed,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = f"AWS4{secret}".encode()
    for part in (day, region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, "
        f"SignedHeaders={signed}, Signature={signature}"
    )
    return headers


def _post(
    server: LocalIVSRealTime, path: str, body: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, Any], str]:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        sent = {k: v for k, v in headers.items() if k != "host"}
        connection.request("POST", path, body=body, headers=sent)
        response = connection.getresponse()
        payload: dict[str, Any] = json.loads(response.read() or b"{}")
        return response.status, payload, response.getheader("x-amzn-ErrorType") or ""
    finally:
        connection.close()


def test_a_request_signed_by_hand_is_accepted(server: LocalIVSRealTime) -> None:
    body = json.dumps({"name": "by-hand"}).encode()
    url = f"{server.endpoint_url}/CreateStage"
    status, payload, _ = _post(server, "/CreateStage", body, _signed_by_hand(url, body))
    assert status == 200, payload
    assert payload["stage"]["name"] == "by-hand"


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ("body", "InvalidSignatureException", MISMATCH),
        ("secret", "InvalidSignatureException", MISMATCH),
        ("service", "InvalidSignatureException", "scoped to correct service: 'ivs'"),
        ("region", "InvalidSignatureException", "valid region, not 'eu-west-1'"),
        ("old", "InvalidSignatureException", "Signature expired: "),
        ("future", "InvalidSignatureException", "Signature not yet current: "),
    ],
)
def test_a_request_signed_by_hand_then_changed_is_refused(
    server: LocalIVSRealTime, change: str, code: str, message: str
) -> None:
    body = json.dumps({"name": "by-hand"}).encode()
    url = f"{server.endpoint_url}/CreateStage"
    now = datetime.now(UTC).timestamp()
    options: dict[str, Any] = {
        "secret": {"secret": "other"},
        "service": {"service": "execute-api"},
        "region": {"region": "eu-west-1"},
        "old": {"when": datetime.fromtimestamp(now - 6 * 60, UTC)},
        "future": {"when": datetime.fromtimestamp(now + 6 * 60, UTC)},
    }.get(change, {})
    headers = _signed_by_hand(url, body, **options)
    sent = body.replace(b"by-hand", b"by-hack") if change == "body" else body
    status, payload, error_type = _post(server, "/CreateStage", sent, headers)
    assert (status, error_type) == (403, code)
    assert message in payload["message"]
    assert server.stats["CreateStage"].succeeded == 0


def test_the_clock_skew_allowance_is_five_minutes(server: LocalIVSRealTime) -> None:
    body = b"{}"
    url = f"{server.endpoint_url}/ListStages"
    now = time.time()
    for offset in (-4 * 60, 4 * 60):
        when = datetime.fromtimestamp(now + offset, UTC)
        status, payload, _ = _post(
            server, "/ListStages", body, _signed_by_hand(url, body, when=when)
        )
        assert status == 200, payload


def test_without_credentials_any_signature_is_accepted_as_before() -> None:
    with LocalIVSRealTime() as server:
        headers = {"Authorization": "AWS4-HMAC-SHA256 Credential=x", "host": "h"}
        status, payload, _ = _post(server, "/ListStages", b"{}", headers)
    assert status == 200, payload


def test_the_secrets_never_show(server: LocalIVSRealTime) -> None:
    shown = repr(server) + repr(server._verifier)  # pyright: ignore[reportPrivateUsage]
    assert SECRET not in shown
    with pytest.raises(InvalidParameterError) as caught:
        LocalIVSRealTime(credentials={"AKID": ""})
    assert "AKID" in str(caught.value)
    with pytest.raises(InvalidParameterError):
        LocalIVSRealTime(credentials={})


def test_the_cli_option_turns_verification_on() -> None:
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "ivs_realtime_sdk", "local", "--port", "0"]
    command += ["--credentials", f"{ACCESS_KEY}:{SECRET}", "--credentials", "AKIDB:b"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        try:
            options = {"region_name": "us-east-1", "config": NO_RETRIES, "endpoint_url": url}
            right = boto3.client(
                "ivs-realtime",
                aws_access_key_id="AKIDB",
                aws_secret_access_key="b",
                **options,
            )
            assert right.list_stages()["stages"] == []
            wrong = boto3.client(
                "ivs-realtime",
                aws_access_key_id=ACCESS_KEY,
                aws_secret_access_key="b",
                **options,
            )
            assert _refused(lambda: wrong.list_stages())[1] == "InvalidSignatureException"
        finally:
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
