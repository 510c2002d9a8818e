"""The "Done when" checks, with Debian's ffmpeg as the encoder."""

from __future__ import annotations

import asyncio
import logging
import signal
import time

import pytest

from ivs_realtime_sdk.local._rtmp import EndReason, IngestProtocol, RtmpIngestServer

from .conftest import KeyRegistry, Push

KEY = "sk_us-west-2_GOODKEYsecret123"
FIGURES: dict[str, float] = {}


def _report(name: str, value: float) -> None:
    FIGURES[name] = value
    print(f"FIGURE {name} = {value:.3f}")


async def _push_and_stop(
    server: RtmpIngestServer,
    registry: KeyRegistry,
    protocol: IngestProtocol,
    extra: tuple[str, ...] = (),
) -> None:
    t0 = time.monotonic()
    push = await Push.start(server.endpoint(protocol) + KEY, extra_out=extra)
    try:
        async with asyncio.timeout(20):
            while KEY not in registry.sinks:
                await asyncio.sleep(0.05)
            sink = registry.sink(KEY)
            await sink.started.wait()
            _report(f"{protocol}_start_s", time.monotonic() - t0)
            while sink.video_frames < 45 or sink.audio_frames < 20:
                await asyncio.sleep(0.05)
        _report(f"{protocol}_45_video_20_audio_frames_s", time.monotonic() - t0)
        push.signal(signal.SIGTERM)
        stopped = time.monotonic()
        await push.wait(10)
        await asyncio.wait_for(sink.ended.wait(), 5)
    finally:
        await push.ensure_dead()
    _report(f"{protocol}_end_detect_s", sink.ended_at - stopped)
    assert sink.info is not None
    assert sink.info.protocol is protocol
    assert (sink.info.width, sink.info.height) == (320, 240)
    assert sink.info.constrained_baseline
    assert sink.info.audio is not None
    assert sink.info.audio.sample_rate == 44100
    assert sink.sizes == {(320, 240)}
    assert sink.audio_rates == {44100}
    assert sink.video.errors == 0
    assert sink.end_reason is EndReason.ENCODER_ENDED
    assert sink.end_calls == 1
    assert sink.ended_at - stopped < 5
    assert registry.requests[0].app == "app"
    await asyncio.sleep(0.2)
    assert server.active_connections == 0


async def test_rtmp_push_is_decoded_and_its_end_seen(
    server: RtmpIngestServer, registry: KeyRegistry
) -> None:
    await _push_and_stop(server, registry, IngestProtocol.RTMP)


async def test_rtmps_push_without_verification(
    server: RtmpIngestServer, registry: KeyRegistry
) -> None:
    # Debian's ffmpeg (GnuTLS) does not verify by default; -tls_verify 0 says so.
    await _push_and_stop(server, registry, IngestProtocol.RTMPS, ("-tls_verify", "0"))


async def test_rtmps_push_trusting_the_generated_certificate(
    server: RtmpIngestServer, registry: KeyRegistry
) -> None:
    assert server.tls_files is not None
    ca = str(server.tls_files.cert_path)
    await _push_and_stop(
        server, registry, IngestProtocol.RTMPS, ("-tls_verify", "1", "-ca_file", ca)
    )


async def test_rtmps_verification_is_real(server: RtmpIngestServer, registry: KeyRegistry) -> None:
    """Without the CA file a verifying ffmpeg refuses us: the check above means something."""
    push = await Push.start(
        server.endpoint(IngestProtocol.RTMPS) + KEY, duration=2, extra_out=("-tls_verify", "1")
    )
    rc = await push.wait(20)
    assert rc != 0
    assert KEY not in registry.sinks


async def _expect_refused(
    push: Push, server: RtmpIngestServer, caplog: pytest.LogCaptureFixture
) -> float:
    t0 = time.monotonic()
    try:
        rc = await push.wait(15)
    finally:
        await push.ensure_dead()
    elapsed = time.monotonic() - t0
    assert rc != 0
    await asyncio.sleep(0.2)
    # Only still-live pushes may hold a connection.
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert refusals, "a refusal is logged"
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert "WRONG" not in record.getMessage()
    return elapsed


async def test_wrong_key_refused(
    server: RtmpIngestServer, registry: KeyRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    push = await Push.start(server.endpoint(IngestProtocol.RTMP) + "sk_WRONGkey", duration=10)
    _report("wrong_key_refused_s", await _expect_refused(push, server, caplog))
    assert server.active_connections == 0
    assert not registry.sinks
    assert [r.levelno for r in caplog.records if "refused" in r.getMessage()] == [logging.WARNING]


async def test_second_push_on_live_key_refused(
    server: RtmpIngestServer, registry: KeyRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    first = await Push.start(server.endpoint(IngestProtocol.RTMP) + KEY, duration=30)
    try:
        async with asyncio.timeout(20):
            while KEY not in registry.sinks:
                await asyncio.sleep(0.05)
            await registry.sink(KEY).started.wait()
        second = await Push.start(server.endpoint(IngestProtocol.RTMPS) + KEY, duration=10)
        _report("second_push_refused_s", await _expect_refused(second, server, caplog))
        assert server.active_connections == 1  # the first is untouched
        assert len(registry.sinks[KEY]) == 1
        assert not registry.sink(KEY).ended.is_set()
    finally:
        first.signal(signal.SIGTERM)
        await first.wait(10)
    await asyncio.wait_for(registry.sink(KEY).ended.wait(), 5)


async def test_1080p_push_refused(
    server: RtmpIngestServer, registry: KeyRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    push = await Push.start(
        server.endpoint(IngestProtocol.RTMP) + KEY,
        size="1920x1080",
        video=("-profile:v", "baseline", "-bf", "0", "-preset", "ultrafast"),
        duration=10,
    )
    _report("1080p_refused_s", await _expect_refused(push, server, caplog))
    sink = registry.sink(KEY)
    assert not sink.started.is_set(), "no media reaches the stage"
    assert sink.end_reason is EndReason.MEDIA_REFUSED
    assert "1920x1080" in sink.end_detail
    assert server.active_connections == 0
    assert not registry.live, "the key is free again"


async def test_b_frames_refused_unless_allowed(
    server: RtmpIngestServer, registry: KeyRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    push = await Push.start(
        server.endpoint(IngestProtocol.RTMP) + KEY,
        video=("-profile:v", "main", "-bf", "2"),
        duration=10,
    )
    await _expect_refused(push, server, caplog)
    assert registry.sink(KEY).end_reason is EndReason.MEDIA_REFUSED
    assert "B-frames" in registry.sink(KEY).end_detail


async def test_b_frames_accepted_when_allowed() -> None:
    registry = KeyRegistry(KEY, allow_b_frames=True)
    async with RtmpIngestServer(registry.authorize, rtmps_port=None) as server:
        push = await Push.start(
            server.endpoint(IngestProtocol.RTMP) + KEY,
            video=("-profile:v", "main", "-bf", "2"),
            duration=3,
        )
        try:
            assert await push.wait(20) == 0
        finally:
            await push.ensure_dead()
        sink = registry.sink(KEY)
        await asyncio.wait_for(sink.ended.wait(), 5)
        assert sink.video_frames >= 60
        assert sink.info is not None
        assert not sink.info.constrained_baseline


async def test_sigkill_noticed(server: RtmpIngestServer, registry: KeyRegistry) -> None:
    push = await Push.start(server.endpoint(IngestProtocol.RTMP) + KEY, duration=30)
    try:
        async with asyncio.timeout(20):
            while KEY not in registry.sinks:
                await asyncio.sleep(0.05)
            sink = registry.sink(KEY)
            await sink.started.wait()
            while sink.video_frames < 10:
                await asyncio.sleep(0.05)
        push.signal(signal.SIGKILL)
        killed = time.monotonic()
        await asyncio.wait_for(sink.ended.wait(), 5)
    finally:
        await push.ensure_dead()
    _report("sigkill_detect_s", sink.ended_at - killed)
    assert sink.end_reason is EndReason.CONNECTION_CLOSED
    assert sink.ended_at - killed < 3
    await asyncio.sleep(0.1)
    assert server.active_connections == 0
