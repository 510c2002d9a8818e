"""The command line's parser class and the argparse ``type`` of each checked value.

A value that fails its type is a usage error, reported by :class:`CommandParser`
in the boundary's form (``PROG: error: PROBLEM (see PROG --help)``, status 2);
the types here name the problem and the expected form, never echoing a secret.
"""

from __future__ import annotations

import argparse
import re
from typing import Any, NoReturn, TypeAlias

from ._errors import USAGE_STATUS

__all__ = [
    "CommandParser",
    "Subparsers",
    "account_id",
    "credential",
    "http_url",
    "port_number",
    "region_name",
]

_MAX_PORT = 65535
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
_ACCOUNT_ID = re.compile(r"\d{12}")


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line, and that names itself to the boundary.

    Subparsers made with ``add_subparsers().add_parser`` are of this class too,
    and each records its ``prog`` (``ivs-realtime-sdk token mint``) in the parsed
    namespace, so an error names the command that was run.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the parser, as ``argparse.ArgumentParser`` does."""
        super().__init__(*args, **kwargs)
        self.set_defaults(cli_prog=self.prog)

    def error(self, message: str) -> NoReturn:
        """Print one line naming the problem and where help is, then exit with status 2."""
        self.exit(USAGE_STATUS, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# What each command's add_parser receives; argparse names the type only privately.
Subparsers: TypeAlias = "argparse._SubParsersAction[CommandParser]"  # pyright: ignore[reportPrivateUsage]


def port_number(text: str) -> int:
    """An argparse ``type`` for a TCP port: 0 to 65535, 0 meaning any free port."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= _MAX_PORT:
        raise argparse.ArgumentTypeError(
            f"{port} is not a port; use 1 to {_MAX_PORT}, or 0 for any free one"
        )
    return port


def http_url(text: str) -> str:
    """An argparse ``type`` for a URL the command will call: http or https, with a host."""
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a URL such as http://127.0.0.1:8080/events"
        )
    return text


def region_name(text: str) -> str:
    """An argparse ``type`` for an AWS region's name, such as ``us-east-1``."""
    if _REGION.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a region name such as us-east-1")
    return text


def account_id(text: str) -> str:
    """An argparse ``type`` for an AWS account ID: 12 digits."""
    if _ACCOUNT_ID.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an account ID of 12 digits")
    return text


def credential(text: str) -> tuple[str, str]:
    """An argparse ``type`` for ``ACCESS_KEY_ID:SECRET``, both non-empty."""
    access_key, sep, secret = text.partition(":")
    if not sep or not access_key or not secret:
        # Never echo the value: it holds a secret.
        raise argparse.ArgumentTypeError("expected ACCESS_KEY_ID:SECRET, both non-empty")
    return access_key, secret
