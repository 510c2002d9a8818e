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
        "--region",
        type=region_name,
        default="us-east-1",
        help="region of unsigned requests (signed ones use the region they were signed for)",
    )
    local.add_argument(
        "--account-id",
        type=account_id,
        default="123456789012",
        help="account of requests whose access key id is not 12 digits (those name the account)",
    )
    local.add_argument(
        "--state-dir",
        metavar="DIR",
        help="keep the state in an SQLite file in DIR, kept across restarts (default: memory)",
    )
    local.add_argument(
        "--log-requests",
        action="store_true",
        help="print one line per request on stderr (never a token, key or signature)",
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
    local.add_argument(
        "--rtmp-port",
        type=port_number,
        default=0,
        help="port of the RTMP ingest listener (default: a free one; needs the [media] extra)",
    )
    local.add_argument(
        "--rtmps-port",
        type=port_number,
        default=0,
        help="port of the RTMPS ingest listener (default: a free one)",
    )
    local.add_argument(
        "--rtmps-cert",
        metavar="PEM",
        help="certificate for RTMPS (default: a self-signed one, generated at start)",
    )
    local.add_argument("--rtmps-key", metavar="PEM", help="private key of --rtmps-cert")
    local.add_argument(
        "--s3-endpoint-url",
        type=http_url,
        metavar="URL",
        help="write recordings through boto3's S3 client to this S3 API "
        "(moto, LocalStack, MinIO, AWS); default: a local directory",
    )
    local.add_argument(
        "--recordings-dir",
        metavar="DIR",
        help="without --s3-endpoint-url, write recordings to DIR as <bucket>/<key> "
        "(default: a new temporary directory, printed at start)",
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
    import logging

    from ..local import StateDirectoryError, serve
    from ._errors import CommandError

    logger = None
    if args.log_requests:
        logger = logging.getLogger("ivs_realtime_sdk.local.requests")
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    pairs: list[tuple[str, str]] | None = args.credentials or _credentials_from_environment()
    warnings = exposure_warnings(args.host, credentials=bool(pairs))

    def warn() -> None:  # once bound: an address that cannot be bound is an error instead
        for warning in warnings:
            print(f"ivs-realtime-sdk local: warning: {warning}", file=sys.stderr, flush=True)

    try:
        serve(
            host=args.host,
            port=args.port,
            region=args.region,
            account_id=args.account_id,
            credentials=dict(pairs) if pairs else None,
            events_webhook=args.events_webhook,
            events_webhook_secret=args.events_webhook_secret,
            state_dir=args.state_dir,
            request_logger=logger,
            rtmp_port=args.rtmp_port,
            rtmps_port=args.rtmps_port,
            rtmps_cert=args.rtmps_cert,
            rtmps_key=args.rtmps_key,
            s3_endpoint_url=args.s3_endpoint_url,
            recordings_dir=args.recordings_dir,
            on_listening=warn,
        )
    except StateDirectoryError as exc:
        raise CommandError(str(exc)) from None
    return 0
