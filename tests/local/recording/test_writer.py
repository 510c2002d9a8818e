"""The recording writer's Done-when checks: about 8 s of a 320x240 30 fps H.264
test pattern (keyframe every 1 s) plus an Opus tone, recorded with a 2 s segment
target and a 2 s thumbnail interval into a local directory, moto's
ThreadedMotoServer and ``mock_aws()``; then read back and checked.

Media is generated once (PyAV: ``testsrc`` and ``sine`` filters, libx264
baseline, libopus) with RTP-like timestamps that wrap at 2**32, and fed as the
emulator's receiver delivers it: ``av.Packet``s of Annex B access units and Opus.
"""

from __future__ import annotations

import asyncio
import fractions
import io
import json
import re
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import av
import boto3
import pytest

from ivs_realtime_sdk.local.recording import (
    LocalDirectoryStorage,
    MediaTypes,
    ParticipantRecorder,
    RecorderState,
    RecordingEvent,
    RecordingEventName,
    RecordingSettings,
    RecordingStorage,
    RecordingTarget,
    S3Storage,
    StorageError,
    ThumbnailMode,
    ThumbnailStorage,
    WriteRefusedError,
)
from ivs_realtime_sdk.local.recording._metadata import RecordingStatus, metadata_document

FED_SECONDS = 8.0
FPS = 30
TARGET = RecordingTarget(
    stage_arn="arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij",
    session_id="st-ZyXwvu1T2s",
    participant_id="xYz1c2d3e4f",
    bucket="ivs-recordings",
)
SETTINGS = RecordingSettings(
    target_segment_duration_seconds=2,
    thumbnail_interval_seconds=2,
    thumbnail_storage=frozenset({ThumbnailStorage.SEQUENTIAL, ThumbnailStorage.LATEST}),
)
VIDEO_RTP_BASE = (1 << 32) - 90000 * 3  # wraps 3 s in
AUDIO_RTP_BASE = 123_456_789

Feed = list[tuple[str, bytes, int]]  # (kind, payload, RTP timestamp)


def _bounded(coro: Any, seconds: float = 120) -> Any:
    return asyncio.wait_for(coro, seconds)


# ---- media ---------------------------------------------------------------------------


def _video_packets(seconds: float, size: tuple[int, int] = (320, 240)) -> list[tuple[bytes, int]]:
    graph = av.filter.Graph()
    source = graph.add("testsrc", f"size={size[0]}x{size[1]}:rate={FPS}")
    sink = graph.add("buffersink")
    source.link_to(sink)
    graph.configure()
    encoder = av.CodecContext.create("libx264", "w")
    encoder.width, encoder.height, encoder.pix_fmt = size[0], size[1], "yuv420p"
    encoder.time_base = fractions.Fraction(1, FPS)
    encoder.framerate = fractions.Fraction(FPS)
    encoder.options = {
        "profile": "baseline",
        "preset": "ultrafast",
        "x264-params": f"keyint={FPS}:min-keyint={FPS}:scenecut=0:bframes=0",
    }
    out: list[tuple[bytes, int]] = []
    for index in range(round(seconds * FPS)):
        frame = sink.pull().reformat(format="yuv420p")
        frame.pts, frame.time_base = index, encoder.time_base
        frame.pict_type = av.video.frame.PictureType.NONE
        out += [(bytes(p), p.pts * 3000) for p in encoder.encode(frame)]
    out += [(bytes(p), p.pts * 3000) for p in encoder.encode(None)]
    return out


def _audio_packets(seconds: float) -> list[tuple[bytes, int]]:
    graph = av.filter.Graph()
    source = graph.add("sine", "frequency=440:sample_rate=48000")
    sink = graph.add("abuffersink")
    source.link_to(sink)
    graph.configure()
    encoder = av.CodecContext.create("libopus", "w")
    encoder.sample_rate, encoder.layout, encoder.format = 48000, "stereo", "s16"
    resampler = av.AudioResampler(format="s16", layout="stereo", rate=48000, frame_size=960)
    out: list[tuple[bytes, int]] = []
    total = 0
    while total < seconds * 48000:
        frame = sink.pull()
        total += frame.samples
        for chunk in resampler.resample(frame):
            out += [(bytes(p), p.pts) for p in encoder.encode(chunk) if p.pts is not None]
    return [(data, pts) for data, pts in out if pts < seconds * 48000]


@pytest.fixture(scope="session")
def feed() -> Feed:
    """Video and audio interleaved in time order, RTP timestamps (video wraps)."""
    video = [
        ("video", d, (VIDEO_RTP_BASE + pts) % (1 << 32), pts / 90000)
        for d, pts in _video_packets(FED_SECONDS)
    ]
    audio = [
        ("audio", d, AUDIO_RTP_BASE + pts, pts / 48000) for d, pts in _audio_packets(FED_SECONDS)
    ]
    merged = sorted(video + audio, key=lambda item: (item[3], item[0] == "audio"))
    return [(kind, data, rtp) for kind, data, rtp, _ in merged]


def _packet(data: bytes, rtp: int, rate: int) -> av.Packet:
    packet = av.Packet(data)
    packet.pts = rtp
    packet.time_base = fractions.Fraction(1, rate)
    return packet


def _feed(
    recorder: ParticipantRecorder, feed: Feed, *, video: bool = True, audio: bool = True
) -> None:
    for kind, data, rtp in feed:
        if kind == "video" and video:
            recorder.feed_video_packet(_packet(data, rtp, 90000))
        elif kind == "audio" and audio:
            recorder.feed_audio_packet(_packet(data, rtp, 48000))


async def _record(
    storage: RecordingStorage,
    feed: Feed,
    settings: RecordingSettings = SETTINGS,
    *,
    video: bool = True,
    audio: bool = True,
) -> tuple[ParticipantRecorder, list[RecordingEvent], float]:
    events: list[RecordingEvent] = []
    recorder = ParticipantRecorder(
        storage=storage, target=TARGET, settings=settings, on_event=events.append
    )
    assert await recorder.start(has_video=video, has_audio=audio)
    cpu = time.process_time()
    _feed(recorder, feed, video=video, audio=audio)
    await recorder.disconnected()  # window 0: ends now
    await recorder.wait_ended()
    return recorder, events, time.process_time() - cpu


# ---- reading back --------------------------------------------------------------------


def _probe_video(data: bytes) -> list[tuple[bool, float]]:
    """(keyframe, pts seconds) of each video packet of an init+segment pair."""
    with av.open(io.BytesIO(data), format="mp4") as container:
        stream = container.streams.video[0]
        return [
            (packet.is_keyframe, float(packet.pts * packet.time_base))
            for packet in container.demux(stream)
            if packet.pts is not None
        ]


def check_recording(
    root: Path, recorder: ParticipantRecorder, *, thumbnails: int = 4
) -> dict[str, Any]:
    """Every Done-when check on a recording read back into ``root`` (the prefix directory)."""
    started = json.loads((root / "events/recording-started.json").read_text())
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert not (root / "events/recording-failed.json").exists()
    media = {
        "hls": {
            "path": "media/hls",
            "playlist": "multivariant.m3u8",
            "renditions": [{"path": "high", "playlist": "playlist.m3u8"}],
        },
        "thumbnails": {"path": "media/thumbnails", "renditions": [{"path": "high"}]},
        "latest_thumbnail": {"path": "media/latest_thumbnail", "renditions": [{"path": "high"}]},
    }
    identity = {
        "version": "v1",
        "stage_arn": TARGET.stage_arn,
        "session_id": TARGET.session_id,
        "participant_id": TARGET.participant_id,
    }
    assert started == {
        **identity,
        "recording_started_at": started["recording_started_at"],
        "recording_status": "RECORDING_STARTED",
        "media": media,
    }
    duration_ms = ended["media"]["hls"].pop("duration_ms")
    assert ended == {
        **identity,
        "recording_started_at": started["recording_started_at"],
        "recording_ended_at": ended["recording_ended_at"],
        "recording_status": "RECORDING_ENDED",
        "recording_status_message": ended["recording_status_message"],
        "media": media,
    }
    for stamp in (ended["recording_started_at"], ended["recording_ended_at"]):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
        datetime.fromisoformat(stamp)
    assert abs(duration_ms - FED_SECONDS * 1000) <= 1000, duration_ms

    high = root / "media/hls/high"
    multivariant = (root / "media/hls/multivariant.m3u8").read_text()
    assert "high/playlist.m3u8" in multivariant
    assert "RESOLUTION=320x240" in multivariant
    assert re.search(r'CODECS="avc1\.42[0-9A-F]{4},Opus"', multivariant), multivariant
    playlist = (high / "playlist.m3u8").read_text()
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    names = re.findall(r"^(\d+\.mp4)$", playlist, re.M)
    durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist)]
    assert names == [f"{i}.mp4" for i in range(1, len(names) + 1)]
    assert len(names) >= 3
    assert abs(sum(durations) * 1000 - duration_ms) < 5

    # Segments start on keyframes and last the target or a little more (the last may be shorter).
    init = (high / "init-1.mp4").read_bytes()
    for index, name in enumerate(names):
        packets = _probe_video(init + (high / name).read_bytes())
        assert packets[0][0], f"{name} does not start on a keyframe"
        span = packets[-1][1] - packets[0][1] + 1 / FPS
        assert abs(span - durations[index]) < 0.05
        if index < len(names) - 1:
            assert 2.0 <= durations[index] < 3.0, (name, durations[index])

    # The whole playlist plays: >= 20 fps of the fed time, at 320x240, with the tone.
    with av.open(str(high / "playlist.m3u8")) as container:
        video = container.streams.video[0]
        assert len(container.streams.audio) == 1
        frames = 0
        for frame in container.decode(video):
            assert (frame.width, frame.height) == (320, 240)
            frames += 1
    assert frames >= 20 * FED_SECONDS, frames

    jpegs = sorted((root / "media/thumbnails/high").iterdir(), key=lambda p: int(p.stem))
    assert [p.name for p in jpegs] == [f"{i}.jpg" for i in range(1, thumbnails + 1)]
    for path in [*jpegs, root / "media/latest_thumbnail/high/thumb.jpg"]:
        data = path.read_bytes()
        assert data[:3] == b"\xff\xd8\xff"
        with av.open(io.BytesIO(data), format="jpeg_pipe") as image:
            picture = next(image.decode(video=0))
            assert (picture.width, picture.height) == (320, 240)
    return {"duration_ms": duration_ms, "frames": frames, "segments": durations}


def _download(client: Any, bucket: str, prefix: str, into: Path) -> Path:
    keys = [
        o["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=prefix + "/"
        )
        for o in page.get("Contents", [])
    ]
    assert keys
    for key in keys:
        path = into / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(client.get_object(Bucket=bucket, Key=key)["Body"].read())
    return into / prefix


# ---- storage fixtures ----------------------------------------------------------------


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials only: nothing here can reach AWS."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-west-2",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto_server(aws_env: None) -> Iterator[str]:
    from moto import server as moto_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


# ---- the three storages --------------------------------------------------------------


async def test_local_directory(tmp_path: Path, feed: Feed) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    recorder, events, cpu = await _bounded(_record(LocalDirectoryStorage(tmp_path), feed))
    assert [e.name for e in events] == [RecordingEventName.START, RecordingEventName.END]
    assert events[0].prefix == recorder.prefix
    assert re.fullmatch(
        r"AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ", recorder.prefix
    )
    figures = check_recording(tmp_path / TARGET.bucket / recorder.prefix, recorder)
    print(f"\nlocal: {figures}, cpu {cpu:.3f}s for {FED_SECONDS}s")


async def test_threaded_moto_server(tmp_path: Path, feed: Feed, moto_server: str) -> None:
    client = boto3.client("s3", endpoint_url=moto_server, region_name="us-west-2")
    client.create_bucket(
        Bucket=TARGET.bucket, CreateBucketConfiguration={"LocationConstraint": "us-west-2"}
    )
    recorder, events, _ = await _bounded(_record(S3Storage(client), feed))
    assert [e.name for e in events] == [RecordingEventName.START, RecordingEventName.END]
    head = client.head_object(
        Bucket=TARGET.bucket, Key=recorder.key("media/hls/high/playlist.m3u8")
    )
    assert head["ContentType"] == "application/x-mpegURL"
    check_recording(_download(client, TARGET.bucket, recorder.prefix, tmp_path), recorder)


async def test_mock_aws_in_process(tmp_path: Path, feed: Feed, aws_env: None) -> None:
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")  # no endpoint: moto's in-memory S3
        client.create_bucket(Bucket=TARGET.bucket)
        recorder, _, _ = await _bounded(_record(S3Storage(client), feed))
        check_recording(_download(client, TARGET.bucket, recorder.prefix, tmp_path), recorder)


# ---- settings ------------------------------------------------------------------------


async def test_audio_only(tmp_path: Path, feed: Feed) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    settings = RecordingSettings(
        media_types=MediaTypes.AUDIO_ONLY,
        target_segment_duration_seconds=2,
        thumbnail_mode=ThumbnailMode.DISABLED,
    )
    recorder, _, _ = await _bounded(_record(LocalDirectoryStorage(tmp_path), feed, settings))
    root = tmp_path / TARGET.bucket / recorder.prefix
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert set(ended["media"]) == {"hls"}  # thumbnails disabled: neither thumbnail entry
    assert abs(ended["media"]["hls"]["duration_ms"] - FED_SECONDS * 1000) <= 1000
    assert not (root / "media/thumbnails").exists()
    assert not (root / "media/latest_thumbnail").exists()
    assert 'CODECS="Opus"' in (root / "media/hls/multivariant.m3u8").read_text()
    playlist = (root / "media/hls/high/playlist.m3u8").read_text()
    durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist)]
    assert all(d >= 2.0 for d in durations[:-1])
    assert len(durations) >= 3
    with av.open(str(root / "media/hls/high/playlist.m3u8")) as container:
        assert not container.streams.video
        assert len(container.streams.audio) == 1
        samples = sum(frame.samples for frame in container.decode(audio=0))
    assert abs(samples / 48000 - FED_SECONDS) <= 1.0


async def test_none_writes_thumbnails_only(tmp_path: Path, feed: Feed) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    settings = RecordingSettings(
        media_types=MediaTypes.NONE,
        thumbnail_interval_seconds=2,
        thumbnail_storage=frozenset({ThumbnailStorage.SEQUENTIAL, ThumbnailStorage.LATEST}),
    )
    recorder, _, _ = await _bounded(_record(LocalDirectoryStorage(tmp_path), feed, settings))
    root = tmp_path / TARGET.bucket / recorder.prefix
    assert not (root / "media/hls").exists()
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert set(ended["media"]) == {"thumbnails", "latest_thumbnail"}
    assert sorted(p.name for p in (root / "media/thumbnails/high").iterdir()) == [
        "1.jpg",
        "2.jpg",
        "3.jpg",
        "4.jpg",
    ]
    assert (root / "media/latest_thumbnail/high/thumb.jpg").read_bytes()[:2] == b"\xff\xd8"


async def test_latest_only_and_interval(tmp_path: Path, feed: Feed) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    settings = RecordingSettings(
        target_segment_duration_seconds=4,
        thumbnail_interval_seconds=3,
        thumbnail_storage=frozenset({ThumbnailStorage.LATEST}),
    )
    recorder, _, _ = await _bounded(_record(LocalDirectoryStorage(tmp_path), feed, settings))
    root = tmp_path / TARGET.bucket / recorder.prefix
    assert not (root / "media/thumbnails").exists()
    assert recorder.thumbnails_written == 3  # at 0, 3 and 6 s
    assert set(json.loads((root / "events/recording-ended.json").read_text())["media"]) == {
        "hls",
        "latest_thumbnail",
    }
    durations = [s.duration for s in recorder.segments]
    assert durations[:-1] == [pytest.approx(4.0)] * (len(durations) - 1)


# ---- failures ------------------------------------------------------------------------


async def test_missing_bucket_local(tmp_path: Path, feed: Feed) -> None:
    events: list[RecordingEvent] = []
    recorder = ParticipantRecorder(
        storage=LocalDirectoryStorage(tmp_path),
        target=TARGET,
        settings=SETTINGS,
        on_event=events.append,
    )
    assert not await _bounded(recorder.start(has_video=True, has_audio=True))
    assert recorder.state is RecorderState.FAILED
    assert [(e.name, e.reason) for e in events] == [
        (RecordingEventName.START_FAILURE, "no such bucket")
    ]
    _feed(recorder, feed[:50])  # ignored, no error
    await _bounded(recorder.end())
    await _bounded(recorder.wait_ended())
    assert list(tmp_path.iterdir()) == []  # noqa: ASYNC240  # a test's read-back


async def test_missing_bucket_s3(feed: Feed, aws_env: None) -> None:
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        events: list[RecordingEvent] = []
        recorder = ParticipantRecorder(
            storage=S3Storage(client), target=TARGET, settings=SETTINGS, on_event=events.append
        )
        assert not await _bounded(recorder.start(has_video=True, has_audio=True))
        assert [e.name for e in events] == [RecordingEventName.START_FAILURE]
        assert recorder.failure is not None
        assert "testing" not in str(recorder.failure)


class RefuseThirdSegment:
    """A bucket that refuses the third segment, as after a policy change mid-recording."""

    def __init__(self, inner: RecordingStorage) -> None:
        self.inner = inner

    def check_bucket(self, bucket: str) -> None:
        self.inner.check_bucket(bucket)

    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        if key.endswith("/3.mp4"):
            raise WriteRefusedError(bucket, key, "S3 refused the write (AccessDenied)")
        self.inner.put(bucket, key, data, content_type)


async def test_refused_write_ends_with_failure(tmp_path: Path, feed: Feed) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    recorder, events, _ = await _bounded(
        _record(RefuseThirdSegment(LocalDirectoryStorage(tmp_path)), feed)
    )
    root = tmp_path / TARGET.bucket / recorder.prefix
    assert [e.name for e in events] == [RecordingEventName.START, RecordingEventName.END_FAILURE]
    assert not (root / "events/recording-ended.json").exists()
    failed = json.loads((root / "events/recording-failed.json").read_text())
    assert failed["recording_status"] == "RECORDING_ENDED_WITH_FAILURE"
    assert failed["recording_status_message"] == "S3 refused the write (AccessDenied)"
    assert "recording_ended_at" in failed
    assert "duration_ms" in failed["media"]["hls"]


# ---- reconnect -----------------------------------------------------------------------


async def test_reconnect_within_window_continues_the_prefix(tmp_path: Path, feed: Feed) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    settings = RecordingSettings(
        target_segment_duration_seconds=2,
        thumbnail_interval_seconds=2,
        reconnect_window_seconds=1,
        thumbnail_storage=frozenset({ThumbnailStorage.SEQUENTIAL}),
    )
    events: list[RecordingEvent] = []
    recorder = ParticipantRecorder(
        storage=LocalDirectoryStorage(tmp_path),
        target=TARGET,
        settings=settings,
        on_event=events.append,
    )
    assert await recorder.start(has_video=True, has_audio=True)
    half = len(feed) // 2
    _feed(recorder, feed[:half])
    await recorder.disconnected()
    await asyncio.sleep(0.3)
    root = tmp_path / TARGET.bucket / recorder.prefix
    assert recorder.state is RecorderState.PAUSED
    assert not (root / "events/recording-ended.json").exists()
    assert await recorder.reconnected(has_video=True, has_audio=True)
    _feed(recorder, feed[:half])  # a new connection: fresh RTP clocks, starting on a keyframe
    await recorder.disconnected()
    await asyncio.sleep(0.5)
    assert not (root / "events/recording-ended.json").exists()  # the window is still open
    await _bounded(recorder.wait_ended(), 5)
    assert [e.name for e in events] == [RecordingEventName.START, RecordingEventName.END]
    assert not await recorder.reconnected(has_video=True, has_audio=True)
    playlist = (root / "media/hls/high/playlist.m3u8").read_text()
    assert playlist.count("#EXT-X-DISCONTINUITY") == 1
    assert '#EXT-X-MAP:URI="init-1.mp4"' in playlist
    assert '#EXT-X-MAP:URI="init-2.mp4"' in playlist
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert abs(ended["media"]["hls"]["duration_ms"] - FED_SECONDS * 1000) <= 1000
    # Thumbnails continue their count across the reconnect: 0 and 2 s, then 4 and 6 s.
    assert sorted(int(p.stem) for p in (root / "media/thumbnails/high").iterdir()) == [1, 2, 3, 4]
    assert [
        p.name
        for p in (
            tmp_path / TARGET.bucket / TARGET.stage_id / TARGET.session_id / TARGET.participant_id
        ).iterdir()
    ] == [recorder.prefix.rsplit("/", 1)[1]]


# ---- frames path, repr ---------------------------------------------------------------


async def test_decoded_frames_are_encoded(tmp_path: Path) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    recorder = ParticipantRecorder(
        storage=LocalDirectoryStorage(tmp_path), target=TARGET, settings=SETTINGS
    )
    assert await recorder.start(has_video=True, has_audio=True)
    graph = av.filter.Graph()
    sink = graph.add("buffersink")
    graph.add("testsrc", "size=160x120:rate=15").link_to(sink)
    graph.configure()
    tone = av.filter.Graph()
    tone_sink = tone.add("abuffersink")
    tone.add("sine", "frequency=440:sample_rate=48000").link_to(tone_sink)
    tone.configure()
    audio_pts = 0
    for index in range(60):  # 4 s
        frame = sink.pull()
        frame.pts, frame.time_base = index, fractions.Fraction(1, 15)
        recorder.feed_video_frame(frame)
        while audio_pts < (index + 1) * 48000 // 15:
            chunk = tone_sink.pull()
            chunk.pts, chunk.time_base = audio_pts, fractions.Fraction(1, 48000)
            audio_pts += chunk.samples
            recorder.feed_audio_frame(chunk)
    await recorder.disconnected()
    await _bounded(recorder.wait_ended())
    root = tmp_path / TARGET.bucket / recorder.prefix
    with av.open(str(root / "media/hls/high/playlist.m3u8")) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames >= 55
    assert abs(recorder.duration_ms - 4000) <= 500
    assert len(list((root / "media/thumbnails/high").iterdir())) == 2


def test_no_secret_in_repr_or_errors(aws_env: None) -> None:
    client = boto3.client("s3", region_name="us-east-1", endpoint_url="http://127.0.0.1:9")
    storage = S3Storage(client)
    assert "testing" not in repr(storage)
    with pytest.raises(StorageError) as caught:
        storage.put(TARGET.bucket, "k", b"x", "text/plain")
    assert "testing" not in str(caught.value)
    assert "Signature" not in str(caught.value)


def test_no_password_of_an_endpoint_url_in_repr(aws_env: None) -> None:
    client = boto3.client(
        "s3", region_name="us-east-1", endpoint_url="http://user:hunter2@127.0.0.1:9"
    )
    assert repr(S3Storage(client)) == "S3Storage(endpoint='http://127.0.0.1:9')"


# ---- live pacing ---------------------------------------------------------------------


async def test_live_pacing_audio_first_video_mid_gop(tmp_path: Path, feed: Feed) -> None:
    """As the receiver delivers it: in real time, audio 0.3 s before video, video joined mid-GOP.

    The recording starts at the first IDR (frames before it cannot decode),
    audio sits on the same timeline by arrival time, and audio from before
    that IDR is dropped.
    """
    (tmp_path / TARGET.bucket).mkdir()
    recorder = ParticipantRecorder(
        storage=LocalDirectoryStorage(tmp_path), target=TARGET, settings=SETTINGS
    )
    assert await recorder.start(has_video=True, has_audio=True)
    video = [(d, r) for k, d, r in feed if k == "video"][10 : 10 + 3 * FPS]  # 3 s, from frame 10
    audio = [(d, r) for k, d, r in feed if k == "audio"][: 3 * 50 + 20]
    loop = asyncio.get_running_loop()
    begin = loop.time()

    async def pace(items: list[tuple[bytes, int]], step: float, delay: float, rate: int) -> None:
        for index, (data, rtp) in enumerate(items):
            await asyncio.sleep(max(0.0, begin + delay + index * step - loop.time()))
            packet = _packet(data, rtp, rate)
            if rate == 90000:
                recorder.feed_video_packet(packet)
            else:
                recorder.feed_audio_packet(packet)

    await _bounded(
        asyncio.gather(pace(audio, 0.02, 0.0, 48000), pace(video, 1 / FPS, 0.3, 90000)), 15
    )
    await recorder.disconnected()
    await _bounded(recorder.wait_ended())
    high = tmp_path / TARGET.bucket / recorder.prefix / "media/hls/high"
    # Frames 10..29 precede the first IDR (frame 30): 2.33 s of video remain.
    assert abs(recorder.duration_ms - 2333) <= 150, recorder.duration_ms
    packets = _probe_video((high / "init-1.mp4").read_bytes() + (high / "1.mp4").read_bytes())
    assert packets[0] == (True, 0.0)
    with av.open(str(high / "playlist.m3u8")) as container:
        first_audio = next(container.decode(audio=0))
        assert first_audio.time is not None
        assert first_audio.time < 0.1  # audio starts with the video, not 1 s late
        seconds = sum(f.samples for f in container.decode(audio=0)) / 48000
    assert seconds > 1.5  # audio ran until 3.4 s; 1 s is dropped before the IDR


async def test_resolution_change_starts_a_new_init_segment(tmp_path: Path, feed: Feed) -> None:
    """A sender that drops to 160x120 mid-connection: new SPS, so a new init and a discontinuity."""
    (tmp_path / TARGET.bucket).mkdir()
    recorder = ParticipantRecorder(
        storage=LocalDirectoryStorage(tmp_path), target=TARGET, settings=SETTINGS
    )
    assert await recorder.start(has_video=True, has_audio=False)
    first = [(d, r) for k, d, r in feed if k == "video"][: 4 * FPS]
    later = [
        (d, (VIDEO_RTP_BASE + 4 * 90000 + pts) % (1 << 32))
        for d, pts in _video_packets(4, (160, 120))
    ]
    for data, rtp in first + later:
        recorder.feed_video_packet(_packet(data, rtp, 90000))
    await recorder.disconnected()
    await _bounded(recorder.wait_ended())
    high = tmp_path / TARGET.bucket / recorder.prefix / "media/hls/high"
    playlist = (high / "playlist.m3u8").read_text()
    assert playlist.count("#EXT-X-DISCONTINUITY") == 1
    assert '#EXT-X-MAP:URI="init-2.mp4"' in playlist
    assert abs(recorder.duration_ms - 8000) <= 100
    assert [s.run for s in recorder.segments] == [1, 1, 2, 2]
    later_packets = _probe_video((high / "init-2.mp4").read_bytes() + (high / "3.mp4").read_bytes())
    assert later_packets[0][0]
    with av.open(
        io.BytesIO((high / "init-2.mp4").read_bytes() + (high / "3.mp4").read_bytes())
    ) as c:
        frame = next(c.decode(video=0))
        assert (frame.width, frame.height) == (160, 120)


def test_start_failed_document_follows_the_schema() -> None:
    doc = json.loads(
        metadata_document(
            target=TARGET,
            settings=SETTINGS,
            status=RecordingStatus.RECORDING_START_FAILED,
            started_at=datetime(2024, 3, 13, 19, 44, 19, tzinfo=UTC),
            ended_at=datetime(2024, 3, 13, 19, 44, 20, tzinfo=UTC),
        )
    )
    # No started/ended time, no message, no duration: IVS's table makes them conditional.
    assert list(doc) == [
        "version",
        "stage_arn",
        "session_id",
        "participant_id",
        "recording_status",
        "media",
    ]
    assert doc["recording_status"] == "RECORDING_START_FAILED"
    assert "duration_ms" not in doc["media"]["hls"]
