"""The ``token`` command: mint self-signed participant tokens and make key pairs.

``ivs-realtime-sdk token mint`` prints a token (or, with ``--json``, the same
JSON shape as ``aws ivs-realtime create-participant-token``);
``ivs-realtime-sdk token keygen`` writes a new P-384 key pair. Errors go
through the CLI's one boundary (``cli._errors``): one line on stderr, without
traceback or key material.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric import ec

from ..models.stage import Stage, StageEndpoints
from ..models.token import MAX_DURATION, Capability, ParticipantToken, ParticipantTokenConfig
from ..tokens import TokenSigner, generate_key_pair, load_public_key
from ._arguments import Subparsers
from ._errors import CommandError

__all__ = ["add_parser"]

_MINUTE = timedelta(minutes=1)
_MAX_MINUTES = MAX_DURATION // _MINUTE


def add_parser(subparsers: Subparsers) -> None:
    """Register the ``token`` command, with ``mint`` and ``keygen``, on a CLI's subparsers.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers()`` returned.
    """
    token = subparsers.add_parser(
        "token",
        help="mint self-signed participant tokens, or make a signing key pair",
        description="Self-signed participant tokens: signed locally, no API call.",
    )
    commands = token.add_subparsers(dest="token_command", metavar="COMMAND", required=True)
    _add_mint(commands)
    _add_keygen(commands)


# The models' fields that mint's options fill, for errors that name the option.
_MINT_FIELDS = {
    "Stage.arn": "--stage-arn",
    "StageEndpoints.events": "--events-url",
    "StageEndpoints.whip": "--whip-url",
    "ParticipantTokenConfig.user_id": "--user-id",
    "ParticipantTokenConfig.attributes": "--attribute",
    "ParticipantTokenConfig.duration": "--duration",
    "TokenSigner.mint.participant_id": "--participant-id",
    "TokenSigner.mint.stage": "--stage-arn",
    "TokenSigner.mint.stage.arn": "--stage-arn",
    "TokenSigner.public_key_arn": "--public-key-arn",
    "TokenSigner.private_key": "--private-key",
}


def _add_mint(commands: Subparsers) -> None:
    mint = commands.add_parser(
        "mint",
        help="sign a participant token locally",
        description=(
            "Sign a participant token with a private key whose public key was imported "
            "with ImportPublicKey. Give the stage's endpoints, or --fetch them with GetStage."
        ),
    )
    key = mint.add_argument_group("signing key")
    key.add_argument(
        "--private-key",
        required=True,
        metavar="PATH",
        help="P-384 private key file (PEM or DER); '-' reads it from stdin",
    )
    key.add_argument(
        "--public-key-arn", required=True, metavar="ARN", help="ARN of the imported public key"
    )
    stage = mint.add_argument_group("stage")
    stage.add_argument("--stage-arn", required=True, metavar="ARN", help="the stage's ARN")
    stage.add_argument("--events-url", metavar="URL", help="the stage's events endpoint")
    stage.add_argument("--whip-url", metavar="URL", help="the stage's WHIP endpoint")
    stage.add_argument(
        "--fetch",
        action="store_true",
        help="get the endpoints with GetStage (needs AWS credentials) instead",
    )
    stage.add_argument(
        "--region", dest="fetch_region", metavar="REGION", help="AWS region for --fetch"
    )
    stage.add_argument(
        "--profile", dest="fetch_profile", metavar="NAME", help="AWS profile for --fetch"
    )
    stage.add_argument(
        "--endpoint-url", dest="fetch_endpoint_url", metavar="URL", help="API endpoint for --fetch"
    )
    who = mint.add_argument_group("participant")
    who.add_argument(
        "--participant-id",
        metavar="ID",
        help="participant id (jti); 12 random characters if omitted",
    )
    who.add_argument("--user-id", metavar="ID", help="your own id for the participant")
    who.add_argument(
        "--attribute",
        dest="attributes",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="application attribute (repeatable; 1 KB in total)",
    )
    who.add_argument(
        "--capability",
        dest="capabilities",
        action="append",
        type=str.upper,
        choices=[c.value for c in Capability],
        metavar="{PUBLISH,SUBSCRIBE}",
        help="what the participant may do (repeatable; both if omitted)",
    )
    who.add_argument(
        "--duration",
        type=int,
        default=720,
        metavar="MINUTES",
        help=f"lifetime in minutes, 1 to {_MAX_MINUTES} (default: 720)",
    )
    mint.add_argument(
        "--json",
        action="store_true",
        help="print the token as JSON, shaped like create-participant-token's output",
    )
    mint.set_defaults(func=_mint, cli_fields=_MINT_FIELDS)


def _add_keygen(commands: Subparsers) -> None:
    keygen = commands.add_parser(
        "keygen",
        help="write a new P-384 key pair for self-signed tokens",
        description=(
            "Write a new EC P-384 key pair: the private key (PKCS#8 PEM, mode 0600) to a "
            "file, the public key (SPKI PEM, for ImportPublicKey) to stdout or a file."
        ),
    )
    keygen.add_argument(
        "--private-key", required=True, metavar="PATH", help="where to write the private key"
    )
    keygen.add_argument(
        "--public-key", metavar="PATH", help="where to write the public key (default: stdout)"
    )
    keygen.add_argument("--force", action="store_true", help="overwrite existing files")
    keygen.set_defaults(func=_keygen)


# -- mint -------------------------------------------------------------------------------


def _read_private_key(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path!r}: {exc.strerror or type(exc).__name__}") from None


def _attributes(pairs: list[str]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CommandError(f"--attribute {pair!r} is not KEY=VALUE")
        attributes[key] = value
    return attributes


def _stage(args: argparse.Namespace, signer: TokenSigner) -> Stage:
    events_url: str | None = args.events_url
    whip_url: str | None = args.whip_url
    if args.fetch:
        if events_url is not None or whip_url is not None:
            raise CommandError("give --events-url and --whip-url, or --fetch, not both")
        return _fetch_stage(args, signer)
    if events_url is None or whip_url is None:
        raise CommandError("give both --events-url and --whip-url, or --fetch")
    return Stage(arn=args.stage_arn, endpoints=StageEndpoints(events=events_url, whip=whip_url))


def _fetch_stage(args: argparse.Namespace, signer: TokenSigner) -> Stage:
    """GetStage for the endpoints, and GetPublicKey to check that the key pair matches."""
    import boto3
    from botocore.exceptions import BotoCoreError

    from ..client import IVSRealTime

    try:
        session = boto3.Session(profile_name=args.fetch_profile)
        with IVSRealTime(
            session=session,
            region_name=args.fetch_region or getattr(args, "region", None),
            endpoint_url=args.fetch_endpoint_url or getattr(args, "endpoint_url", None),
        ) as sdk:
            stage = sdk.get_stage(args.stage_arn)
            imported = sdk.get_public_key(args.public_key_arn).public_key_material
    except BotoCoreError as exc:
        raise CommandError(f"cannot fetch the stage: {exc}") from None
    if imported is None or not _same_key(load_public_key(imported), signer.public_key):
        raise CommandError(
            "--private-key is not the private half of the key imported as --public-key-arn, "
            "so IVS would refuse its tokens at join; give that key's private key, "
            "or import this one's public key (token keygen prints it) and use its ARN"
        )
    return stage


def _same_key(imported: ec.EllipticCurvePublicKey, ours: ec.EllipticCurvePublicKey) -> bool:
    return imported.public_numbers() == ours.public_numbers()


def _mint(args: argparse.Namespace) -> int:
    """Print a token signed for the stage."""
    config = ParticipantTokenConfig(
        user_id=args.user_id,
        attributes=_attributes(args.attributes),
        capabilities=frozenset(Capability(c) for c in args.capabilities or Capability),
        duration=args.duration,
    )
    signer = TokenSigner(_read_private_key(args.private_key), args.public_key_arn)
    token = signer.mint(_stage(args, signer), config, participant_id=args.participant_id)
    if not args.fetch:
        print(
            f"{args.cli_prog}: note: the key pair was not checked against --public-key-arn "
            "(--fetch checks it with GetPublicKey)",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps({"participantToken": _token_json(token)}, indent=2, ensure_ascii=False))
    else:
        print(token.token)
    return 0


def _token_json(token: ParticipantToken) -> dict[str, Any]:
    body: dict[str, Any] = {"participantId": token.participant_id, "token": token.token}
    if token.user_id is not None:
        body["userId"] = token.user_id
    body["attributes"] = dict(token.attributes)
    body["duration"] = token.duration // _MINUTE
    body["capabilities"] = sorted(c.value for c in token.capabilities)
    body["expirationTime"] = token.expiration_time.isoformat().replace("+00:00", "Z")
    return body


# -- keygen -----------------------------------------------------------------------------


def _write_new(path: Path, data: bytes, *, mode: int, force: bool) -> None:
    """Write ``data`` to ``path`` with exactly ``mode``, refusing to overwrite unless ``force``."""
    if not force:
        if path.exists():
            raise CommandError(f"{str(path)!r} exists; use --force to overwrite it")
        target, temporary = path, None
    else:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        target = temporary
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(target, flags, mode)
    except FileExistsError:
        raise CommandError(f"{str(path)!r} exists; use --force to overwrite it") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)  # the umask may have narrowed it
            handle.write(data)
        if temporary is not None:
            os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise


def _keygen(args: argparse.Namespace) -> int:
    """Write a new key pair."""
    targets = [args.private_key] if args.public_key is None else [args.private_key, args.public_key]
    if not args.force:
        for target in targets:
            if Path(target).exists():
                raise CommandError(f"{target!r} exists; use --force to overwrite it")
    pair = generate_key_pair()
    _write_new(Path(args.private_key), pair.private_key_pem(), mode=0o600, force=args.force)
    if args.public_key is None:
        out: IO[str] = sys.stdout
        out.write(pair.public_key_pem)
    else:
        _write_new(
            Path(args.public_key), pair.public_key_pem.encode("ascii"), mode=0o644, force=args.force
        )
    return 0
