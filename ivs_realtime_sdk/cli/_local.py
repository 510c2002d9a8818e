"""The ``local`` command: serve the emulator over HTTP until Ctrl-C or SIGTERM.

The emulator is imported only when the command runs, so that other commands
and ``--help`` do not pay for aiohttp.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

from ._arguments import Subparsers, account_id, credential, http_url, port_number, region_name

__all__ = ["add_parser", "exposure_warnings"]

_WEBHOOK_SECRET_VARIABLE = "IVS_REALTIME_EVENTS_WEBHOOK_SECRET"


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
        help="verify every request's SigV4 signature against these keys (repeatable); "
        "without it, any signature is accepted",
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


def exposure_warnings(host: str, *, credentials: bool) -> list[str]:
    """What to warn of before binding ``host``: nothing on loopback.

    Any other address (``0.0.0.0``, ``::``, a LAN address, a host name) lets
    every client on the network use the emulator: its admin API resets state
    and issues tokens. Without credentials it also accepts any signature.
    """
    if host == "localhost":
        return []
    try:
        if ipaddress.ip_address(host.strip("[]")).is_loopback:
            return []
    except ValueError:
        pass  # a host name other than localhost: it may resolve beyond loopback
    warnings = [
        f"listening on {host}, beyond loopback: any client on the network can use "
        "this emulator, its admin API (/_emulator/) included"
    ]
    if not credentials:
        warnings.append(
            "no --credentials given: every request's signature is accepted, whoever signs it; "
            "pass --credentials ACCESS_KEY_ID:SECRET to require a SigV4 signature by that key"
        )
    return warnings


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; return the exit status."""
    from ..local import serve

    pairs: list[tuple[str, str]] | None = args.credentials
    warnings = exposure_warnings(args.host, credentials=bool(pairs))

    def warn() -> None:  # once bound: an address that cannot be bound is an error instead
        for warning in warnings:
            print(f"ivs-realtime-sdk local: warning: {warning}", file=sys.stderr, flush=True)

    serve(
        host=args.host,
        port=args.port,
        region=args.region,
        account_id=args.account_id,
        credentials=dict(pairs) if pairs else None,
        events_webhook=args.events_webhook,
        events_webhook_secret=args.events_webhook_secret,
        on_listening=warn,
    )
    return 0
