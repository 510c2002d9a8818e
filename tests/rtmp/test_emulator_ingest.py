"""The issue's bar: Debian's ffmpeg pushes into a stage of the emulator, subscribers see it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import ssl
import time
from collections.abc import Callable
from pathlib import Path

import av
import pytest

from ivs_realtime_sdk import (
    Capability,
    IngestConfigurationSpec,
    IngestProtocol,
    IVSRealTime,
    ParticipantTokenConfig,
    StageSpec,
)
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.local._rtmp import generate_self_signed
from ivs_realtime_sdk.media import subscribe
from ivs_realtime_sdk.models.ingest import IngestConfiguration

from .conftest import Push
from .rtmp_client import Publisher, PublishRefused, encode_clip


async def _until(check: Callable[[], object], timeout: float, what: str) -> object:
    """Poll the API (it has no push events) until ``check()`` is truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = await asyncio.to_thread(check)
        if result:
            return result
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def _stage_with_ingest(
    sdk: IVSRealTime, protocol: IngestProtocol
) -> tuple[str, IngestConfiguration, str]:
    created = sdk.create_stage(
        StageSpec(
            name="rtmp",
            participant_token_configurations=(
                ParticipantTokenConfig(user_id="viewer", capabilities={Capability.SUBSCRIBE}),
            ),
        )
    )
    config = sdk.create_ingest_configuration(
        IngestConfigurationSpec(
            ingest_protocol=protocol,
            stage_arn=created.stage.arn,
            user_id="encoder",
            insecure_ingest=protocol is IngestProtocol.RTMP or None,
        )
    )
    return created.stage.arn, config, created.participant_tokens[0].token


def _publishing(sdk: IVSRealTime, stage_arn: str, participant_id: str) -> str | None:
    """The participant's protocol once it is connected and publishing."""
    sessions = sdk.list_stage_sessions(stage_arn).items
    if not sessions:
        return None
    session_id = sessions[0].session_id
    for p in sdk.list_participants(stage_arn, session_id).items:
        if p.participant_id == participant_id and p.state == "CONNECTED" and p.published:
            return str(sdk.get_participant(stage_arn, session_id, participant_id).protocol)
    return None


def _left(sdk: IVSRealTime, stage_arn: str, participant_id: str) -> bool:
    session_id = sdk.list_stage_sessions(stage_arn).items[0].session_id
    found = sdk.get_participant(stage_arn, session_id, participant_id)
    return str(found.state) == "DISCONNECTED"


@pytest.mark.parametrize("protocol", [IngestProtocol.RTMP, IngestProtocol.RTMPS])
async def test_ffmpeg_push_reaches_subscribers(
    emulator: LocalIVSRealTime, sdk: IVSRealTime, protocol: IngestProtocol
) -> None:
    stage_arn, config, viewer = _stage_with_ingest(sdk, protocol)
    endpoints = sdk.get_stage(stage_arn).endpoints
    url = endpoints.rtmp if protocol is IngestProtocol.RTMP else endpoints.rtmps
    assert url == (
        emulator.rtmp_endpoint if protocol is IngestProtocol.RTMP else emulator.rtmps_endpoint
    )
    assert url is not None
    # RTMPS: ffmpeg verifies the emulator's generated certificate, trusted as its own CA.
    extra = (
        ("-tls_verify", "1", "-ca_file", str(emulator.rtmps_certificate))
        if protocol is IngestProtocol.RTMPS
        else ()
    )
    participant_id = config.participant_id
    push = await Push.start(url + config.stream_key, extra_out=extra)
    try:
        seen = await _until(
            lambda: _publishing(sdk, stage_arn, participant_id), 10, "the push publishing"
        )
        assert seen == str(protocol)
        assert str(sdk.get_ingest_configuration(config.arn).state) == "ACTIVE"
        async with subscribe(viewer, participant_id) as subscription:
            assert subscription.video is not None
            assert subscription.audio is not None
            sizes: set[tuple[int, int]] = set()
            rates: set[int] = set()
            frames = audio = 0
            async with asyncio.timeout(10):
                while frames < 30 or audio < 10:
                    if frames < 30:
                        frame = await subscription.video.recv()
                        assert isinstance(frame, av.VideoFrame)
                        sizes.add((frame.width, frame.height))
                        frames += 1
                    if audio < 10:
                        sound = await subscription.audio.recv()
                        assert isinstance(sound, av.AudioFrame)
                        rates.add(sound.sample_rate)
                        audio += 1
            assert sizes == {(320, 240)}
            # The push's AAC is 44.1 kHz; 48 kHz out is Opus, which the emulator encoded.
            assert rates == {48000}
        push.signal(signal.SIGTERM)
        await push.wait(10)
        await _until(lambda: _left(sdk, stage_arn, participant_id), 5, "the push leaving")
    finally:
        await push.ensure_dead()
    assert str(sdk.get_ingest_configuration(config.arn).state) == "INACTIVE"
    emulator.flush_events()
    names = [
        e["detail"]["event_name"]
        for e in emulator.events
        if e["detail"].get("participant_id") == participant_id
    ]
    assert names == ["Participant Published", "Participant Unpublished"]
    session_id = sdk.list_stage_sessions(stage_arn).items[0].session_id
    recorded = sdk.list_participant_events(stage_arn, session_id, participant_id).items
    assert [str(e.name) for e in recorded] == [
        "JOINED",
        "PUBLISH_STARTED",
        "PUBLISH_STOPPED",
        "LEFT",
    ]


async def test_refusals_leave_nothing_and_never_log_the_key(
    emulator: LocalIVSRealTime, sdk: IVSRealTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stage_arn, config, _ = _stage_with_ingest(sdk, IngestProtocol.RTMP)
    url = emulator.rtmp_endpoint
    assert url is not None
    participant_id = config.participant_id
    key = config.stream_key
    wrong = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")

    refused = await Push.start(url + wrong)
    assert await refused.wait(10) != 0
    assert b"Refused" in refused.stderr

    # 1080p: over IVS's 720p, refused once the SPS shows it (or metadata says it).
    big = await Push.start(url + key, size="1920x1080")
    try:
        assert await big.wait(15) != 0
    finally:
        await big.ensure_dead()

    first = await Push.start(url + key)
    try:
        await _until(lambda: _publishing(sdk, stage_arn, participant_id), 10, "the push")
        second = await Push.start(url + key)
        assert await second.wait(10) != 0
        assert b"Refused" in second.stderr
        # The first push is untouched.
        assert _publishing(sdk, stage_arn, participant_id) == "RTMP"
    finally:
        first.signal(signal.SIGTERM)
        await first.wait(10)
        await first.ensure_dead()
    await _until(lambda: _left(sdk, stage_arn, participant_id), 5, "the push leaving")
    # One JOINED: neither the 1080p push nor the second ever joined.
    sessions = sdk.list_stage_sessions(stage_arn).items
    joined = [
        e
        for s in sessions
        for e in sdk.list_participant_events(stage_arn, s.session_id, participant_id).items
        if str(e.name) == "JOINED"
    ]
    assert len(joined) == 1
    warnings = [r for r in caplog.records if r.name.startswith("ivs_realtime_sdk.local.rtmp")]
    assert sum("refused" in r.getMessage() for r in warnings) >= 3
    for record in caplog.records:
        assert key not in record.getMessage()
        assert wrong not in record.getMessage()


@pytest.fixture(scope="module")
def clip() -> object:
    return encode_clip(320, 240, 10)


async def test_api_ends_a_push_and_plain_rtmp_needs_insecure_ingest(
    emulator: LocalIVSRealTime, sdk: IVSRealTime, clip: object
) -> None:
    port = int(str(emulator.rtmp_endpoint).rsplit(":", 1)[1].split("/")[0])
    stage_arn, config, _ = _stage_with_ingest(sdk, IngestProtocol.RTMP)
    publisher = await Publisher.open(port)
    try:
        await publisher.publish(config.stream_key)
        await publisher.metadata({"width": 320.0, "height": 240.0})
        await publisher.send_clip(clip)  # type: ignore[arg-type]
        participant_id = config.participant_id
        await _until(lambda: _publishing(sdk, stage_arn, participant_id), 5, "the push")
        session_id = sdk.list_stage_sessions(stage_arn).items[0].session_id
        sdk.disconnect_participant(stage_arn, participant_id)
        async with asyncio.timeout(5):
            # The emulator closes the connection: reading reaches EOF.
            while await publisher.reader.read(65536):
                pass
        assert str(sdk.get_participant(stage_arn, session_id, participant_id).state) == (
            "DISCONNECTED"
        )
    finally:
        await publisher.close()

    # An RTMPS configuration (insecureIngest false) refuses plain RTMP.
    _, secure, _ = _stage_with_ingest(sdk, IngestProtocol.RTMPS)
    plain = await Publisher.open(port)
    try:
        with pytest.raises(PublishRefused):
            await plain.publish(secure.stream_key)
    finally:
        await plain.close()
    assert str(sdk.get_ingest_configuration(secure.arn).state) == "INACTIVE"


async def test_stage_endpoints_name_the_listeners(
    emulator: LocalIVSRealTime, sdk: IVSRealTime
) -> None:
    created = sdk.create_stage(StageSpec(name="endpoints"))
    for endpoints in (
        created.stage.endpoints,
        sdk.get_stage(created.stage.arn).endpoints,
    ):
        assert endpoints.rtmp == emulator.rtmp_endpoint
        assert endpoints.rtmps == emulator.rtmps_endpoint
    assert str(emulator.rtmp_endpoint).startswith("rtmp://127.0.0.1:")
    assert str(emulator.rtmp_endpoint).endswith("/app/")
    assert str(emulator.rtmps_endpoint).startswith("rtmps://127.0.0.1:")
    assert emulator.rtmp_endpoint != emulator.rtmps_endpoint


async def test_deleting_the_configuration_ends_its_push_and_backups_push_alongside(
    emulator: LocalIVSRealTime, sdk: IVSRealTime, clip: object
) -> None:
    port = int(str(emulator.rtmp_endpoint).rsplit(":", 1)[1].split("/")[0])
    stage_arn, config, _ = _stage_with_ingest(sdk, IngestProtocol.RTMP)
    sdk.update_ingest_configuration(config.arn, redundant_ingest=True)
    paths = sdk.get_ingest_configuration(config.arn).redundant_ingest_credentials
    assert len(paths) == 2
    publishers: list[Publisher] = []
    try:
        # Each redundant path's key takes one push, as its own participant.
        for path in paths:
            publisher = await Publisher.open(port)
            publishers.append(publisher)
            await publisher.publish(str(path.stream_key))
            await publisher.metadata({"width": 320.0, "height": 240.0})
            await publisher.send_clip(clip)  # type: ignore[arg-type]
        for path in paths:
            pid = str(path.participant_id)
            await _until(lambda pid=pid: _publishing(sdk, stage_arn, pid), 5, "both paths")
        again = await Publisher.open(port)
        publishers.append(again)
        with pytest.raises(PublishRefused):
            await again.publish(str(paths[0].stream_key))
        sdk.delete_ingest_configuration(config.arn, force=True)
        async with asyncio.timeout(5):
            # The emulator closes the deleted configuration's connection: EOF.
            while await publishers[0].reader.read(65536):
                pass
    finally:
        for publisher in publishers:
            await publisher.close()


async def test_a_given_rtmps_pair_is_served(tmp_path: Path) -> None:
    files = generate_self_signed(tmp_path)
    async with LocalIVSRealTime(
        rtmp_port=0, rtmps_cert=files.cert_path, rtmps_key=files.key_path
    ) as server:
        assert server.rtmps_certificate == files.cert_path
        endpoint = str(server.rtmps_endpoint)
        port = int(endpoint.rsplit(":", 1)[1].split("/")[0])
        context = ssl.create_default_context(cafile=str(files.cert_path))
        _, writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=context, server_hostname="127.0.0.1"
        )
        certificate = writer.get_extra_info("peercert")
        writer.close()
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            await writer.wait_closed()
    assert certificate is not None
    assert server.rtmp_endpoint is None  # stopped


async def test_without_the_media_extra_the_emulator_starts_without_ingest(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("ivs_realtime_sdk.local._admin_api.has_media", lambda: False)
    caplog.set_level(logging.INFO, logger="ivs_realtime_sdk.local")
    async with LocalIVSRealTime() as server:
        assert server.rtmp_endpoint is None
        assert server.rtmps_endpoint is None
        stage, _ = server.backend.create_stage(
            name="no-media", tags=None, recording=None, tokens=[]
        )
        endpoints = server.backend.stage_endpoints(stage)
        assert endpoints["rtmp"].startswith(f"rtmp://127.0.0.1:{server.port}/")
    assert "RTMP ingest is unavailable: install the [media] extra" in caplog.text


async def _frames_of_a_push(
    sdk: IVSRealTime, video: tuple[str, ...], frames_wanted: int = 30
) -> set[tuple[int, int]]:
    """Push with ``video`` settings, subscribe, and return the sizes of the frames decoded."""
    stage_arn, config, viewer = _stage_with_ingest(sdk, IngestProtocol.RTMP)
    url = sdk.get_stage(stage_arn).endpoints.rtmp
    assert url is not None
    push = await Push.start(url + config.stream_key, video=video)
    sizes: set[tuple[int, int]] = set()
    try:
        await _until(
            lambda: _publishing(sdk, stage_arn, config.participant_id), 10, "the push publishing"
        )
        async with subscribe(viewer, config.participant_id) as subscription:
            assert subscription.video is not None
            async with asyncio.timeout(10):
                for _ in range(frames_wanted):
                    frame = await subscription.video.recv()
                    assert isinstance(frame, av.VideoFrame)
                    sizes.add((frame.width, frame.height))
    finally:
        await push.ensure_dead()
    return sizes


async def test_baseline_is_relayed_as_pushed_and_high_profile_re_encoded(
    emulator: LocalIVSRealTime, sdk: IVSRealTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Baseline H.264 reaches subscribers without an encoder; High is decoded and encoded."""
    from aiortc.codecs import h264

    encoded: list[int] = []
    original = h264.H264Encoder.encode

    def counting(self: h264.H264Encoder, *args: object, **kwargs: object) -> object:
        encoded.append(1)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(h264.H264Encoder, "encode", counting)
    sizes = await _frames_of_a_push(sdk, ("-profile:v", "baseline", "-bf", "0"))
    assert sizes == {(320, 240)}
    assert encoded == []  # the emulator encoded nothing: the push's own H.264 arrived
    sizes = await _frames_of_a_push(sdk, ("-profile:v", "high", "-bf", "0"))
    assert sizes == {(320, 240)}
    assert len(encoded) >= 30  # High is not what subscribers take: re-encoded to Baseline
