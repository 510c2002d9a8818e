"""The ``local`` command: serve the emulator over HTTP until Ctrl-C or SIGTERM.

The emulator is imported only when the command runs, so that other commands
and ``--help`` do not pay for aiohttp.
"""

from __future__ import annotations

import argparse
import os

from ._arguments import Subparsers, account_id, credential, http_url, port_number, region_name

__all__ = ["add_parser"]

_WEBHOOK_SECRET_VARIABLE = "IVS_REALTIME_EVENTS_WEBHOOK_SECRET"
# Credentials kept out of the command line (and /proc/PID/cmdline): AKID:SECRET[,AKID:SECRET].
_CREDENTIALS_VARIABLE = "IVS_REALTIME_LOCAL_CREDENTIALS"


def add_parser(subparsers: Subparsers) -> None:
    """Register the ``local`` command on a CLI's subparsers."""
    local = subparsers.add_parser("local", help="serve the local IVS Real-Time emulator")
    local.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    local.add_argument(
        "--port", type=port_number, default=0, help="port to bind (default: a free one)"
    )
    local.add_argument(
        "--region", type=region_name, default="us-east-1", help="region named in ARNs"
    )
    local.add_argument(
        "--account-id", type=account_id, default="123456789012", help="account named in ARNs"
    )
    local.add_argument(
        "--credentials",
        type=credential,
        action="append",
        metavar="ACCESS_KEY_ID:SECRET",
        help="verify every request's SigV4 signature (the admin API's too) against these "
        f"keys (repeatable; default: ${_CREDENTIALS_VARIABLE}, as AKID:SECRET[,AKID:SECRET]); "
        "without any, any signature is accepted",
    )
    local.add_argument(
        "--events-webhook",
        type=http_url,
        metavar="URL",
        help="POST every EventBridge event to URL as JSON, as an API destination does",
    )
    local.add_argument(
        "--events-webhook-secret",
        metavar="SECRET",
        default=os.environ.get(_WEBHOOK_SECRET_VARIABLE),
        help=f"send SECRET in each POST's x-api-key header (default: ${_WEBHOOK_SECRET_VARIABLE})",
    )
    local.set_defaults(func=run)


def _credentials_from_environment() -> list[tuple[str, str]] | None:
    """Read ``$IVS_REALTIME_LOCAL_CREDENTIALS``; None when it is unset or empty."""
    from ._errors import CommandError

    value = os.environ.get(_CREDENTIALS_VARIABLE, "").strip()
    if not value:
        return None
    pairs: list[tuple[str, str]] = []
    for item in value.split(","):
        try:
            pairs.append(credential(item.strip()))
        except argparse.ArgumentTypeError as exc:
            # Never the value: it holds secrets.
            raise CommandError(f"${_CREDENTIALS_VARIABLE}: {exc}") from None
    return pairs


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; return the exit status."""
    from ..local import serve

    pairs: list[tuple[str, str]] | None = args.credentials or _credentials_from_environment()
    serve(
        host=args.host,
        port=args.port,
        region=args.region,
        account_id=args.account_id,
        credentials=dict(pairs) if pairs else None,
        events_webhook=args.events_webhook,
        events_webhook_secret=args.events_webhook_secret,
    )
    return 0
