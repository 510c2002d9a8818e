"""Without ffmpeg: timeouts, many connections, limits, hostile bytes, rules."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivs_realtime_sdk.local._rtmp import (
    EndReason,
    IngestAccept,
    IngestProtocol,
    IngestRefusal,
    IngestRequest,
    Limits,
    RtmpIngestServer,
    VideoAccessUnit,
)
from ivs_realtime_sdk.local._rtmp import _amf0 as amf
from ivs_realtime_sdk.local._rtmp import _chunks as ch
from ivs_realtime_sdk.local._rtmp._flv import FlvError, parse_audio, parse_video
from ivs_realtime_sdk.local._rtmp._h264 import H264Error, parse_avc_config, parse_sps
from ivs_realtime_sdk.local._rtmp._policy import BitrateMeter, MediaRules, check_resolution

from .conftest import KeyRegistry, RecordingSink
from .rtmp_client import Publisher, PublishRefused, encode_clip

KEY = "sk_us-west-2_GOODKEYsecret123"
CLIP = encode_clip(320, 240, 10)


async def _wait_idle(server: RtmpIngestServer, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while server.active_connections:
            await asyncio.sleep(0.02)


async def test_silent_publisher_times_out(registry: KeyRegistry) -> None:
    """A TCP link that dies without FIN/RST shows up as silence."""
    async with RtmpIngestServer(registry.authorize, idle_timeout=2.0, rtmps_port=None) as server:
        pub = await Publisher.open(server.rtmp_port)
        await pub.publish(KEY)
        await pub.send_clip(CLIP)
        sink = registry.sink(KEY)
        await asyncio.wait_for(sink.started.wait(), 5)
        silent_from = time.monotonic()
        await asyncio.wait_for(sink.ended.wait(), 6)
        assert sink.end_reason is EndReason.TIMEOUT
        assert 1.9 < sink.ended_at - silent_from < 3.5
        print(f"FIGURE silent_detect_s = {sink.ended_at - silent_from:.3f}")
        await pub.close()
        await _wait_idle(server)


async def test_stalled_handshake_is_dropped(registry: KeyRegistry) -> None:
    async with RtmpIngestServer(registry.authorize, setup_timeout=1.0, rtmps_port=None) as server:
        _, w = await asyncio.open_connection("127.0.0.1", server.rtmp_port)
        w.write(b"\x03" + bytes(100))  # half a C1, then nothing
        await asyncio.sleep(0.1)
        assert server.active_connections == 1
        await _wait_idle(server, 3)
        w.close()


async def test_many_publishers_at_once() -> None:
    keys = [f"sk_key{i:03d}" for i in range(40)]
    registry = KeyRegistry(*keys)
    async with RtmpIngestServer(registry.authorize, rtmps_port=None) as server:

        async def one(key: str) -> None:
            pub = await Publisher.open(server.rtmp_port)
            await pub.publish(key)
            await pub.send_clip(CLIP)
            await pub.unpublish(key)
            await pub.close()

        t0 = time.monotonic()
        await asyncio.wait_for(asyncio.gather(*(one(k) for k in keys)), 30)
        for key in keys:
            await asyncio.wait_for(registry.sink(key).ended.wait(), 5)
        print(f"FIGURE 40_publishers_s = {time.monotonic() - t0:.3f}")
        for key in keys:
            sink = registry.sink(key)
            assert sink.end_reason is EndReason.ENCODER_ENDED
            assert sink.video_frames == len(CLIP.frames)
            assert sink.audio_frames >= 8
        await _wait_idle(server)
        assert server.stats.get("handler_errors", 0) == 0


async def test_disconnect_ends_a_publisher(server: RtmpIngestServer, registry: KeyRegistry) -> None:
    pub = await Publisher.open(server.rtmp_port)
    await pub.publish(KEY)
    await pub.send_clip(CLIP)
    sink = registry.sink(KEY)
    await asyncio.wait_for(sink.started.wait(), 5)
    assert await server.disconnect(registry.requests[0].connection_id)
    assert sink.end_reason is EndReason.DISCONNECTED
    with contextlib.suppress(ConnectionError):
        assert await asyncio.wait_for(pub.reader.read(), 5) == b""
    await pub.close()
    await _wait_idle(server)
    assert not registry.live
    assert not await server.disconnect(12345)


async def test_stop_ends_publishers(registry: KeyRegistry) -> None:
    server = RtmpIngestServer(registry.authorize, rtmps_port=None)
    await server.start()
    pub = await Publisher.open(server.rtmp_port)
    await pub.publish(KEY)
    await pub.send_clip(CLIP)
    await server.stop()
    assert registry.sink(KEY).end_reason is EndReason.SERVER_STOPPED
    await pub.close()


async def test_declared_bitrate_over_limit_refused(
    server: RtmpIngestServer, registry: KeyRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    pub = await Publisher.open(server.rtmp_port)
    await pub.publish(KEY)
    await pub.metadata(
        {
            "width": 1280.0,
            "height": 720.0,
            "videodatarate": 8000.0,
            "audiodatarate": 600.0,
            "videocodecid": 7.0,
        }
    )
    sink = registry.sink(KEY)
    await asyncio.wait_for(sink.ended.wait(), 5)
    assert sink.end_reason is EndReason.MEDIA_REFUSED
    assert "8600 kbps" in sink.end_detail
    assert await asyncio.wait_for(pub.reader.read(), 5) == b""
    assert all(KEY not in r.getMessage() for r in caplog.records)
    await pub.close()


async def test_audio_only_codec_outside_rules_refused(
    server: RtmpIngestServer, registry: KeyRegistry
) -> None:
    pub = await Publisher.open(server.rtmp_port)
    await pub.publish(KEY)
    await pub.send(4, ch.AUDIO, b"\x2f\x00\x00", stream=1)  # MP3
    sink = registry.sink(KEY)
    await asyncio.wait_for(sink.ended.wait(), 5)
    assert sink.end_reason is EndReason.MEDIA_REFUSED
    await pub.close()


async def test_refused_publisher_sees_error_then_close(server: RtmpIngestServer) -> None:
    pub = await Publisher.open(server.rtmp_port)
    with pytest.raises(PublishRefused):
        await pub.publish("sk_unknown")
    assert await asyncio.wait_for(pub.reader.read(), 5) == b""
    await pub.close()
    await _wait_idle(server)


def _open_message(i: int, length: int) -> bytes:
    """A fmt-0 chunk on chunk stream 64+i starting a `length`-byte message."""
    header = (
        bytes([0x00, i])
        + bytes(3)
        + length.to_bytes(3, "big")
        + b"\x09"
        + (1).to_bytes(4, "little")
    )
    return header + b"x" * 128


def test_chunk_limits_name_the_breach() -> None:
    for blob, match in [
        (b"".join(_open_message(i, 1000) for i in range(70)), "too many chunk streams"),
        (b"".join(_open_message(i, 1 << 20) for i in range(10)), "partial messages"),
        (bytes([0x03]) + bytes(3) + b"\xff\xff\xff\x14" + bytes(4), "size limit"),
    ]:
        with pytest.raises(ch.ChunkError, match=match):
            ch.ChunkReader().feed(blob)


@pytest.mark.parametrize(
    "evil",
    [
        # Set Chunk Size of 2^31-1.
        bytes([0x02])
        + bytes(3)
        + (4).to_bytes(3, "big")
        + b"\x01"
        + bytes(4)
        + b"\x7f\xff\xff\xff",
        # A message declaring 16 MiB.
        bytes([0x03]) + bytes(3) + b"\xff\xff\xff\x14" + bytes(4) + b"x" * 128,
        # Continuation chunk on a stream never opened.
        bytes([0xC7]) + b"x" * 200,
        # 70 chunk streams each starting a message and leaving it open.
        b"".join(_open_message(i, 1000) for i in range(70)),
        # Ten 1 MiB messages left open: over the 6 MiB in-flight cap.
        b"".join(_open_message(i, 1 << 20) for i in range(10)),
    ],
    ids=["chunk-size", "message-size", "orphan-continuation", "chunk-streams", "in-flight"],
)
async def test_limits_close_the_connection(server: RtmpIngestServer, evil: bytes) -> None:
    pub = await Publisher.open(server.rtmp_port)
    pub.writer.write(evil)
    await pub.writer.drain()
    assert await asyncio.wait_for(pub.reader.read(), 5) == b""
    await pub.close()
    await _wait_idle(server)


async def test_random_bytes_after_handshake(
    server: RtmpIngestServer, registry: KeyRegistry
) -> None:
    """Garbage at every stage: no handler error escapes, nothing stays open."""
    rng = random.Random(22)
    t0 = time.monotonic()
    for i in range(150):
        pub = await Publisher.open(server.rtmp_port)
        if i % 3 == 1:
            await pub.publish(KEY)
            await pub.send_clip(encode_clip(64, 64, 1) if i == 1 else CLIP, audio=False)
        blob = os.urandom(rng.randrange(1, 4000))
        if i % 3 == 2:
            # Valid chunk framing around random payloads: reaches AMF/FLV parsers.
            await pub.send(
                3,
                rng.choice(
                    [
                        ch.COMMAND_AMF0,
                        ch.DATA_AMF0,
                        ch.VIDEO,
                        ch.AUDIO,
                        ch.COMMAND_AMF3,
                        ch.USER_CONTROL,
                    ]
                ),
                blob,
                stream=1,
            )
        else:
            pub.writer.write(blob)
        with contextlib.suppress(ConnectionError):
            await pub.writer.drain()
        await pub.close()
    await _wait_idle(server, 10)
    print(f"FIGURE fuzz_150_connections_s = {time.monotonic() - t0:.3f}")
    assert server.stats.get("handler_errors", 0) == 0
    assert not registry.live


async def test_fuzzed_publish_media_parsers(
    server: RtmpIngestServer, registry: KeyRegistry
) -> None:
    """Corrupt real video/audio messages bit by bit inside an accepted publish."""
    rng = random.Random(7)
    pub = await Publisher.open(server.rtmp_port)
    await pub.publish(KEY)
    await pub.send_clip(CLIP)
    for i in range(300):
        data, key = CLIP.frames[i % len(CLIP.frames)]
        body = bytearray(bytes([0x17 if key else 0x27, 1, 0, 0, 0]) + data)
        for _ in range(rng.randrange(1, 8)):
            body[rng.randrange(len(body))] = rng.randrange(256)
        try:
            await pub.send(6, ch.VIDEO, bytes(body), ts=400 + i * 33, stream=1)
        except ConnectionError:
            break
    await pub.close()
    await asyncio.wait_for(registry.sink(KEY).ended.wait(), 5)
    await _wait_idle(server)


# -- pure parsers --------------------------------------------------------


def test_sps_sizes_and_profiles() -> None:
    for (w, h), profile, preset in [
        ((1920, 1080), "baseline", "ultrafast"),
        ((1280, 720), "high", "medium"),
        ((720, 1280), "main", "medium"),
        ((322, 242), "high", "medium"),
    ]:
        clip = encode_clip(w, h, 1, profile, preset)
        info = parse_avc_config(clip.avc_config).sps_info
        assert (info.width, info.height) == (w, h)
        assert info.profile_idc == {"baseline": 66, "main": 77, "high": 100}[profile]


def test_resolution_rule() -> None:
    rules = MediaRules()
    assert check_resolution(rules, 1280, 720) is None
    assert check_resolution(rules, 720, 1280) is None
    assert check_resolution(rules, 1920, 1080) is not None
    assert check_resolution(rules, 1080, 1920) is not None
    assert check_resolution(rules, 1281, 500) is not None
    assert check_resolution(rules, 800, 800) is not None


def test_measured_bitrate_rule() -> None:
    meter = BitrateMeter(MediaRules(bitrate_window_s=5.0), start=0.0)
    # A 4 MB burst in the first second is tolerated until a window has passed...
    assert meter.add(0.5, 4_000_000) is None
    # ...then 8 Mbps steady is fine and 9 Mbps is not.
    t = 0.5
    verdict = None
    for _ in range(100):
        t += 0.1
        verdict = meter.add(t, 100_000)  # 8 Mbps
    assert verdict is None
    for _ in range(60):
        t += 0.1
        verdict = meter.add(t, 115_000)  # 9.2 Mbps
    assert verdict is not None
    assert "over 8.5 Mbps" in verdict


amf_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)


@given(st.lists(amf_values, max_size=5))
def test_amf0_round_trip(values: list[amf.AmfValue]) -> None:
    assert amf.decode_all(amf.encode_all(*values)) == values


@given(st.binary(max_size=2000))
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_amf0_hostile(data: bytes) -> None:
    with contextlib.suppress(amf.AmfError):
        amf.decode_all(data)


@given(st.binary(max_size=3000), st.integers(1, 64))
def test_chunk_reader_hostile(data: bytes, split: int) -> None:
    reader = ch.ChunkReader(Limits(max_chunk_size=4096, max_message_size=65536))
    try:
        for i in range(0, len(data), split):
            reader.feed(data[i : i + split])
    except ch.ChunkError:
        pass


@given(
    st.lists(
        st.tuples(st.integers(2, 63), st.integers(0, 0xFFFFFFFF), st.binary(max_size=600)),
        max_size=8,
    ),
    st.integers(1, 300),
    st.integers(1, 50),
)
def test_chunk_round_trip(msgs: list[tuple[int, int, bytes]], chunk_size: int, split: int) -> None:
    writer = ch.ChunkWriter()
    wire = writer.encode(2, ch.Message(ch.SET_CHUNK_SIZE, 0, 0, chunk_size.to_bytes(4, "big")))
    writer.chunk_size = chunk_size
    for csid, ts, payload in msgs:
        wire += writer.encode(csid, ch.Message(ch.VIDEO, 1, ts, payload))
    reader = ch.ChunkReader()
    got = []
    for i in range(0, len(wire), split):
        got += reader.feed(wire[i : i + split])
    assert [(m.timestamp, m.payload) for m in got[1:]] == [(ts, p) for _, ts, p in msgs]


@given(st.binary(max_size=500))
def test_flv_and_h264_hostile(data: bytes) -> None:
    avc = parse_avc_config(CLIP.avc_config)
    with contextlib.suppress(FlvError):
        parse_video(data, 0, avc)
    with contextlib.suppress(FlvError):
        parse_video(data, 0, None)
    with contextlib.suppress(FlvError):
        parse_audio(data, 0, None)
    with contextlib.suppress(H264Error):
        parse_sps(b"\x67" + data)
    with contextlib.suppress(H264Error):
        parse_avc_config(b"\x01" + data)


def test_stream_key_never_in_repr() -> None:
    from ivs_realtime_sdk.local._rtmp import IngestRequest, StreamKey

    req = IngestRequest(
        connection_id=1,
        stream_key=StreamKey(KEY),
        protocol=IngestProtocol.RTMP,
        app="app",
        peer="x",
    )
    assert KEY not in repr(req)
    assert KEY not in str(req.stream_key)


async def test_connections_over_capacity_are_closed(registry: KeyRegistry) -> None:
    async with RtmpIngestServer(registry.authorize, rtmps_port=None, max_connections=3) as server:
        pubs = [await Publisher.open(server.rtmp_port) for _ in range(3)]
        r, w = await asyncio.open_connection("127.0.0.1", server.rtmp_port)
        assert await asyncio.wait_for(r.read(), 5) == b""
        w.close()
        assert server.stats["over_capacity"] == 1
        assert server.active_connections == 3
        for pub in pubs:
            await pub.close()
        await _wait_idle(server)


async def test_buggy_authorize_and_sink_are_contained(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    calls = 0

    def authorize(req: IngestRequest) -> IngestAccept | IngestRefusal:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError(f"bug while handling {req.stream_key.value}")
        return IngestAccept(sink=sink)

    class BadSink(RecordingSink):
        def on_video(self, unit: VideoAccessUnit) -> None:
            raise ValueError("sink bug")

    sink = BadSink()
    async with RtmpIngestServer(authorize, rtmps_port=None) as server:
        pub = await Publisher.open(server.rtmp_port)
        with pytest.raises(PublishRefused):
            await pub.publish(KEY)
        await pub.close()
        assert server.stats["authorize_errors"] == 1
        pub = await Publisher.open(server.rtmp_port)
        await pub.publish(KEY)
        await pub.send_clip(CLIP)
        await pub.unpublish(KEY)
        await asyncio.wait_for(sink.ended.wait(), 5)
        assert sink.end_reason is EndReason.ENCODER_ENDED
        assert server.stats["sink_errors"] == len(CLIP.frames)
        assert sink.audio_frames >= 8
        await pub.close()
        assert server.stats.get("handler_errors", 0) == 0
    assert caplog.records
    assert all(KEY not in r.getMessage() for r in caplog.records)
