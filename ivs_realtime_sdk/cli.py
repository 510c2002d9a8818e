"""The ``ivs-realtime-sdk`` command: the emulator, the demo, and token tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models.stage import CreatedStage

__all__ = ["main"]

_LOCAL_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
_SHOWN_TOKEN_CHARS = 12


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ivs-realtime-sdk", description="Amazon IVS Real-Time, typed: tools and emulator."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    local = commands.add_parser("local", help="serve the local IVS Real-Time emulator")
    local.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    local.add_argument("--port", type=int, default=0, help="port to bind (default: a free one)")
    local.add_argument("--region", default="us-east-1", help="region named in ARNs")
    local.add_argument("--account-id", default="123456789012", help="account named in ARNs")
    local.set_defaults(func=_run_local)

    demo = commands.add_parser(
        "demo", help="create a stage with two participant tokens and print them"
    )
    demo.add_argument(
        "--endpoint-url", help="a real endpoint to use instead of the in-process emulator"
    )
    demo.add_argument("--region", help="an AWS region to use instead of the in-process emulator")
    demo.set_defaults(func=_run_demo)

    from ._token_cli import add_parser as add_token_parser

    add_token_parser(commands)
    return parser


def _run_local(args: argparse.Namespace) -> int:
    from .local import serve

    serve(host=args.host, port=args.port, region=args.region, account_id=args.account_id)
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
    from .errors import IVSRealTimeError

    args = _parser().parse_args(argv)
    try:
        status: int = args.func(args)
    except IVSRealTimeError as exc:
        print(f"ivs-realtime-sdk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return status
