"""The command line: the demo (the README's main job) and the emulator command."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ivs_realtime_sdk.cli import main
from ivs_realtime_sdk.local import LocalIVSRealTime

JWT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")


def _env(**extra: str) -> dict[str, str]:
    # No AWS configuration at all: the demo must not need an account.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        **extra,
    )
    return env


def _demo(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ivs_realtime_sdk", "demo", *args],
        capture_output=True,
        text=True,
        env=_env(**env),
        timeout=60,
        check=False,
    )


def test_demo_creates_a_stage_and_two_tokens_offline_in_under_three_seconds() -> None:
    start = time.perf_counter()
    result = _demo()
    elapsed = time.perf_counter() - start
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"^Stage arn:aws:ivs:us-east-1:\d{12}:stage/\w+$", out, re.MULTILINE)
    assert out.count("- participant ") == 2
    assert "PUBLISH+SUBSCRIBE" in out
    assert "user viewer: SUBSCRIBE," in out
    assert re.search(r"token eyJ\w{9}\.\.\.\(\d+ chars\)", out)
    assert not JWT.search(out), "a whole token was printed"
    assert elapsed < 3.0, f"demo took {elapsed:.2f}s"


def test_demo_runs_against_any_endpoint_given_one() -> None:
    with LocalIVSRealTime() as server:
        args = ("--endpoint-url", server.endpoint_url, "--region", "us-east-1")
        result = _demo(*args, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        assert result.returncode == 0, result.stderr
        stats = server.stats["CreateStage"]
    assert stats.succeeded == 1
    assert "Stage arn:aws:ivs:us-east-1:123456789012:stage/" in result.stdout


def test_demo_without_credentials_against_an_endpoint_fails_clearly() -> None:
    with LocalIVSRealTime() as server:
        result = _demo("--endpoint-url", server.endpoint_url, "--region", "us-east-1")
    assert result.returncode == 1
    assert "no AWS credentials" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_local_prints_its_url_first_and_stops_on_a_signal(sig: signal.Signals) -> None:
    script = Path(sys.executable).with_name("ivs-realtime-sdk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "ivs_realtime_sdk"]
    with subprocess.Popen(
        [*command, "local", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    ) as process:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", first), first
        process.send_signal(sig)
        assert process.wait(timeout=10) == 0


def test_local_prints_its_rtmp_ingest_listeners() -> None:
    script = Path(sys.executable).with_name("ivs-realtime-sdk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "ivs_realtime_sdk"]
    with subprocess.Popen(
        [*command, "local", "--port", "0", "--rtmp-port", "0", "--rtmps-port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", process.stdout.readline().strip())
        where, *lines = [process.stderr.readline().strip() for _ in range(4)]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert where.startswith("recordings: ")
    assert re.fullmatch(r"RTMP ingest: rtmp://127\.0\.0\.1:\d+/app/<stream key>", lines[0])
    assert re.fullmatch(r"RTMPS ingest: rtmps://127\.0\.0\.1:\d+/app/<stream key>", lines[1])
    assert lines[2].startswith("RTMPS certificate: ")
    assert lines[2].endswith(".pem")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--rtmps-cert", "cert.pem"], "give rtmps_cert and rtmps_key together"),
        (["--rtmps-cert", "nothere.pem", "--rtmps-key", "nothere.pem"], "no file"),
    ],
)
def test_local_refuses_bad_rtmps_files(flags: list[str], message: str) -> None:
    script = Path(sys.executable).with_name("ivs-realtime-sdk")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "ivs_realtime_sdk"]
    result = subprocess.run(
        [*command, "local", "--port", "0", *flags],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=30,
        check=False,
    )
    assert result.returncode == 2  # the CLI's status for a bad argument
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_local_on_loopback_warns_of_nothing(
    host: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served = _fake_serve(monkeypatch)
    assert main(["local", "--host", host]) == 0
    assert served == [host]
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.internal"])
def test_local_beyond_loopback_warns_on_stderr_and_names_credentials(
    host: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Binding beyond loopback used to be silent. Nothing is bound here: serve is replaced.
    served = _fake_serve(monkeypatch)
    assert main(["local", "--host", host]) == 0
    assert served == [host]
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("ivs-realtime-sdk local: warning: ")
    assert "any client on the network can use" in lines[0]
    assert "accepted" in lines[1]
    assert "--credentials" in lines[1]
    assert captured.out == ""
    assert main(["local", "--host", host, "--credentials", "AKIDEXAMPLE:s3cr3t-value"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "any client on the network" in lines[0]
    assert "s3cr3t-value" not in lines[0]


def _fake_serve(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import ivs_realtime_sdk.local

    served: list[str] = []

    def serve(*, host: str, on_listening: Callable[[], None], **_: object) -> None:
        served.append(host)
        on_listening()  # as the real one does, once the socket is bound

    monkeypatch.setattr(ivs_realtime_sdk.local, "serve", serve)
    return served
