"""Secrets (tokens, stream keys, credentials) never reach a repr, a message or a log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import aioboto3
import boto3
import pytest

from ivs_realtime_sdk import (
    AsyncIVSRealTime,
    IVSRealTime,
    ParticipantTokenConfig,
    StageSpec,
)
from ivs_realtime_sdk.errors import IVSRealTimeError
from ivs_realtime_sdk.local import LocalIVSRealTime

SECRET_KEY = "SECRETACCESSKEYVALUE0123456789abcdefghij"
SESSION_TOKEN = "SESSIONTOKENVALUE0123456789abcdefghijklmnop"
CREDENTIALS = {
    "aws_access_key_id": "AKIDEXAMPLE",
    "aws_secret_access_key": SECRET_KEY,
    "aws_session_token": SESSION_TOKEN,
    "region_name": "us-east-1",
}
LOGGERS = ["", "botocore", "aiobotocore", "boto3", "urllib3", "aiohttp", "ivs_realtime_sdk"]


@pytest.fixture
def all_debug_logs() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    saved = {name: logging.getLogger(name).level for name in LOGGERS}
    root = logging.getLogger()
    root.addHandler(handler)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _assert_nowhere(secrets: list[str], texts: list[str]) -> None:
    for secret in secrets:
        for text in texts:
            assert secret not in text, f"a secret leaked into: {text[:200]}"


@pytest.fixture(scope="module")
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as running:
        yield running


def _formatted(records: list[logging.LogRecord]) -> list[str]:
    formatter = logging.Formatter("%(name)s %(message)s")
    return [formatter.format(record) for record in records]


def test_sync_calls_log_no_secret(
    server: LocalIVSRealTime, all_debug_logs: list[logging.LogRecord]
) -> None:
    session = boto3.Session(**CREDENTIALS)
    texts: list[str] = []
    with IVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
        created = sdk.create_stage(
            StageSpec(participant_token_configurations=[ParticipantTokenConfig(user_id="u")])
        )
        token = sdk.create_participant_token(created.stage.arn)
        texts += [repr(sdk), str(sdk), repr(created), str(created), repr(token), str(token)]
        try:
            sdk.get_stage(created.stage.arn.replace(created.stage.id, "missing"))
        except IVSRealTimeError as exc:
            texts += [str(exc), repr(exc)]
    assert all_debug_logs, "DEBUG logging captured nothing: the test would prove nothing"
    secrets = [SECRET_KEY, SESSION_TOKEN, token.token, created.participant_tokens[0].token]
    _assert_nowhere(secrets, texts + _formatted(all_debug_logs))


async def test_async_calls_log_no_secret(
    server: LocalIVSRealTime, all_debug_logs: list[logging.LogRecord]
) -> None:
    session = aioboto3.Session(**CREDENTIALS)
    texts: list[str] = []
    async with AsyncIVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
        created = await sdk.create_stage(
            StageSpec(participant_token_configurations=[ParticipantTokenConfig(user_id="u")])
        )
        token = await sdk.create_participant_token(created.stage.arn)
        texts += [repr(sdk), repr(created), repr(token)]
        try:
            await sdk.get_stage(created.stage.arn.replace(created.stage.id, "missing"))
        except IVSRealTimeError as exc:
            texts += [str(exc), repr(exc)]
    assert all_debug_logs
    secrets = [SECRET_KEY, SESSION_TOKEN, token.token, created.participant_tokens[0].token]
    _assert_nowhere(secrets, texts + _formatted(all_debug_logs))


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("x-amz-security-token:" + SESSION_TOKEN, SESSION_TOKEN),
        ("{'X-Amz-Security-Token': b'" + SESSION_TOKEN + "'}", SESSION_TOKEN),
        (
            '{"token":"eyJhbGciOiJFUzM4NCJ9.eyJleHAiOjE3MDB9.c2lnbmF0dXJlLXZhbHVl"}',
            "eyJleHAiOjE3MDB9",
        ),
        ('"streamKey": "rt_123456789012_us-east-1_abcDEF123456_secretpart"', "secretpart"),
        ("-----BEGIN PRIVATE KEY-----\nMIGkAgEBBDA\n-----END PRIVATE KEY-----", "MIGkAgEBBDA"),
        (
            "-----BEGIN EC PRIVATE KEY-----\nMIGkAgEBBDA\n-----END EC PRIVATE KEY-----",
            "MIGkAgEBBDA",
        ),
    ],
)
def test_redaction_masks_each_kind_of_secret(text: str, secret: str) -> None:
    from ivs_realtime_sdk._redact import MASK, redact

    masked = redact(text)
    assert secret not in masked
    assert MASK in masked


def test_a_user_wrapped_client_is_redacted_too(
    server: LocalIVSRealTime, all_debug_logs: list[logging.LogRecord]
) -> None:
    client = boto3.Session(**CREDENTIALS).client("ivs-realtime", endpoint_url=server.endpoint_url)
    sdk = IVSRealTime.from_client(client)
    created = sdk.create_stage(
        StageSpec(participant_token_configurations=[ParticipantTokenConfig()])
    )
    sdk.close()
    secrets = [SESSION_TOKEN, created.participant_tokens[0].token]
    _assert_nowhere(secrets, _formatted(all_debug_logs))
