"""The pure core: error mapping and result parsing, without boto on the wire."""

from __future__ import annotations

from typing import Any

import pytest
from botocore import exceptions as boto

from ivs_realtime_sdk import _operations as ops
from ivs_realtime_sdk import errors
from ivs_realtime_sdk._core import parse, translate
from ivs_realtime_sdk.models import Page, StageSummary

ARN = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234"


def _client_error(code: str, status: int, message: str = "boom") -> boto.ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status, "RequestId": "req-1"},
    }
    return boto.ClientError(response, "CreateStage")


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("ValidationException", 400, errors.ValidationError),
        ("AccessDeniedException", 403, errors.AccessDeniedError),
        ("PendingVerification", 403, errors.PendingVerificationError),
        ("ResourceNotFoundException", 404, errors.ResourceNotFoundError),
        ("ConflictException", 409, errors.ConflictError),
        ("ServiceQuotaExceededException", 402, errors.ServiceQuotaExceededError),
        ("InternalServerException", 500, errors.InternalServerError),
        ("ThrottlingException", 429, errors.ThrottlingError),
        ("TooManyRequestsException", 429, errors.ThrottlingError),
        ("SomethingNew", 429, errors.ThrottlingError),
        ("ServiceUnavailable", 503, errors.InternalServerError),
        ("SomethingNew", 418, errors.ServiceError),
    ],
)
def test_service_errors_become_typed_errors_carrying_their_context(
    code: str, status: int, expected: type[errors.ServiceError]
) -> None:
    error = translate(ops.CREATE_STAGE, _client_error(code, status))
    assert type(error) is expected
    assert isinstance(error, errors.IVSRealTimeError)
    assert error.code == code
    assert error.message == "boom"
    assert error.status_code == status
    assert error.request_id == "req-1"
    assert error.operation_name == "CreateStage"
    assert f"CreateStage failed with {code} (HTTP {status}): boom" in str(error)


def test_throttling_and_server_errors_are_retry_safe_and_client_errors_are_not() -> None:
    assert translate(ops.CREATE_STAGE, _client_error("ThrottlingException", 429)).is_retry_safe  # type: ignore[union-attr]
    assert translate(ops.CREATE_STAGE, _client_error("InternalServerException", 500)).is_retry_safe  # type: ignore[union-attr]
    assert not translate(ops.CREATE_STAGE, _client_error("ValidationException", 400)).is_retry_safe  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("exc", "expected", "text"),
    [
        (
            boto.EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
            errors.EndpointConnectionError,
            "could not reach",
        ),
        (
            boto.ReadTimeoutError(endpoint_url="http://127.0.0.1:9"),
            errors.RequestTimeoutError,
            "timed out",
        ),
        (
            boto.ConnectTimeoutError(endpoint_url="http://127.0.0.1:9"),
            errors.RequestTimeoutError,
            "timed out",
        ),
        (boto.NoCredentialsError(), errors.ConfigurationError, "no AWS credentials"),
        (boto.NoRegionError(), errors.ConfigurationError, "no AWS region"),
    ],
)
def test_transport_and_configuration_failures_are_typed(
    exc: Exception, expected: type[errors.IVSRealTimeError], text: str
) -> None:
    error = translate(ops.GET_STAGE, exc)
    assert isinstance(error, expected)
    assert text in str(error)
    assert "GetStage" in str(error)


def test_foreign_exceptions_are_not_swallowed() -> None:
    assert translate(ops.GET_STAGE, KeyError("x")) is None


def test_pages_parse_items_and_the_next_token() -> None:
    raw = {"stages": [{"arn": ARN, "name": "a"}], "nextToken": "abc"}
    page = parse(ops.LIST_STAGES, raw)
    assert page == Page(items=(StageSummary(arn=ARN, name="a"),), next_token="abc")
    last = parse(ops.LIST_STAGES, {"stages": [], "nextToken": ""})
    assert last.next_token is None
    assert last.items == ()


def test_empty_responses_parse_to_none() -> None:
    assert parse(ops.DELETE_STAGE, {"ResponseMetadata": {}}) is None
