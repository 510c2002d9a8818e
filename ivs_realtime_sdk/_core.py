"""The pure core shared by both facades: requests in, typed results and errors out, no I/O.

A facade call is ``parse(op, client_call(**to_params(request)))``, with any
exception from the client call passed through ``translate(op, exc)``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Mapping
from typing import Any, Protocol, TypeVar, cast

import attrs

from . import errors
from ._converter import unstructure
from ._operations import Operation
from ._parsing import make_parser
from .errors import UnexpectedResponseError
from .models.pagination import Page

R = TypeVar("R")

__all__ = [
    "PageRequest",
    "client_method",
    "client_setup",
    "following",
    "parse",
    "setup_error",
    "to_params",
    "translate",
    "translated",
]


class PageRequest(Protocol):
    """A list request: a frozen attrs model with a ``next_token`` field."""

    @property
    def next_token(self) -> str | None:
        """The previous page's ``next_token``; None for the first page."""
        ...


P = TypeVar("P", bound=PageRequest)


def following(request: P, page: Page[Any]) -> P | None:
    """Return the request for the page after ``page``, or None after the last page."""
    if page.next_token is None:
        return None
    # Every PageRequest is a frozen attrs model; the Protocol cannot say so.
    return cast(P, attrs.evolve(cast(Any, request), next_token=page.next_token))


_SERVICE_ERRORS: Mapping[str, type[errors.ServiceError]] = {
    "ValidationException": errors.ValidationError,
    "AccessDeniedException": errors.AccessDeniedError,
    "PendingVerification": errors.PendingVerificationError,
    "ResourceNotFoundException": errors.ResourceNotFoundError,
    "ConflictException": errors.ConflictError,
    "ServiceQuotaExceededException": errors.ServiceQuotaExceededError,
    "InternalServerException": errors.InternalServerError,
    # Throttling codes of AWS front ends, as botocore's retry handler lists them.
    "ThrottlingException": errors.ThrottlingError,
    "TooManyRequestsException": errors.ThrottlingError,
    "Throttling": errors.ThrottlingError,
    "ThrottledException": errors.ThrottlingError,
    "RequestThrottled": errors.ThrottlingError,
    "RequestThrottledException": errors.ThrottlingError,
    "RequestLimitExceeded": errors.ThrottlingError,
    "SlowDown": errors.ThrottlingError,
    "ProvisionedThroughputExceededException": errors.ThrottlingError,
}


def client_method(client: Any, op: Operation[Any, Any]) -> Any:
    """Return the boto client's method for ``op``.

    Clients the facades create load the shipped model and have every method. A
    client passed to ``from_client`` keeps the model of the botocore it was
    made with, which may predate the operation.

    Raises:
        UnsupportedOperationError: The client's model has no such operation.
    """
    method = getattr(client, op.method, None)
    if method is None:
        raise errors.UnsupportedOperationError(
            op.name,
            f"{op.name}: the wrapped client's service model has no such operation (its "
            "botocore predates it). Create the facade without from_client, so that its "
            "client loads the model the SDK ships, or upgrade botocore.",
        )
    return method


def to_params(request: object) -> dict[str, Any]:
    """Turn a validated request model into the boto client's keyword arguments."""
    return unstructure(request)


def parse(op: Operation[Any, R], raw: Mapping[str, Any]) -> R:
    """Turn a raw boto response into the operation's typed result."""
    # ``result`` resolves the model lazily (a property): read it once per call.
    result = op.result
    if result is None:
        return cast(R, None)
    read = make_parser(result)
    if op.page_key is not None:
        items: list[Any] | Any = raw.get(op.page_key)
        if not isinstance(items, list):
            raise UnexpectedResponseError(f"{op.name}: {op.page_key} is not a list")
        members: list[Any] = items  # pyright: ignore[reportUnknownVariableType]
        page = tuple([read(item, op.page_key) for item in members])
        return cast(R, Page(items=page, next_token=raw.get("nextToken") or None))
    body = raw if op.result_key is None else raw.get(op.result_key)
    return cast(R, read(body, op.name))


def service_error(op_name: str, response: Mapping[str, Any]) -> errors.ServiceError:
    """Build the typed error for a botocore ClientError's ``response`` dict."""
    error: Mapping[str, Any] = response.get("Error") or {}
    metadata: Mapping[str, Any] = response.get("ResponseMetadata") or {}
    code = str(error.get("Code") or "Unknown")
    status: object = metadata.get("HTTPStatusCode")
    message = str(error.get("Message") or response.get("exceptionMessage") or "")
    request_id: object = metadata.get("RequestId")
    cls = _SERVICE_ERRORS.get(code)
    if cls is None:
        cls = (
            errors.InternalServerError
            if isinstance(status, int) and status >= 500
            else errors.ThrottlingError
            if status == 429
            else errors.ServiceError
        )
    return cls(
        code=code,
        message=message,
        status_code=status if isinstance(status, int) else None,
        request_id=str(request_id) if request_id else None,
        operation_name=op_name,
    )


def setup_error(exc: Exception) -> errors.ConfigurationError | None:
    """Map an exception from creating a boto client to ConfigurationError; None if foreign."""
    from botocore import exceptions as boto

    if isinstance(exc, boto.NoRegionError):
        return errors.ConfigurationError(
            "no AWS region: pass region_name, or set AWS_DEFAULT_REGION or a profile's region"
        )
    if isinstance(exc, boto.BotoCoreError):
        return errors.ConfigurationError(f"could not create the ivs-realtime client: {exc}")
    return None


def translate(op: Operation[Any, Any], exc: Exception) -> errors.IVSRealTimeError | None:
    """Map an exception from boto to the SDK's error tree; None if it is not boto's."""
    from botocore import exceptions as boto

    if isinstance(exc, boto.ClientError):
        response = cast("Mapping[str, Any]", exc.response)
        return service_error(op.name, response)
    if isinstance(exc, boto.ConnectTimeoutError | boto.ReadTimeoutError):
        return errors.RequestTimeoutError(f"{op.name} timed out: {exc}")
    if isinstance(exc, boto.EndpointConnectionError | boto.ConnectionClosedError):
        return errors.EndpointConnectionError(f"{op.name} could not reach the endpoint: {exc}")
    if isinstance(exc, boto.NoCredentialsError | boto.PartialCredentialsError):
        return errors.ConfigurationError(
            f"{op.name}: no AWS credentials found; configure them as for boto3 "
            "(environment, ~/.aws, or a session)"
        )
    if isinstance(exc, boto.NoRegionError):
        return errors.ConfigurationError(
            f"{op.name}: no AWS region; pass region_name or set AWS_DEFAULT_REGION"
        )
    if isinstance(exc, boto.ParamValidationError):
        return errors.InvalidParameterError(op.name, str(exc))
    if isinstance(exc, boto.BotoCoreError):
        return errors.TransportError(f"{op.name} failed: {exc}")
    return None


@contextlib.contextmanager
def translated(op: Operation[Any, Any]) -> Generator[None]:
    """Raise boto's exceptions inside the block as the SDK's, ``from`` the original.

    Exceptions that are not boto's pass unchanged.
    """
    try:
        yield
    except Exception as exc:
        error = translate(op, exc)
        if error is None:
            raise
        raise error from exc


@contextlib.contextmanager
def client_setup() -> Generator[None]:
    """Raise boto's exceptions from creating or opening a client as ConfigurationError.

    Exceptions that are not boto's pass unchanged.
    """
    try:
        yield
    except Exception as exc:
        error = setup_error(exc)
        if error is None:
            raise
        raise error from exc
