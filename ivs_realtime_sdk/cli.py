"""The ``ivs-realtime-sdk`` command: the emulator, the demo, and token tools."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models.stage import CreatedStage

__all__ = ["main"]

_LOCAL_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
_SHOWN_TOKEN_CHARS = 12
_WEBHOOK_SECRET_VARIABLE = "IVS_REALTIME_EVENTS_WEBHOOK_SECRET"


def _parser() -> argparse.ArgumentParser:
    from . import __version__
    from ._cli_errors import CommandParser, http_url, port_number

    parser = CommandParser(
        prog="ivs-realtime-sdk", description="Amazon IVS Real-Time, typed: tools and emulator."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    local = commands.add_parser("local", help="serve the local IVS Real-Time emulator")
    local.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    local.add_argument(
        "--port", type=port_number, default=0, help="port to bind (default: a free one)"
    )
    local.add_argument("--region", type=_region, default="us-east-1", help="region named in ARNs")
    local.add_argument(
        "--account-id", type=_account_id, default="123456789012", help="account named in ARNs"
    )
    local.add_argument(
        "--credentials",
        type=_credential,
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
    local.set_defaults(func=_run_local)

    demo = commands.add_parser(
        "demo", help="create a stage with two participant tokens and print them"
    )
    demo.add_argument(
        "--endpoint-url", help="a real endpoint to use instead of the in-process emulator"
    )
    demo.add_argument("--region", help="an AWS region to use instead of the in-process emulator")
    demo.set_defaults(func=_run_demo)

    from ._publish_cli import add_parser as add_publish_parser
    from ._token_cli import add_parser as add_token_parser

    add_token_parser(commands)
    add_publish_parser(commands)
    return parser


_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
_ACCOUNT_ID = re.compile(r"\d{12}")


def _region(text: str) -> str:
    if _REGION.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a region name such as us-east-1")
    return text


def _account_id(text: str) -> str:
    if _ACCOUNT_ID.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an account ID of 12 digits")
    return text


def _credential(text: str) -> tuple[str, str]:
    access_key, sep, secret = text.partition(":")
    if not sep or not access_key or not secret:
        # Never echo the value: it holds a secret.
        raise argparse.ArgumentTypeError("expected ACCESS_KEY_ID:SECRET, both non-empty")
    return access_key, secret


def _run_local(args: argparse.Namespace) -> int:
    from .local import serve

    pairs: list[tuple[str, str]] | None = args.credentials
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


def _run_demo(args: argparse.Namespace) -> int:
    created = _demo(args.endpoint_url, args.region)
    print(_describe(created))
    return 0


def _demo(endpoint_url: str | None, region: str | None) -> CreatedStage:
    # The sync facade: the demo runs on the base install, without the async extra.
    import boto3

    from .client import IVSRealTime
    from .models.stage import StageSpec
    from .models.token import Capability, ParticipantTokenConfig

    name = "demo-" + datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    spec = StageSpec(
        name=name,
        participant_token_configurations=(
            ParticipantTokenConfig(user_id="host", attributes={"role": "host"}),
            ParticipantTokenConfig(user_id="viewer", capabilities={Capability.SUBSCRIBE}),
        ),
        tags={"created-by": "ivs-realtime-sdk demo"},
    )
    if endpoint_url is not None or region is not None:
        with IVSRealTime(region_name=region, endpoint_url=endpoint_url) as sdk:
            return sdk.create_stage(spec)

    from .local import LocalIVSRealTime

    with LocalIVSRealTime() as server:
        session = boto3.Session(region_name=server.region, **_LOCAL_CREDENTIALS)
        with IVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
            return sdk.create_stage(spec)


def _shorten(token: str) -> str:
    return f"{token[:_SHOWN_TOKEN_CHARS]}...({len(token)} chars)"


def _describe(created: CreatedStage) -> str:
    stage = created.stage
    lines = [f"Stage {stage.arn}", f"  name: {stage.name}"]
    if stage.endpoints is not None:
        for label in ("events", "whip", "rtmp", "rtmps"):
            lines.append(f"  {label}: {getattr(stage.endpoints, label)}")
    lines.append(f"Participant tokens ({len(created.participant_tokens)}):")
    for token in created.participant_tokens:
        capabilities = "+".join(sorted(token.capabilities))
        expires = token.expiration_time.isoformat(timespec="seconds").replace("+00:00", "Z")
        lines.append(
            f"  - participant {token.participant_id} user {token.user_id}: {capabilities},"
            f" expires {expires}, token {_shorten(token.token)}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from ._cli_errors import run_command

    return run_command(_parser().parse_args(argv))
