"""The command line's one error boundary: a user's mistake is one line, never a traceback.

Every subcommand runs through :func:`run_command`. What it catches becomes
``PROG: error: PROBLEM; FIX`` on stderr, naming command-line flags rather
than Python parameters, and an exit status:

* 2: the command line itself needs fixing (a bad value or flag, a file that
  cannot be read, a port that cannot be bound), as argparse's own usage errors;
* 1: the command was right but failed where it ran (credentials, region, an
  unreachable endpoint, an error from the service).

Anything else is a bug of the SDK and keeps its traceback. Commands raise
:class:`CommandError` for problems only they can see; SDK errors, botocore's
and the operating system's are translated here, so new commands get the same
treatment by registering ``set_defaults(func=...)`` on a
:class:`~._arguments.CommandParser`, whose own usage errors take the same form.
"""

from __future__ import annotations

import argparse
import errno
import re
import socket
import sys
from collections.abc import Callable, Mapping

from ..errors import (
    EndpointConnectionError,
    InvalidParameterError,
    IVSRealTimeError,
    RequestTimeoutError,
    ResourceNotFoundError,
    ServiceError,
)

__all__ = ["CommandError", "run_command"]

USAGE_STATUS = 2
FAILURE_STATUS = 1
INTERRUPTED_STATUS = 130
#: 128 + SIGTERM, as a shell reports a process that SIGTERM ended.
TERMINATED_STATUS = 143

#: The SDK's Python parameters, as the command line spells them.
PARAMETER_FLAGS: Mapping[str, str] = {
    "region_name": "--region",
    "endpoint_url": "--endpoint-url",
    "profile_name": "--profile",
}
_PARAMETER = re.compile(r"\b(" + "|".join(PARAMETER_FLAGS) + r")\b")


class CommandError(Exception):
    """A problem with the command line that only the command can see; one line, with the fix."""


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed command ``args.func(args)`` inside the boundary; return the exit status."""
    func: Callable[[argparse.Namespace], int] = args.func
    prog: str = getattr(args, "cli_prog", "ivs-realtime-sdk")
    try:
        return func(args)
    except KeyboardInterrupt:
        return INTERRUPTED_STATUS
    except Exception as exc:
        described = describe(exc, args)
        if described is None:
            raise
        status, message = described
        print(f"{prog}: error: {_one_line(message)}", file=sys.stderr)
        return status


def describe(exc: BaseException, args: argparse.Namespace) -> tuple[int, str] | None:
    """Return the exit status and message for a user's error, or None for a bug."""
    from botocore.exceptions import BotoCoreError

    if isinstance(exc, CommandError):
        return USAGE_STATUS, str(exc)
    if isinstance(exc, InvalidParameterError):
        fields: Mapping[str, str] = getattr(args, "cli_fields", {})
        flag = fields.get(exc.field)
        return USAGE_STATUS, f"{flag}: {exc.problem}" if flag else _flags(str(exc))
    if isinstance(exc, IVSRealTimeError):
        return FAILURE_STATUS, _flags(str(exc)) + _hint(exc)
    if isinstance(exc, OSError):
        return _os_error(exc, args)
    if isinstance(exc, BotoCoreError):
        return FAILURE_STATUS, _flags(str(exc))
    return None


def _flags(message: str) -> str:
    return _PARAMETER.sub(lambda match: PARAMETER_FLAGS[match.group(1)], message)


def _hint(exc: IVSRealTimeError) -> str:
    if isinstance(exc, EndpointConnectionError | RequestTimeoutError):
        return "; check --endpoint-url (or --region) and that the endpoint is up"
    if isinstance(exc, ResourceNotFoundError):
        return "; check the ARN, and that --region is the resource's region"
    if isinstance(exc, ServiceError) and exc.status_code == 403:
        return "; check the AWS credentials and their permissions"
    return ""


def _os_error(exc: OSError, args: argparse.Namespace) -> tuple[int, str]:
    host = getattr(args, "host", None)
    port = getattr(args, "port", None)
    where = f"{host}:{port}" if host is not None and port is not None else "the address"
    reason = exc.strerror or type(exc).__name__
    if isinstance(exc, socket.gaierror):
        return USAGE_STATUS, f"--host {host!r} cannot be resolved ({reason}); use an IP address"
    if exc.errno == errno.EADDRINUSE:
        return USAGE_STATUS, f"{where} is already in use; pick another --port, or --port 0"
    if exc.errno == errno.EADDRNOTAVAIL:
        return USAGE_STATUS, f"--host {host} is not an address of this machine; use 127.0.0.1"
    if exc.filename is not None:
        return USAGE_STATUS, f"{exc.filename}: {reason}"
    if exc.errno == errno.EACCES and port is not None:
        return USAGE_STATUS, f"may not listen on {where}; use a --port from 1024 up, or 0"
    return FAILURE_STATUS, reason


def _one_line(message: str) -> str:
    return " ".join(message.split()) or "failed"
