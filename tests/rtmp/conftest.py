"""Shared fixtures: a hard per-test time guard, ffmpeg pushes, recording sinks."""

from __future__ import annotations

import asyncio
import faulthandler
import shutil
import signal
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from ivs_realtime_sdk.local._rtmp import (
    AudioAccessUnit,
    AudioDecoders,
    EndReason,
    H264Decoder,
    IngestAccept,
    IngestRefusal,
    IngestRequest,
    RtmpIngestServer,
    StreamInfo,
    VideoAccessUnit,
)

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"


@pytest.fixture(autouse=True)
def hard_time_guard() -> Iterator[None]:
    """No test may hang the shared machine: dump stacks and exit after 90 s."""
    faulthandler.dump_traceback_later(90, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


class RecordingSink:
    """Decodes everything it gets and records when things happened."""

    def __init__(self) -> None:
        self.video = H264Decoder()
        self.audio = AudioDecoders()
        self.info: StreamInfo | None = None
        self.sizes: set[tuple[int, int]] = set()
        self.video_frames = 0
        self.audio_frames = 0
        self.audio_rates: set[int] = set()
        self.started = asyncio.Event()
        self.ended = asyncio.Event()
        self.end_reason: EndReason | None = None
        self.end_detail = ""
        self.ended_at = 0.0
        self.end_calls = 0

    def on_start(self, info: StreamInfo) -> None:
        self.info = info
        self.started.set()

    def on_video(self, unit: VideoAccessUnit) -> None:
        for f in self.video.decode(unit):
            self.video_frames += 1
            self.sizes.add((f.width, f.height))

    def on_audio(self, unit: AudioAccessUnit) -> None:
        for f in self.audio.decode(unit):
            self.audio_frames += 1
            self.audio_rates.add(f.sample_rate)

    def on_end(self, reason: EndReason, detail: str) -> None:
        self.end_calls += 1
        self.end_reason, self.end_detail = reason, detail
        self.ended_at = time.monotonic()
        self.ended.set()


class KeyRegistry:
    """What the emulator's backend will do: known keys, one live push each."""

    def __init__(self, *keys: str, allow_b_frames: bool = False) -> None:
        self.keys = set(keys)
        self.live: set[str] = set()
        self.sinks: dict[str, list[RecordingSink]] = {}
        self.requests: list[IngestRequest] = []
        self.allow_b_frames = allow_b_frames

    async def authorize(self, req: IngestRequest) -> IngestAccept | IngestRefusal:
        await asyncio.sleep(0)  # prove async callbacks work
        self.requests.append(req)
        key = req.stream_key.value
        if key not in self.keys:
            return IngestRefusal("unknown stream key")
        if key in self.live:
            return IngestRefusal("stream key already in use")
        self.live.add(key)
        registry = self

        class _Sink(RecordingSink):
            def on_end(self, reason: EndReason, detail: str) -> None:
                registry.live.discard(key)
                super().on_end(reason, detail)

        sink = _Sink()
        self.sinks.setdefault(key, []).append(sink)
        return IngestAccept(sink=sink, allow_b_frames=self.allow_b_frames)

    def sink(self, key: str) -> RecordingSink:
        return self.sinks[key][-1]


@pytest.fixture
async def registry() -> KeyRegistry:
    return KeyRegistry("sk_us-west-2_GOODKEYsecret123")


@pytest.fixture
async def server(registry: KeyRegistry) -> AsyncIterator[RtmpIngestServer]:
    srv = RtmpIngestServer(registry.authorize, idle_timeout=3.0)
    await srv.start()
    yield srv
    await srv.stop()
    assert srv.stats.get("handler_errors", 0) == 0


class Push:
    """One ffmpeg publisher process (niced; it is the heavy part of a test)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.stderr = b""

    @classmethod
    async def start(
        cls,
        url: str,
        *,
        size: str = "320x240",
        video: tuple[str, ...] = ("-profile:v", "baseline", "-bf", "0"),
        duration: float | None = None,
        extra_out: tuple[str, ...] = (),
    ) -> Push:
        args = ["nice", "-n", "10", FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error"]
        args += ["-re", "-f", "lavfi", "-i", f"testsrc=size={size}:rate=30"]
        args += ["-f", "lavfi", "-i", "sine=frequency=440"]
        if duration is not None:
            args += ["-t", str(duration)]
        # testsrc is RGB: without yuv420p x264 picks 4:4:4, which Baseline refuses.
        args += ["-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", *video]
        args += ["-g", "30", "-c:a", "aac", *extra_out, "-f", "flv", url]
        proc = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(proc)

    async def wait(self, timeout: float) -> int:
        """Exit code; kill and fail if it does not exit in time."""
        try:
            async with asyncio.timeout(timeout):
                _, self.stderr = await self.proc.communicate()
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()
            raise
        assert self.proc.returncode is not None
        return self.proc.returncode

    def signal(self, sig: signal.Signals) -> None:
        self.proc.send_signal(sig)

    async def ensure_dead(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.communicate()
