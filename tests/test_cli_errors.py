"""Every CLI subcommand answers a user's mistake in one line, non-zero, with no traceback."""

from __future__ import annotations

import argparse
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from botocore.retries.standard import ExponentialBackoff

from ivs_realtime_sdk import __version__, cli
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.tokens import generate_key_pair

KEY_ARN = "arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234"
STAGE_ARN = "arn:aws:ivs:us-east-1:123456789012:stage/abcdEFGH1234"
ENDPOINTS = ["--events-url", "wss://e.example", "--whip-url", "https://w.example"]
PYTHON_NAMES = re.compile(r"\b(region_name|endpoint_url|profile_name)\b")


@pytest.fixture
def hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No AWS configuration of the machine; retries without waits, so failures are quick."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0.0)


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch, hermetic: None) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture
def used_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def private_key(tmp_path: Path) -> str:
    path = tmp_path / "private.pem"
    path.write_bytes(generate_key_pair().private_key_pem())
    return str(path)


def _fails_in_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str, status: int = 2
) -> str:
    try:
        got = cli.main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        got = int(exc.code or 0)
    err = capsys.readouterr().err
    assert got == status, err
    assert err.count("\n") == 1, err
    assert err.startswith("ivs-realtime-sdk"), err
    assert ": error: " in err
    assert "Traceback" not in err
    assert PYTHON_NAMES.search(err) is None, err
    assert expected in err, err
    return err


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"ivs-realtime-sdk {__version__}"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["nope"], "invalid choice: 'nope'"),
        (["token"], "the following arguments are required: COMMAND"),
        (["local", "--port", "-1"], "-1 is not a port; use 1 to 65535, or 0 for any free one"),
        (["local", "--port", "70000"], "70000 is not a port"),
        (["local", "--port", "http"], "'http' is not a port number"),
        (["local", "--region", "US East"], "'US East' is not a region name such as us-east-1"),
        (["local", "--account-id", "123"], "'123' is not an account ID of 12 digits"),
        (["local", "--events-webhook", "localhost:8080"], "'localhost:8080' is not a URL"),
        (["local", "--credentials", "AKID"], "expected ACCESS_KEY_ID:SECRET, both non-empty"),
        (["local", "--credentials", ":s3cr3t"], "expected ACCESS_KEY_ID:SECRET"),
        (["demo", "--endpoint-url"], "expected one argument"),
        (["token", "mint"], "the following arguments are required: --private-key"),
        (["token", "keygen"], "the following arguments are required: --private-key"),
    ],
)
def test_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    err = _fails_in_one_line(capsys, argv, expected)
    assert "--help" in err
    assert "s3cr3t" not in err


def test_local_on_a_port_in_use(capsys: pytest.CaptureFixture[str], used_port: int) -> None:
    _fails_in_one_line(
        capsys,
        ["local", "--port", str(used_port)],
        f"127.0.0.1:{used_port} is already in use; pick another --port, or --port 0",
    )


def test_local_on_an_address_of_another_machine(capsys: pytest.CaptureFixture[str]) -> None:
    # 192.0.2.1 is TEST-NET-1: never an address of this machine, so the bind fails.
    _fails_in_one_line(
        capsys, ["local", "--host", "192.0.2.1"], "--host 192.0.2.1 is not an address"
    )


@pytest.mark.usefixtures("hermetic")
def test_demo_with_an_endpoint_but_no_region_names_the_flag(
    capsys: pytest.CaptureFixture[str], closed_url: str
) -> None:
    err = _fails_in_one_line(capsys, ["demo", "--endpoint-url", closed_url], "--region", 1)
    assert "no AWS region" in err


@pytest.mark.usefixtures("credentials")
def test_demo_with_an_endpoint_url_without_scheme(capsys: pytest.CaptureFixture[str]) -> None:
    _fails_in_one_line(
        capsys,
        ["demo", "--endpoint-url", "127.0.0.1:4566", "--region", "us-east-1"],
        "--endpoint-url '127.0.0.1:4566' has no scheme",
        1,
    )


@pytest.mark.usefixtures("credentials")
def test_demo_against_an_unreachable_endpoint(
    capsys: pytest.CaptureFixture[str], closed_url: str
) -> None:
    _fails_in_one_line(
        capsys,
        ["demo", "--endpoint-url", closed_url, "--region", "us-east-1"],
        "could not reach the endpoint",
        1,
    )


@pytest.mark.usefixtures("hermetic")
def test_demo_without_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    with LocalIVSRealTime() as server:
        argv = ["demo", "--endpoint-url", server.endpoint_url, "--region", "us-east-1"]
        _fails_in_one_line(capsys, argv, "no AWS credentials", 1)


def _mint(private_key: str, *extra: str) -> list[str]:
    return ["token", "mint", "--private-key", private_key, "--public-key-arn", KEY_ARN, *extra]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--stage-arn", "arn:aws:ivs:us-east-1:1:channel/x", *ENDPOINTS], "--stage-arn: "),
        (["--stage-arn", STAGE_ARN, "--events-url", "wss://e"], "give both --events-url"),
        (["--stage-arn", STAGE_ARN, *ENDPOINTS, "--duration", "0"], "--duration: 0 minutes"),
        (["--stage-arn", STAGE_ARN, *ENDPOINTS, "--attribute", "x"], "--attribute 'x' is not"),
        (["--stage-arn", STAGE_ARN, *ENDPOINTS, "--participant-id", "a b"], "--participant-id"),
        (["--stage-arn", STAGE_ARN, *ENDPOINTS, "--user-id", "u" * 129], "--user-id: "),
    ],
)
def test_mint_with_bad_values_names_the_flag(
    capsys: pytest.CaptureFixture[str], private_key: str, extra: list[str], expected: str
) -> None:
    _fails_in_one_line(capsys, _mint(private_key, *extra), expected)


def test_mint_with_an_unreadable_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.pem")
    _fails_in_one_line(capsys, _mint(missing, "--stage-arn", STAGE_ARN, *ENDPOINTS), "No such file")


def test_mint_with_a_bad_key_arn(capsys: pytest.CaptureFixture[str], private_key: str) -> None:
    argv = _mint(private_key, "--stage-arn", STAGE_ARN, *ENDPOINTS)
    argv[argv.index(KEY_ARN)] = "arn:aws:ivs:us-east-1:123456789012:stage/x"
    _fails_in_one_line(capsys, argv, "--public-key-arn: ")


@pytest.mark.usefixtures("credentials")
def test_mint_fetch_from_an_unreachable_endpoint(
    capsys: pytest.CaptureFixture[str], private_key: str, closed_url: str
) -> None:
    argv = _mint(private_key, "--stage-arn", STAGE_ARN, "--fetch", "--region", "us-east-1")
    _fails_in_one_line(capsys, [*argv, "--endpoint-url", closed_url], "--endpoint-url", 1)


def test_keygen_into_a_missing_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = str(tmp_path / "no" / "such" / "key.pem")
    _fails_in_one_line(capsys, ["token", "keygen", "--private-key", target], "No such file")


def test_keygen_over_an_existing_file(capsys: pytest.CaptureFixture[str], private_key: str) -> None:
    _fails_in_one_line(capsys, ["token", "keygen", "--private-key", private_key], "--force")


def test_publish_with_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    _fails_in_one_line(capsys, ["publish", "--token", "t", "--width", "3"], "--width")
    _fails_in_one_line(
        capsys, ["publish", "--token", "t", "--whip-endpoint", "ftp://x"], "--whip-endpoint"
    )
    # Not a participant token: the command was right, the token is not (status 1).
    _fails_in_one_line(capsys, ["publish", "--token", "not.a-token"], "token", 1)


def _leaf_commands(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[str]:
    for action in parser._actions:  # pyright: ignore[reportPrivateUsage]
        if isinstance(action, argparse._SubParsersAction):  # pyright: ignore[reportPrivateUsage]
            for name, sub in action.choices.items():  # pyright: ignore[reportUnknownVariableType]
                yield from _leaf_commands(sub, f"{prefix} {name}".strip())  # pyright: ignore[reportUnknownArgumentType]
            return
    yield prefix


def test_every_subcommand_has_error_paths_tested_here() -> None:
    source = Path(__file__).read_text()
    untested = [
        command
        for command in _leaf_commands(cli._parser())  # pyright: ignore[reportPrivateUsage]
        if not re.search(r'\["' + '", "'.join(command.split()) + '"', source)
        and f"def test_{command.replace(' ', '_')}" not in source
    ]
    assert not untested, f"add error-path tests for: {untested}"


def test_a_port_in_use_shows_no_traceback_in_a_real_process(used_port: int) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ivs_realtime_sdk", "local", "--port", str(used_port)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "already in use" in result.stderr


@pytest.mark.usefixtures("credentials")
def test_mint_fetch_refuses_a_private_key_that_does_not_match_the_imported_key(
    capsys: pytest.CaptureFixture[str], private_key: str
) -> None:
    from ivs_realtime_sdk import IVSRealTime
    from ivs_realtime_sdk.models import StageSpec
    from ivs_realtime_sdk.models.public_key import PublicKeySpec

    other = generate_key_pair()
    with LocalIVSRealTime() as server:
        with IVSRealTime(region_name="us-east-1", endpoint_url=server.endpoint_url) as sdk:
            key_arn = sdk.import_public_key(PublicKeySpec(public_key_material=other.public_key_pem))
            stage_arn = sdk.create_stage(StageSpec(name="s")).stage.arn
        argv = ["token", "mint", "--private-key", private_key, "--public-key-arn"]
        argv += [str(key_arn.arn), "--stage-arn", stage_arn, "--fetch", "--region", "us-east-1"]
        argv += ["--endpoint-url", server.endpoint_url]
        err = _fails_in_one_line(capsys, argv, "--private-key is not the private half")
    assert "-----BEGIN" not in err


def test_mint_without_fetch_says_the_pair_was_not_checked(
    capsys: pytest.CaptureFixture[str], private_key: str
) -> None:
    assert cli.main(_mint(private_key, "--stage-arn", STAGE_ARN, *ENDPOINTS)) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("eyJ")
    assert "the key pair was not checked against --public-key-arn" in captured.err


def test_local_on_a_host_name_that_does_not_resolve(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def unresolved(*args: object, **kwargs: object) -> NoReturn:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unresolved)  # no DNS query leaves the machine
    _fails_in_one_line(
        capsys,
        ["local", "--host", "nowhere.invalid"],
        "--host 'nowhere.invalid' cannot be resolved",
    )
