"""The ``publish`` command: publish a test pattern to a stage until Ctrl-C.

``ivs-realtime-sdk publish --token T`` joins the token's stage over WHIP,
publishes moving bars and silence (the ``[media]`` extra), prints the
participant id, then one line per change of the stage's participants. Ctrl-C
leaves the stage (exit status 130), and so does SIGTERM, as a service
manager or ``docker stop`` sends it (exit status 143). Errors go through the
CLI's one error boundary (one line on stderr, never the token).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from ._arguments import Subparsers, http_url
from ._errors import INTERRUPTED_STATUS, TERMINATED_STATUS, CommandError

if TYPE_CHECKING:
    from ..media import StageState

__all__ = ["add_parser", "describe_state"]


def add_parser(subparsers: Subparsers) -> None:
    """Register the ``publish`` command on a CLI's subparsers."""
    command = subparsers.add_parser(
        "publish",
        help="publish a test pattern to a stage until Ctrl-C (needs the [media] extra)",
        description="Join a stage with a participant token and publish a test pattern "
        "(moving bars, silent audio) until Ctrl-C; print the stage's participants as they change.",
    )
    command.add_argument(
        "--token", required=True, help="the participant token; '-' reads it from stdin"
    )
    command.add_argument(
        "--whip-endpoint",
        type=http_url,
        help="the WHIP endpoint (default: IVS's global one; the emulator's is "
        "ENDPOINT/_emulator/whip)",
    )
    command.add_argument("--width", type=int, default=640, help="video width (default 640)")
    command.add_argument("--height", type=int, default=360, help="video height (default 360)")
    command.add_argument("--fps", type=int, default=30, help="frames a second (default 30)")
    command.set_defaults(func=run)


def describe_state(state: StageState) -> str:
    """One line for a stage state: who is there, ``*`` marking publishers."""
    people = [
        f"{p.participant_id}{'*' if p.is_publishing else ''}"
        + (f" ({p.user_id})" if p.user_id else "")
        for p in state.participants
    ]
    return f"stage {state.stage_id}: {len(people)} participant(s): {', '.join(people) or '-'}"


def run(args: argparse.Namespace) -> int:
    """Run the command; return the exit status."""
    token: str = sys.stdin.readline().strip() if args.token == "-" else args.token
    if min(args.width, args.height, args.fps) <= 0 or args.width % 2 or args.height % 2:
        raise CommandError("--width and --height must be positive even numbers, --fps positive")
    try:
        terminated = asyncio.run(_until_terminated(_publish(token, args)))
    except KeyboardInterrupt:
        print("left the stage", flush=True)
        return INTERRUPTED_STATUS
    if terminated:
        print("left the stage", flush=True)
        return TERMINATED_STATUS
    return 0


async def _until_terminated(work: Coroutine[Any, Any, None]) -> bool:
    """Run ``work``; on SIGTERM cancel it, so that it leaves the stage as on Ctrl-C.

    Returns:
        Whether SIGTERM ended it.
    """
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    terminated = False

    def terminate() -> None:
        nonlocal terminated
        terminated = True
        task.cancel()

    loop.add_signal_handler(signal.SIGTERM, terminate)
    try:
        await task
    except asyncio.CancelledError:
        if not terminated:
            raise
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
    return terminated


async def _publish(token: str, args: argparse.Namespace) -> None:
    from ..media import GLOBAL_WHIP_ENDPOINT, make_test_pattern, publish, stage_state

    audio, video = make_test_pattern(args.width, args.height, args.fps)
    async with publish(
        token, audio=audio, video=video, whip_endpoint=args.whip_endpoint or GLOBAL_WHIP_ENDPOINT
    ) as publication:
        print(f"publishing as participant {publication.participant_id}", flush=True)
        async with stage_state(token) as states:
            async for state in states:
                print(describe_state(state), flush=True)
