"""The emulator's CPU per RTMP push at 720p30: Baseline relayed as pushed vs decoded and re-encoded.

Each run starts an emulator in a child process (so its CPU is its own), pushes
a 1280x720 30 fps Baseline H.264 test source with a tone from Debian's ffmpeg
and subscribes one WebRTC subscriber from this process. The figure is the
child's CPU seconds (user + system, every thread, from ``/proc``) per second
of media over a window after a warm-up. ``reencode`` is the emulator before
pass-through (``IngestListener.pass_through_h264 = False``: every frame is
decoded, then encoded by aiortc for the subscriber); ``relay`` is the default.
Audio (AAC decoded, Opus encoded) costs the same in both.

    python benchmarks/bench_ingest.py
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time

import boto3

WARMUP = 3.0
SECONDS = 8.0
FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "region_name": "us-east-1",
}


def serve(mode: str) -> None:
    """The child: an emulator until stdin closes."""
    from ivs_realtime_sdk.local import LocalIVSRealTime
    from ivs_realtime_sdk.local._ingest_listener import IngestListener

    IngestListener.pass_through_h264 = mode == "relay"
    with LocalIVSRealTime() as emulator:
        print(emulator.endpoint_url, flush=True)
        sys.stdin.read()


def start_emulator(mode: str) -> tuple[subprocess.Popen[str], str]:
    """The child emulator and its endpoint URL."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    return child, child.stdout.readline().strip()


def stop_emulator(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.close()
    child.wait(10)


def start_push(url: str) -> subprocess.Popen[bytes]:
    """ffmpeg pushing 720p30 Baseline H.264 (ultrafast, 2.5 Mbps) and AAC until killed."""
    return subprocess.Popen(
        [
            *(FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error", "-re"),
            *("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30"),
            *("-f", "lavfi", "-i", "sine=frequency=440"),
            *("-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast"),
            *("-profile:v", "baseline", "-bf", "0", "-g", "30", "-b:v", "2500k"),
            *("-c:a", "aac", "-f", "flv", url),
        ],
        stdin=subprocess.DEVNULL,
    )


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(mode: str) -> tuple[float, int]:
    """CPU seconds per media second of the emulator, and the frames the subscriber decoded."""
    from ivs_realtime_sdk import (
        Capability,
        IngestConfigurationSpec,
        IngestProtocol,
        IVSRealTime,
        ParticipantTokenConfig,
        StageSpec,
    )
    from ivs_realtime_sdk.errors import StageRefusedError
    from ivs_realtime_sdk.media import subscribe

    child, endpoint = start_emulator(mode)
    push: subprocess.Popen[bytes] | None = None
    try:
        with IVSRealTime(session=boto3.Session(**CREDENTIALS), endpoint_url=endpoint) as sdk:
            created = sdk.create_stage(
                StageSpec(
                    name="bench",
                    participant_token_configurations=(
                        ParticipantTokenConfig(user_id="v", capabilities={Capability.SUBSCRIBE}),
                    ),
                )
            )
            config = sdk.create_ingest_configuration(
                IngestConfigurationSpec(
                    ingest_protocol=IngestProtocol.RTMP,
                    stage_arn=created.stage.arn,
                    insecure_ingest=True,
                )
            )
            url = sdk.get_stage(created.stage.arn).endpoints.rtmp
            assert url is not None
        push = start_push(url + config.stream_key)
        # The push publishes once ffmpeg connected and its media passed the rules.
        token = created.participant_tokens[0].token
        for _ in range(150):
            try:
                async with subscribe(token, config.participant_id):
                    break
            except StageRefusedError:
                await asyncio.sleep(0.1)
        frames = 0
        async with subscribe(created.participant_tokens[0].token, config.participant_id) as sub:
            assert sub.video is not None
            video = sub.video

            async def count() -> None:
                nonlocal frames
                while True:
                    await video.recv()
                    frames += 1

            counter = asyncio.create_task(count())
            await asyncio.sleep(WARMUP)
            start_cpu, start, start_frames = cpu_seconds(child.pid), time.monotonic(), frames
            await asyncio.sleep(SECONDS)
            used = cpu_seconds(child.pid) - start_cpu
            elapsed = time.monotonic() - start
            counter.cancel()
        return used / elapsed, frames - start_frames
    finally:
        if push is not None:
            push.kill()
            push.wait()
        stop_emulator(child)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(sys.argv[2])
        return
    results = {mode: asyncio.run(measure(mode)) for mode in ("reencode", "relay")}
    for mode, (cpu, frames) in results.items():
        print(
            f"ingest 720p30 {mode:8s}: {cpu:.3f} CPU s per media s, "
            f"{frames} frames decoded by the subscriber in {SECONDS:.0f} s"
        )
    ratio = results["reencode"][0] / max(results["relay"][0], 1e-9)
    print(f"ingest 720p30 CPU per push: re-encode / relay = {ratio:.2f}x")


if __name__ == "__main__":
    main()
