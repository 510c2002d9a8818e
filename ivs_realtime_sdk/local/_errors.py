"""Service errors the emulator sends back, one class per modeled error code."""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "AccessDeniedException",
    "ConflictException",
    "InternalServerException",
    "ResourceNotFoundException",
    "ServiceError",
    "ServiceQuotaExceededException",
    "ValidationException",
]


class ServiceError(Exception):
    """An error response: HTTP status, error code and a human message."""

    default_code: ClassVar[str] = "InternalServerException"
    default_status: ClassVar[int] = 500

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        """Build the error; ``code`` and ``status`` default to the class's own."""
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.status = status or self.default_status


class ValidationException(ServiceError):
    """400: the input does not satisfy the service model or a documented rule."""

    default_code = "ValidationException"
    default_status = 400


class AccessDeniedException(ServiceError):
    """403: the caller may not do this."""

    default_code = "AccessDeniedException"
    default_status = 403


class ResourceNotFoundException(ServiceError):
    """404: the named resource does not exist."""

    default_code = "ResourceNotFoundException"
    default_status = 404


class ConflictException(ServiceError):
    """409: the resource is in use or in the wrong state."""

    default_code = "ConflictException"
    default_status = 409


class ServiceQuotaExceededException(ServiceError):
    """402: a configured quota would be exceeded."""

    default_code = "ServiceQuotaExceededException"
    default_status = 402


class InternalServerException(ServiceError):
    """500: an unexpected failure inside the emulator."""

    default_code = "InternalServerException"
    default_status = 500
