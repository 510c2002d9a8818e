"""The ``demo`` command: create a stage with two participant tokens and print them.

Without ``--endpoint-url`` or ``--region`` it runs against an in-process
emulator, so it needs no AWS account. It uses the sync facade, which the base
install has (the async one needs the ``[async]`` extra).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ._arguments import Subparsers

if TYPE_CHECKING:
    from ..models.stage import CreatedStage

__all__ = ["add_parser"]

# The emulator accepts any signature unless told otherwise, but boto3 still
# needs some keys to sign with.
_LOCAL_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
_SHOWN_TOKEN_CHARS = 12


def add_parser(subparsers: Subparsers) -> None:
    """Register the ``demo`` command on a CLI's subparsers."""
    demo = subparsers.add_parser(
        "demo", help="create a stage with two participant tokens and print them"
    )
    demo.add_argument(
        "--endpoint-url", help="a real endpoint to use instead of the in-process emulator"
    )
    demo.add_argument("--region", help="an AWS region to use instead of the in-process emulator")
    demo.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Create the stage and print it; return the exit status."""
    created = _demo(args.endpoint_url, args.region)
    print(_describe(created))
    return 0


def _demo(endpoint_url: str | None, region: str | None) -> CreatedStage:
    import boto3

    from ..client import IVSRealTime
    from ..models.stage import StageSpec
    from ..models.token import Capability, ParticipantTokenConfig

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

    from ..local import LocalIVSRealTime

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
