"""The ``token`` command: keygen and mint round trips, in process and through ``python -m``."""

from __future__ import annotations

import argparse
import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ivs_realtime_sdk import IVSRealTime, cli
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.models import StageSpec
from ivs_realtime_sdk.models.public_key import PublicKeySpec
from ivs_realtime_sdk.tokens import generate_key_pair

KEY_ARN = "arn:aws:ivs:us-east-1:123456789012:public-key/abcDEF123"
STAGE_ARN = "arn:aws:ivs:us-east-1:123456789012:stage/abcd1234"
STAGE_ARGS = [
    "--stage-arn",
    STAGE_ARN,
    "--events-url",
    "wss://e.example",
    "--whip-url",
    "https://w",
]
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def parser() -> argparse.ArgumentParser:
    return cli._parser()  # pyright: ignore[reportPrivateUsage]


def run(*argv: str) -> int:
    return cli.main(["token", *argv])


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private, public = tmp_path / "private.pem", tmp_path / "public.pem"
    assert run("keygen", "--private-key", str(private), "--public-key", str(public)) == 0
    return private, public


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_line_error(err: str, command: str) -> None:
    assert err.count("\n") == 1, err
    assert err.startswith(f"ivs-realtime-sdk token {command}: error: ")
    assert "Traceback" not in err


# -- keygen -----------------------------------------------------------------------------


def test_keygen_writes_a_p384_pair_with_a_private_file_of_mode_0600(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private = tmp_path / "id.pem"
    assert run("keygen", "--private-key", str(private)) == 0
    out = capsys.readouterr().out
    assert out.startswith("-----BEGIN PUBLIC KEY-----\n")
    assert "PRIVATE" not in out
    assert mode(private) == 0o600
    key = serialization.load_pem_private_key(private.read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert isinstance(key.curve, ec.SECP384R1)
    public = serialization.load_pem_public_key(out.encode())
    assert isinstance(public, ec.EllipticCurvePublicKey)
    assert public.public_numbers() == key.public_key().public_numbers()


def test_keygen_keeps_0600_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        assert (
            run("keygen", "--private-key", str(tmp_path / "k"), "--public-key", str(tmp_path / "p"))
            == 0
        )
    finally:
        os.umask(previous)
    assert mode(tmp_path / "k") == 0o600
    assert mode(tmp_path / "p") == 0o644


def test_keygen_writes_nothing_if_the_public_key_file_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p").write_text("keep me")
    assert (
        run("keygen", "--private-key", str(tmp_path / "k"), "--public-key", str(tmp_path / "p"))
        == 2
    )
    one_line_error(capsys.readouterr().err, "keygen")
    assert not (tmp_path / "k").exists()
    assert (tmp_path / "p").read_text() == "keep me"


def test_keygen_refuses_to_overwrite_without_force(
    keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    before = private.read_bytes()
    capsys.readouterr()
    assert run("keygen", "--private-key", str(private)) == 2
    captured = capsys.readouterr()
    one_line_error(captured.err, "keygen")
    assert "--force" in captured.err
    assert captured.out == ""
    assert private.read_bytes() == before

    os.chmod(private, 0o644)
    args = ("keygen", "--private-key", str(private), "--public-key", str(public), "--force")
    assert run(*args) == 0
    assert private.read_bytes() != before
    assert mode(private) == 0o600
    assert sorted(p.name for p in private.parent.iterdir()) == ["private.pem", "public.pem"]


def test_keygen_reports_an_unwritable_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("keygen", "--private-key", str(tmp_path / "no" / "such" / "dir.pem")) == 2
    one_line_error(capsys.readouterr().err, "keygen")


# -- mint -------------------------------------------------------------------------------


def test_mint_prints_a_token_pyjwt_verifies(
    keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    status = run(
        "mint",
        "--private-key",
        str(private),
        "--public-key-arn",
        KEY_ARN,
        *STAGE_ARGS,
        "--user-id",
        "ana",
        "--attribute",
        "displayName=Ana Lima",
        "--attribute",
        "eq=a=b",
        "--attribute",
        "empty=",
        "--capability",
        "publish",
        "--duration",
        "30",
        "--participant-id",
        "seat-1",
    )
    assert status == 0
    out = capsys.readouterr().out
    assert out.endswith("\n")
    token = out.strip()
    assert jwt.get_unverified_header(token) == {"alg": "ES384", "typ": "JWT", "kid": KEY_ARN}
    claims = jwt.decode(token, public.read_text(), algorithms=["ES384"])
    assert claims["exp"] - claims["iat"] == 30 * 60
    assert claims["jti"] == "seat-1"
    assert claims["resource"] == STAGE_ARN
    assert claims["topic"] == "abcd1234"
    assert claims["events_url"] == "wss://e.example"
    assert claims["whip_url"] == "https://w"
    assert claims["user_id"] == "ana"
    assert claims["attributes"] == {"displayName": "Ana Lima", "eq": "a=b", "empty": ""}
    assert claims["capabilities"] == {"allow_publish": True, "allow_subscribe": False}


def test_mint_json_is_shaped_like_create_participant_token(
    keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    before = datetime.now(UTC).replace(microsecond=0)
    args = ("mint", "--private-key", str(private), "--public-key-arn", KEY_ARN, *STAGE_ARGS)
    assert run(*args, "--json") == 0
    document = json.loads(capsys.readouterr().out)
    body = document["participantToken"]
    assert set(body) == {
        "participantId",
        "token",
        "attributes",
        "duration",
        "capabilities",
        "expirationTime",
    }
    assert body["duration"] == 720
    assert body["capabilities"] == ["PUBLISH", "SUBSCRIBE"]
    assert body["attributes"] == {}
    expires = datetime.fromisoformat(body["expirationTime"])
    assert body["expirationTime"].endswith("Z")
    assert before + timedelta(hours=12) <= expires <= datetime.now(UTC) + timedelta(hours=12)
    claims = jwt.decode(body["token"], public.read_text(), algorithms=["ES384"])
    assert claims["jti"] == body["participantId"]
    assert claims["exp"] == int(expires.timestamp())


def test_mint_reads_the_key_from_stdin(
    keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    private, public = keys
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(private.read_bytes())))
    assert run("mint", "--private-key", "-", "--public-key-arn", KEY_ARN, *STAGE_ARGS) == 0
    token = capsys.readouterr().out.strip()
    assert jwt.decode(token, public.read_text(), algorithms=["ES384"])["resource"] == STAGE_ARN


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (["--stage-arn", STAGE_ARN], "give both --events-url and --whip-url, or --fetch"),
        (["--stage-arn", STAGE_ARN, "--events-url", "wss://e"], "give both"),
        ([*STAGE_ARGS, "--fetch"], "not both"),
        ([*STAGE_ARGS, "--attribute", "novalue"], "'novalue' is not KEY=VALUE"),
        ([*STAGE_ARGS, "--attribute", "=v"], "is not KEY=VALUE"),
        ([*STAGE_ARGS, "--duration", "0"], "0 minutes is outside 1 to 20160"),
        ([*STAGE_ARGS, "--duration", "20161"], "outside 1 to 20160"),
        ([*STAGE_ARGS, "--participant-id", "no spaces"], "does not match"),
        ([*STAGE_ARGS, "--attribute", "k=" + "v" * 1100], "over the limit of 1024 bytes"),
        (["--stage-arn", "stage/x", "--events-url", "e", "--whip-url", "w"], "does not match"),
        (
            ["--stage-arn", STAGE_ARN.replace("us-east-1", "eu-west-1"), *STAGE_ARGS[2:]],
            "region and account",
        ),
    ],
)
def test_mint_errors_are_one_line_and_exit_2(
    keys: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    problem: str,
) -> None:
    private, _ = keys
    assert run("mint", "--private-key", str(private), "--public-key-arn", KEY_ARN, *extra) == 2
    captured = capsys.readouterr()
    one_line_error(captured.err, "mint")
    assert problem in captured.err
    assert captured.out == ""


def test_mint_key_errors_never_show_key_material(
    keys: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public = keys
    pem = private.read_text()
    truncated = tmp_path / "truncated.pem"
    truncated.write_text(pem[:-80])
    cases = {
        str(public): "error: --private-key: this is a public key",
        str(truncated): "not a private key",
        str(tmp_path / "missing.pem"): "cannot read",
        str(tmp_path): "cannot read",
    }
    body = [line for line in pem.splitlines() if not line.startswith("-----")]
    for path, problem in cases.items():
        status = run("mint", "--private-key", path, "--public-key-arn", KEY_ARN, *STAGE_ARGS)
        assert status == 2
        err = capsys.readouterr().err
        one_line_error(err, "mint")
        assert problem in err
        for line in body:
            assert line not in err
    assert run("mint", "--private-key", str(private), "--public-key-arn", "nope", *STAGE_ARGS) == 2
    err = capsys.readouterr().err
    one_line_error(err, "mint")
    assert "error: --public-key-arn: 'nope' does not match" in err


def test_argparse_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["token"], ["token", "mint"], ["token", "mint", "--capability", "RECORD"]):
        with pytest.raises(SystemExit) as caught:
            parser().parse_args(argv)
        assert caught.value.code == 2
    capsys.readouterr()


# -- against the emulator ---------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[LocalIVSRealTime]:
    with LocalIVSRealTime() as running:
        yield running


@pytest.fixture
def hermetic_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Credentials for the emulator only; no profile or config file of the machine is read."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("hermetic_aws")
def test_keygen_then_mint_with_fetch_joins_the_emulated_stage(
    server: LocalIVSRealTime, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private = tmp_path / "k.pem"
    assert run("keygen", "--private-key", str(private)) == 0
    public_pem = capsys.readouterr().out
    session = boto3.Session(region_name=server.region, **CREDENTIALS)
    with IVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
        key_arn = sdk.import_public_key(PublicKeySpec(public_key_material=public_pem)).arn
        assert key_arn is not None
        stage = sdk.create_stage(StageSpec(name="cli")).stage
    status = run(
        "mint",
        "--private-key",
        str(private),
        "--public-key-arn",
        key_arn,
        "--stage-arn",
        stage.arn,
        "--fetch",
        "--region",
        server.region,
        "--endpoint-url",
        server.endpoint_url,
        "--json",
    )
    assert status == 0
    body = json.loads(capsys.readouterr().out)["participantToken"]
    assert server.join(stage.arn, body["token"], publish=True) == body["participantId"]


@pytest.mark.usefixtures("hermetic_aws")
def test_fetch_of_a_missing_stage_is_a_one_line_error(
    server: LocalIVSRealTime, keys: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    private, _ = keys
    status = run(
        "mint",
        "--private-key",
        str(private),
        "--public-key-arn",
        KEY_ARN,
        "--stage-arn",
        STAGE_ARN,
        "--fetch",
        "--region",
        "us-east-1",
        "--endpoint-url",
        server.endpoint_url,
    )
    assert status == 1  # the command line was right; the service said no
    err = capsys.readouterr().err
    one_line_error(err, "mint")
    assert "ResourceNotFoundException" in err


# -- python -m ivs_realtime_sdk ---------------------------------------------------------


def test_python_dash_m_round_trip(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    private, public = tmp_path / "k.pem", tmp_path / "k.pub"
    command = [sys.executable, "-m", "ivs_realtime_sdk", "token"]
    keygen = subprocess.run(
        [*command, "keygen", "--private-key", str(private), "--public-key", str(public)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert keygen.returncode == 0, keygen.stderr
    assert keygen.stdout == ""
    assert mode(private) == 0o600
    mint = subprocess.run(
        [*command, "mint", "--private-key", str(private), "--public-key-arn", KEY_ARN, *STAGE_ARGS],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert mint.returncode == 0, mint.stderr
    claims = jwt.decode(mint.stdout.strip(), public.read_text(), algorithms=["ES384"])
    assert claims["resource"] == STAGE_ARN
    failed = subprocess.run(
        [*command, "mint", "--private-key", str(public), "--public-key-arn", KEY_ARN, *STAGE_ARGS],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert failed.returncode == 2
    one_line_error(failed.stderr, "mint")
    assert failed.stdout == ""


def test_generate_key_pair_output_is_what_keygen_writes(tmp_path: Path) -> None:
    """keygen is generate_key_pair plus files: the PEM forms are the same."""
    pair = generate_key_pair()
    assert pair.private_key_pem().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert (
        run("keygen", "--private-key", str(tmp_path / "a"), "--public-key", str(tmp_path / "b"))
        == 0
    )
    assert (tmp_path / "a").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "b").read_text().startswith("-----BEGIN PUBLIC KEY-----")
