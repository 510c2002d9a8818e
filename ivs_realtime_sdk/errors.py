"""The exception tree of ivs-realtime-sdk.

Every error the SDK raises is an :class:`IVSRealTimeError`::

    IVSRealTimeError
    ├── InvalidParameterError (also ValueError)   bad input, raised before any request
    │   └── InvalidParameterTypeError (also TypeError)
    ├── InvalidTokenError (also ValueError)       a participant token fails verification
    ├── InvalidEventError (also ValueError)       an EventBridge envelope is malformed
    ├── ServiceError                              the service answered with an error
    │   ├── ValidationError                       ValidationException, HTTP 400
    │   ├── AccessDeniedError                     AccessDeniedException, HTTP 403
    │   ├── PendingVerificationError              PendingVerification, HTTP 403
    │   ├── ResourceNotFoundError                 ResourceNotFoundException, HTTP 404
    │   ├── ConflictError                         ConflictException, HTTP 409
    │   ├── ServiceQuotaExceededError             ServiceQuotaExceededException, HTTP 402
    │   ├── ThrottlingError                       throttling codes, HTTP 429 (retries ran out)
    │   └── InternalServerError                   InternalServerException and other 5xx
    ├── TransportError                            no usable answer from the endpoint
    │   ├── EndpointConnectionError               connection refused or dropped
    │   └── RequestTimeoutError (also TimeoutError)
    ├── UnexpectedResponseError                   a response not of the modeled shape
    ├── ConfigurationError                        missing credentials, region, bad config
    │   ├── MissingExtraError (also ImportError)  an optional extra is not installed
    │   └── ServiceModelError                     the shipped service model is unusable
    ├── UnsupportedOperationError                 the wrapped client's model lacks the call
    ├── ClientStateError                          a facade used in the wrong state
    │   └── ClientClosedError                     a closed facade was used again
    └── MediaError                                a WebRTC participant failed (``[media]``)
        ├── MediaUnavailableError                 the ``[media]`` extra is not installed
        │                                         (also a MissingExtraError)
        ├── StageRefusedError                     the stage refused a join, publish or subscribe
        └── MediaConnectionError                  the media connection failed or was lost

A service error keeps the botocore exception as its ``__cause__``.
"""

from __future__ import annotations

__all__ = [
    "AccessDeniedError",
    "ClientClosedError",
    "ClientStateError",
    "ConfigurationError",
    "ConflictError",
    "EndpointConnectionError",
    "IVSRealTimeError",
    "InternalServerError",
    "InvalidEventError",
    "InvalidParameterError",
    "InvalidParameterTypeError",
    "InvalidTokenError",
    "MediaConnectionError",
    "MediaError",
    "MediaUnavailableError",
    "MissingExtraError",
    "PendingVerificationError",
    "RequestTimeoutError",
    "ResourceNotFoundError",
    "ServiceError",
    "ServiceModelError",
    "ServiceQuotaExceededError",
    "StageRefusedError",
    "ThrottlingError",
    "TransportError",
    "UnexpectedResponseError",
    "UnsupportedOperationError",
    "ValidationError",
]


class IVSRealTimeError(Exception):
    """Root of every error raised by ivs-realtime-sdk."""

    is_retry_safe: bool = False
    """Whether sending the same request again may succeed."""


class InvalidParameterError(IVSRealTimeError, ValueError):
    """A value broke a constraint of the service model; no request was sent.

    Attributes:
        field: Dotted path of the offending field, such as ``StageSpec.name``.
        problem: What is wrong with the value, and the limit it broke.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class InvalidParameterTypeError(InvalidParameterError, TypeError):
    """A value had the wrong type; no request was sent."""


class InvalidTokenError(IVSRealTimeError, ValueError):
    """A token is malformed, badly signed, expired, or not for this stage or key.

    Its message never contains the token or any key, so it is safe to log.

    Attributes:
        reason: A stable keyword: ``malformed``, ``signature``, ``expired``,
            ``wrong_stage``, ``wrong_key`` or ``claims``.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


class InvalidEventError(IVSRealTimeError, ValueError):
    """An EventBridge envelope of IVS is malformed: a field is missing or of the wrong type.

    Attributes:
        field: Dotted path of the offending field, such as ``detail.participant_id``.
        problem: What is wrong with it.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class ServiceError(IVSRealTimeError):
    """The service answered with an error.

    Attributes:
        code: The service's error code, such as ``ValidationException``.
        message: The service's message.
        status_code: The HTTP status code.
        request_id: The request id, for AWS support.
        operation_name: The API operation, such as ``CreateStage``.
    """

    def __init__(
        self,
        *,
        code: str,
        message: str,
        status_code: int | None,
        request_id: str | None,
        operation_name: str,
    ) -> None:
        self.code = code
        self.message = message
        self.status_code = status_code
        self.request_id = request_id
        self.operation_name = operation_name
        status = f"HTTP {status_code}" if status_code is not None else "no HTTP status"
        super().__init__(
            f"{operation_name} failed with {code} ({status}): {message or 'no message'}"
            f" [request id: {request_id or 'unknown'}]"
        )


class ValidationError(ServiceError):
    """The service rejected the input (ValidationException)."""


class AccessDeniedError(ServiceError):
    """The caller may not perform the operation (AccessDeniedException)."""


class PendingVerificationError(ServiceError):
    """The account awaits verification before it may create resources."""


class ResourceNotFoundError(ServiceError):
    """The resource named in the request does not exist."""


class ConflictError(ServiceError):
    """The request conflicts with the resource's state, such as deleting one in use."""


class ServiceQuotaExceededError(ServiceError):
    """The request would exceed a service quota."""


class ThrottlingError(ServiceError):
    """The service throttled the request and the retries ran out."""

    is_retry_safe = True


class InternalServerError(ServiceError):
    """The service failed with an internal error (HTTP 5xx)."""

    is_retry_safe = True


class TransportError(IVSRealTimeError):
    """No usable answer came back from the endpoint."""


class EndpointConnectionError(TransportError):
    """The endpoint refused or dropped the connection."""


class RequestTimeoutError(TransportError, TimeoutError):
    """Connecting or reading timed out; the request may or may not have taken effect."""


class UnexpectedResponseError(IVSRealTimeError):
    """A response did not have the shape the service model describes."""


class ConfigurationError(IVSRealTimeError):
    """The client is not configured: missing credentials or region, or a bad option."""


class MissingExtraError(ConfigurationError, ImportError):
    """An optional part of the SDK was used without the extra that installs it.

    Attributes:
        extra: The extra to install, such as ``async``.
    """

    def __init__(self, extra: str, message: str) -> None:
        self.extra = extra
        super().__init__(message)


class ServiceModelError(ConfigurationError):
    """The service model the SDK ships is missing, malformed, or of another service."""


class UnsupportedOperationError(IVSRealTimeError):
    """The client a facade wraps has an older service model without this operation.

    Attributes:
        operation_name: The API operation, such as ``RevokeConnectionToken``.
    """

    def __init__(self, operation_name: str, message: str) -> None:
        self.operation_name = operation_name
        super().__init__(message)


class ClientStateError(IVSRealTimeError):
    """The facade cannot do this in its state, such as a second ``async with`` while open."""


class ClientClosedError(ClientStateError):
    """The facade was closed and cannot send requests any more."""


class MediaError(IVSRealTimeError):
    """A Python participant (``ivs_realtime_sdk.media``) could not join, publish or subscribe."""


class MediaUnavailableError(MediaError, MissingExtraError):
    """The ``[media]`` extra is not installed: ``pip install 'ivs-realtime-sdk[media]'``."""

    def __init__(self, message: str) -> None:
        super().__init__("media", message)


class StageRefusedError(MediaError):
    """The stage refused the participant, or the token cannot do what was asked.

    Raised before any media flows: from the token's own claims (missing
    capability, expired) or from the stage's answer to the WHIP offer.
    Its message never contains the token.

    Attributes:
        reason: A stable keyword: ``capability``, ``expired`` (found in the
            token), or from the answer: ``unauthorized`` (401), ``forbidden``
            (403), ``not_found`` (404), ``conflict`` (409), ``refused`` (other).
        status_code: The HTTP status of the answer; None when found in the token.
    """

    def __init__(self, reason: str, message: str, *, status_code: int | None = None) -> None:
        self.reason = reason
        self.status_code = status_code
        super().__init__(message)


class MediaConnectionError(MediaError):
    """The WHIP endpoint or the media connection (ICE, DTLS) failed or was lost."""
