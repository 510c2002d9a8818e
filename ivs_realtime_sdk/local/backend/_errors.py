"""What the backend refuses, and how the emulator answers each refusal.

Two trees: :class:`ServiceException` for API calls (one class per modeled
error code, rendered as rest-json errors), and :class:`ParticipantError` for
what a stage refuses a participant (joins, publishes, subscriptions, token
exchanges), whose HTTP status for the admin API and the media plane is
decided here, once, by its ``reason``.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AccessDeniedException",
    "ConflictException",
    "ExchangeRefusedError",
    "InternalServerException",
    "JoinRefusedError",
    "ParticipantError",
    "PublishRefusedError",
    "ResourceNotFoundException",
    "ServiceException",
    "ServiceQuotaExceededException",
    "SubscribeRefusedError",
    "ValidationException",
    "refusal_status",
]


class ServiceException(Exception):
    """An API error the emulator answers: HTTP status, error code and a human message.

    Not the SDK's :class:`ivs_realtime_sdk.errors.ServiceError`, which a client
    raises on reading such an answer.
    """

    default_code: ClassVar[str] = "InternalServerException"
    default_status: ClassVar[int] = 500

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        """Build the error; ``code`` and ``status`` default to the class's own."""
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.status = status or self.default_status


class ValidationException(ServiceException):
    """400: the input does not satisfy the service model or a documented rule."""

    default_code = "ValidationException"
    default_status = 400


class AccessDeniedException(ServiceException):
    """403: the caller may not do this."""

    default_code = "AccessDeniedException"
    default_status = 403


class ResourceNotFoundException(ServiceException):
    """404: the named resource does not exist."""

    default_code = "ResourceNotFoundException"
    default_status = 404


class ConflictException(ServiceException):
    """409: the resource is in use or in the wrong state."""

    default_code = "ConflictException"
    default_status = 409


class ServiceQuotaExceededException(ServiceException):
    """402: a configured quota would be exceeded."""

    default_code = "ServiceQuotaExceededException"
    default_status = 402


class InternalServerException(ServiceException):
    """500: an unexpected failure inside the emulator."""

    default_code = "InternalServerException"
    default_status = 500


# ParticipantError.reason -> HTTP status of the admin API's and the media plane's answers.
_STATUS_BY_REASON = {
    "malformed_token": 401,
    "invalid_signature": 401,
    "unknown_key": 401,
    "expired": 401,
    "wrong_stage": 401,
    "revoked": 403,
    "insufficient_capabilities": 403,
    "not_self_signed": 403,
    "changed_claim": 403,
    "stage_not_found": 404,
    "not_connected": 404,
    "publisher_not_found": 404,
    "already_connected": 409,
    "quota_exceeded": 429,
}


class ParticipantError(Exception):
    """A participant action the emulated stage refused; ``reason`` is a stable keyword."""

    def __init__(self, reason: str, message: str, *, participant_id: str | None = None) -> None:
        """Record the machine-readable ``reason`` next to the human ``message``."""
        super().__init__(message)
        self.reason = reason
        self.participant_id = participant_id


class JoinRefusedError(ParticipantError):
    """The stage refused a join: bad, forged, expired or foreign token, revoked participant..."""


class PublishRefusedError(ParticipantError):
    """The stage refused to let a participant publish (no PUBLISH capability)."""


class SubscribeRefusedError(ParticipantError):
    """The stage refused a subscription (no SUBSCRIBE capability, or no such publisher)."""


class ExchangeRefusedError(ParticipantError):
    """The stage refused a token exchange: not self-signed, a changed fixed claim, a bad token..."""


def refusal_status(error: ParticipantError) -> int:
    """The HTTP status the admin API and the media plane answer a refusal with."""
    return _STATUS_BY_REASON.get(error.reason, 400)
