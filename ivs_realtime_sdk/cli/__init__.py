"""The ``ivs-realtime-sdk`` command: the emulator, the demo, and token tools.

One module per command (``_local``, ``_demo``, ``_token``, ``_publish``), each
with an ``add_parser`` that registers it; ``_arguments`` holds the parser class
and the value types they share, ``_errors`` the one boundary every command runs
in. A command imports what it drives (the emulator, boto3, aiortc) only when
it runs, so ``--help`` stays quick.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._arguments import CommandParser

__all__ = ["main"]


def _parser() -> CommandParser:
    from .._version import __version__
    from . import _demo, _local, _publish, _token
    from ._arguments import CommandParser

    parser = CommandParser(
        prog="ivs-realtime-sdk", description="Amazon IVS Real-Time, typed: tools and emulator."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # The order of registration is the order of ``--help``.
    for command in (_local, _demo, _token, _publish):
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from ._errors import run_command

    return run_command(_parser().parse_args(argv))
