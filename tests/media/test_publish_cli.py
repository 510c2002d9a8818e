"""``ivs-realtime-sdk publish``: the test pattern until Ctrl-C or SIGTERM, against the emulator."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ivs_realtime_sdk.cli._publish import describe_state
from ivs_realtime_sdk.media import StageParticipant, StageState

from .conftest import MediaStage

DEADLINE = 20.0


def _read_until(process: subprocess.Popen[str], predicate: object) -> list[str]:
    lines: list[str] = []
    stop = time.monotonic() + DEADLINE
    assert process.stdout is not None
    while time.monotonic() < stop:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if predicate(lines[-1]):  # type: ignore[operator]
            return lines
    raise AssertionError(f"never printed what was expected: {lines}")


@pytest.mark.parametrize(
    ("stop", "status"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143)],
    ids=["ctrl-c", "sigterm"],
)
def test_publish_prints_the_participant_and_the_stage_until_stopped(
    stage: MediaStage, stop: signal.Signals, status: int
) -> None:
    # SIGTERM (a service manager, docker stop) leaves the stage as Ctrl-C does:
    # before, the participant stayed CONNECTED after the process died.
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ivs_realtime_sdk",
            "publish",
            "--token",
            "-",
            "--whip-endpoint",
            stage.server.whip_endpoint,
            "--width",
            "160",
            "--height",
            "120",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        try:
            assert process.stdin is not None
            assert process.stdout is not None
            assert process.stderr is not None
            process.stdin.write(stage.publisher.token + "\n")
            process.stdin.close()
            participant = stage.publisher.participant_id
            lines = _read_until(process, lambda line: f"{participant}*" in line)
            assert lines[0] == f"publishing as participant {participant}"
            assert lines[-1] == (
                f"stage {stage.stage_id}: 1 participant(s): {participant}* (publisher)"
            )
            process.send_signal(stop)
            process.wait(timeout=DEADLINE)
            out, err = process.stdout.read(), process.stderr.read()
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == status, err
    assert "left the stage" in out
    assert stage.publisher.token not in out + err
    assert stage.event_names(participant)[-1] == "LEFT"


def test_publish_refuses_a_token_without_publish(stage: MediaStage) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ivs_realtime_sdk", "publish", "--token", stage.subscriber.token],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("ivs-realtime-sdk publish: error: ")
    assert "does not grant PUBLISH" in result.stderr
    assert stage.subscriber.token not in result.stderr + result.stdout


def test_publish_refuses_a_bad_size() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ivs_realtime_sdk", "publish", "--token", "t", "--width", "3"],
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("ivs-realtime-sdk publish: error: --width and --height")


def test_describe_state() -> None:
    state = StageState(
        stage_id="s",
        participants=(
            StageParticipant(participant_id="a", user_id="u", is_publishing=True),
            StageParticipant(participant_id="b"),
        ),
    )
    assert describe_state(state) == "stage s: 2 participant(s): a* (u), b"
    assert describe_state(StageState(stage_id="s")) == "stage s: 0 participant(s): -"
