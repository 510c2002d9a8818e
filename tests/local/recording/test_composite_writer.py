"""The composite recording writer: a real compositor's output written as IVS's composite.

A ``Compositor`` (driven synchronously, on a worker thread as in the
emulator) renders 8 s of 640x360 at 15 fps: two solid-colour publishers in
a grid (red left, blue right) and a tone, into a ``CompositeRecording``
with 2 s segments and thumbnails every 2 s (SEQUENTIAL and LATEST), stored
in a local directory and in moto's in-memory S3; then read back and
checked against the layout rt-composite-recording documents.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import threading
import time
from pathlib import Path
from typing import Any, cast

import av
import boto3
import pytest

from ivs_realtime_sdk.local.composition import Compositor, EncoderSettings, GridLayout
from ivs_realtime_sdk.local.recording import (
    CompositeRecording,
    CompositeRendition,
    CompositeTarget,
    CompositeThumbnails,
    LocalDirectoryStorage,
    RecordingStorage,
    S3Storage,
    ThumbnailStorage,
    WriteRefusedError,
    composite_settings,
    rendition_names,
)

from ..composition._media_helpers import BLUE, RED, is_blue, is_red, rgb_at, solid, tone_chunk
from .test_writer import RefuseThirdSegment

SECONDS = 8
FPS = 15
RENDITION = CompositeRendition(
    encoder_configuration_arn="arn:aws:ivs:us-west-2:123456789012:encoder-configuration/AbCd1",
    width=640,
    height=360,
    framerate=FPS,
    bitrate=1_000_000,
)
TARGET = CompositeTarget(
    stage_arn="arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij",
    bucket="ivs-composites",
    prefix="AbCdef1G2hij/st-ZyXwvu1T2s/2024-01-01T12-00-55Z/composite",
)
THUMBNAILS = CompositeThumbnails(
    interval_seconds=2, storage=frozenset({ThumbnailStorage.SEQUENTIAL, ThumbnailStorage.LATEST})
)
RESOLUTION = {"path": "640x360", "resolution_width": 640, "resolution_height": 360}
MEDIA = {
    "hls": {
        "path": "media/hls",
        "playlist": "multivariant.m3u8",
        "renditions": [
            {
                "path": "360p15",
                "playlist": "playlist.m3u8",
                "resolution_width": 640,
                "resolution_height": 360,
            }
        ],
    },
    "thumbnails": {"path": "media/thumbnails", "resolutions": [RESOLUTION]},
    "latest_thumbnail": {"path": "media/latest_thumbnail", "resolutions": [RESOLUTION]},
}


def _bounded(coro: Any, seconds: float = 30) -> Any:
    return asyncio.wait_for(coro, seconds)


def _recording(storage: RecordingStorage, **kwargs: Any) -> CompositeRecording:
    return CompositeRecording(
        storage=storage,
        target=TARGET,
        renditions=[RENDITION],
        target_segment_duration_seconds=2,
        thumbnails=THUMBNAILS,
        **kwargs,
    )


def _render(compositor: Compositor, frames: int) -> None:
    """What the emulator's live loop does, without the clock: frames in, one render each."""
    red, blue = solid(320, 240, RED), solid(320, 240, BLUE)
    chunk = 48000 // FPS
    for n in range(compositor.frames_out, compositor.frames_out + frames):
        compositor.push_video("red", red)
        compositor.push_video("blue", blue)
        compositor.push_audio("red", tone_chunk(440.0, 48000, n * chunk, chunk))
        compositor.render_next()


def _wait_for(path: Path, text: str, seconds: float = 10) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and text in (content := path.read_text()):
            return content
        time.sleep(0.02)
    raise AssertionError(f"{path} never held {text!r}")


async def _record(recording: CompositeRecording, *, live_root: Path | None = None) -> None:
    """start(), 8 s through a real compositor on a worker thread, close, end()."""
    assert await _bounded(recording.start()) is None
    settings = EncoderSettings(width=640, height=360, framerate=FPS, bitrate=1_000_000)
    compositor = Compositor(GridLayout(), settings, recording.sink(RENDITION))
    compositor.add_participant("red")
    compositor.add_participant("blue")
    await _bounded(asyncio.to_thread(_render, compositor, SECONDS * FPS))
    if live_root is not None:
        # While recording, the media playlist is an EVENT playlist naming what is written.
        playlist = live_root / "media/hls/360p15/playlist.m3u8"
        text = await asyncio.to_thread(_wait_for, playlist, "3.mp4")
        assert "#EXT-X-PLAYLIST-TYPE:EVENT" in text
        assert "#EXT-X-ENDLIST" not in text
    await _bounded(asyncio.to_thread(compositor.close))
    assert await _bounded(recording.end()) is None


def _probe_video(data: bytes) -> list[tuple[bool, float]]:
    """(keyframe, pts seconds) of each video packet of an init+segment pair."""
    with av.open(io.BytesIO(data), "r", format="mp4") as container:
        stream = container.streams.video[0]
        return [
            (packet.is_keyframe, float(packet.pts * packet.time_base))
            for packet in container.demux(stream)
            if packet.pts is not None
        ]


def _check(root: Path, recording: CompositeRecording) -> dict[str, Any]:
    """Every documented file and value of the composite under ``root`` (the prefix)."""
    started = json.loads((root / "events/recording-started.json").read_text())
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert not (root / "events/recording-failed.json").exists()
    assert started == {
        "version": "v1",
        "stage_arn": TARGET.stage_arn,
        "recording_started_at": started["recording_started_at"],
        "recording_status": "RECORDING_STARTED",
        "media": MEDIA,
    }
    duration_ms = ended["media"]["hls"].pop("duration_ms")
    assert ended == {
        "version": "v1",
        "stage_arn": TARGET.stage_arn,
        "recording_started_at": started["recording_started_at"],
        "recording_ended_at": ended["recording_ended_at"],
        "recording_status": "RECORDING_ENDED",
        "recording_status_message": "Recording ended",
        "media": MEDIA,
    }
    for stamp in (ended["recording_started_at"], ended["recording_ended_at"]):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
    assert duration_ms == recording.duration_ms
    assert abs(duration_ms - SECONDS * 1000) <= 500, duration_ms

    hls = root / "media/hls"
    multivariant = (hls / "multivariant.m3u8").read_text()
    assert re.search(
        r"#EXT-X-STREAM-INF:BANDWIDTH=\d+,"
        r'CODECS="avc1\.[0-9A-F]{6},mp4a\.40\.2",RESOLUTION=640x360,FRAME-RATE=15\.000\n'
        r"360p15/playlist\.m3u8\n",
        multivariant,
    ), multivariant
    rendition = hls / recording.rendition_path(RENDITION)
    playlist = (rendition / "playlist.m3u8").read_text()
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in playlist
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    assert '#EXT-X-MAP:URI="init.mp4"' in playlist
    names = re.findall(r"^(\d+\.mp4)$", playlist, re.M)
    durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist)]
    assert names == [f"{i}.mp4" for i in range(1, len(names) + 1)]
    assert len(names) == SECONDS // 2
    assert abs(sum(durations) * 1000 - duration_ms) < 5

    # Each segment starts on a keyframe and lasts the target or a little more.
    init = (rendition / "init.mp4").read_bytes()
    for index, name in enumerate(names):
        packets = _probe_video(init + (rendition / name).read_bytes())
        assert packets[0][0], f"{name} does not start on a keyframe"
        assert abs(packets[-1][1] - packets[0][1] + 1 / FPS - durations[index]) < 0.01
        if index < len(names) - 1:
            assert 2.0 <= durations[index] < 2.5, (name, durations[index])

    # The rendition plays: 640x360, every frame, red left and blue right, AAC audio.
    with av.open(str(rendition / "playlist.m3u8")) as container:
        assert [s.codec_context.name for s in container.streams.audio] == ["aac"]
        frames = list(container.decode(video=0))
    assert {(f.width, f.height) for f in frames} == {(640, 360)}
    assert abs(len(frames) - SECONDS * FPS) <= 2, len(frames)
    for frame in (frames[FPS], frames[len(frames) // 2], frames[-1]):
        assert is_red(rgb_at(frame, 160, 180)), rgb_at(frame, 160, 180)
        assert is_blue(rgb_at(frame, 480, 180)), rgb_at(frame, 480, 180)
    with av.open(str(rendition / "playlist.m3u8")) as container:
        samples = sum(f.samples for f in container.decode(audio=0))
    assert abs(samples / 48000 - SECONDS) < 0.1, samples

    # A thumbnail at 0 s then every 2 s of media: 4 in 8 s, JPEG at 640x360.
    folder = root / "media/thumbnails/640x360"
    jpegs = sorted(folder.iterdir(), key=lambda p: int(p.stem))
    assert [p.name for p in jpegs] == [f"{i}.jpg" for i in range(1, SECONDS // 2 + 1)]
    for path in [*jpegs, root / "media/latest_thumbnail/640x360/thumb.jpg"]:
        data = path.read_bytes()
        assert data[:3] == b"\xff\xd8\xff"
        with av.open(io.BytesIO(data), "r", format="jpeg_pipe") as image:
            picture = next(image.decode(video=0))
        assert (picture.width, picture.height) == (640, 360)
        assert is_red(rgb_at(picture, 160, 180))
    assert (folder / f"{len(jpegs)}.jpg").read_bytes() == (
        root / "media/latest_thumbnail/640x360/thumb.jpg"
    ).read_bytes()
    return {"duration_ms": duration_ms, "frames": len(frames), "segments": durations}


# ---- the two storages ----------------------------------------------------------------


async def test_local_directory(tmp_path: Path) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    recording = _recording(LocalDirectoryStorage(tmp_path))
    root = tmp_path / TARGET.bucket / TARGET.prefix
    await _record(recording, live_root=root)
    figures = _check(root, recording)
    print(f"\nlocal: {figures}")


async def test_mock_aws_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moto = pytest.importorskip("moto")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")  # fake credentials only: nothing reaches AWS
    with moto.mock_aws():
        client = cast("Any", boto3.client("s3", region_name="us-east-1"))  # moto, no endpoint
        client.create_bucket(Bucket=TARGET.bucket)
        recording = _recording(S3Storage(client))
        await _record(recording)
        keys = [
            o["Key"]
            for page in client.get_paginator("list_objects_v2").paginate(
                Bucket=TARGET.bucket, Prefix=TARGET.prefix + "/"
            )
            for o in page.get("Contents", [])
        ]
        for key in keys:
            path = tmp_path / key
            path.parent.mkdir(parents=True, exist_ok=True)  # a test's read-back
            path.write_bytes(client.get_object(Bucket=TARGET.bucket, Key=key)["Body"].read())
        head = client.head_object(
            Bucket=TARGET.bucket, Key=TARGET.prefix + "/media/hls/360p15/1.mp4"
        )
        assert head["ContentType"] == "video/mp4"
    _check(tmp_path / TARGET.prefix, recording)


# ---- failures ------------------------------------------------------------------------


async def test_missing_bucket(tmp_path: Path) -> None:
    recording = _recording(LocalDirectoryStorage(tmp_path, create_buckets=False))
    assert await _bounded(recording.start()) == "no such bucket"
    # Nowhere to write recording-failed.json: nothing is written, and the sink stays inert.
    sink = recording.sink(RENDITION)
    settings = EncoderSettings(width=640, height=360, framerate=FPS, bitrate=1_000_000)
    compositor = Compositor(GridLayout(), settings, sink)
    compositor.add_participant("red")
    await asyncio.to_thread(_render, compositor, FPS)
    await asyncio.to_thread(compositor.close)
    assert await _bounded(recording.end()) == "no such bucket"
    assert list(tmp_path.iterdir()) == []  # noqa: ASYNC240  # a test's read-back


class _RefuseCheck:
    """A bucket whose check fails though writes still land (a start failure that can be told)."""

    def __init__(self, inner: RecordingStorage) -> None:
        self.inner = inner

    def check_bucket(self, bucket: str) -> None:
        raise WriteRefusedError(bucket, None, "S3 refused the write (AccessDenied)")

    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        self.inner.put(bucket, key, data, content_type)


async def test_start_failure_writes_recording_failed(tmp_path: Path) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    recording = _recording(_RefuseCheck(LocalDirectoryStorage(tmp_path)))
    assert await _bounded(recording.start()) == "S3 refused the write (AccessDenied)"
    root = tmp_path / TARGET.bucket / TARGET.prefix
    failed = json.loads((root / "events/recording-failed.json").read_text())
    # As IVS's table says: no started_at on a start failure, no ended fields.
    assert failed == {
        "version": "v1",
        "stage_arn": TARGET.stage_arn,
        "recording_status": "RECORDING_START_FAILED",
        "media": {**MEDIA},
    }
    assert [p.name for p in (root / "events").iterdir()] == ["recording-failed.json"]


async def test_refused_write_ends_with_failure(tmp_path: Path) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    recording = _recording(RefuseThirdSegment(LocalDirectoryStorage(tmp_path)))
    assert await _bounded(recording.start()) is None
    settings = EncoderSettings(width=640, height=360, framerate=FPS, bitrate=1_000_000)
    compositor = Compositor(GridLayout(), settings, recording.sink(RENDITION))
    compositor.add_participant("red")
    compositor.add_participant("blue")
    await asyncio.to_thread(_render, compositor, SECONDS * FPS)
    await asyncio.to_thread(compositor.close)
    assert await _bounded(recording.end()) == "S3 refused the write (AccessDenied)"
    root = tmp_path / TARGET.bucket / TARGET.prefix
    assert not (root / "events/recording-ended.json").exists()
    failed = json.loads((root / "events/recording-failed.json").read_text())
    assert failed["recording_status"] == "RECORDING_ENDED_WITH_FAILURE"
    assert failed["recording_status_message"] == "S3 refused the write (AccessDenied)"
    assert "recording_ended_at" in failed
    assert "duration_ms" in failed["media"]["hls"]
    # Nothing after the refused write: no later segment, the playlist never names 3.mp4.
    rendition = root / "media/hls/360p15"
    assert sorted(p.name for p in rendition.glob("*.mp4")) == ["1.mp4", "2.mp4", "init.mp4"]
    playlist = (rendition / "playlist.m3u8").read_text()
    assert "3.mp4" not in playlist
    assert "#EXT-X-ENDLIST" not in playlist


# ---- naming, settings, metadata of several renditions --------------------------------


def _rendition(arn: str, width: int, height: int, framerate: int) -> CompositeRendition:
    return CompositeRendition(
        encoder_configuration_arn=f"arn:aws:ivs:us-west-2:123456789012:encoder-configuration/{arn}",
        width=width,
        height=height,
        framerate=framerate,
        bitrate=2_500_000,
    )


def test_rendition_names() -> None:
    renditions = [
        _rendition("a", 1280, 720, 30),
        _rendition("b", 640, 360, 15),
        _rendition("c", 1280, 720, 30),
        _rendition("d", 960, 720, 30),
        _rendition("e", 1280, 720, 60),
    ]
    assert rendition_names(renditions) == ["720p30", "360p15", "720p30-2", "720p30-3", "720p60"]


async def test_two_renditions_in_the_metadata(tmp_path: Path) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    first, second = _rendition("a", 1280, 720, 30), _rendition("b", 1280, 720, 30)
    recording = CompositeRecording(
        storage=LocalDirectoryStorage(tmp_path),
        target=TARGET,
        renditions=[first, second],
        thumbnails=CompositeThumbnails(),
    )
    assert recording.rendition_path(first) == "720p30"
    assert recording.rendition_path(second) == "720p30-2"
    assert recording.sink(first) is recording.sink(first)
    assert recording.sink(first) is not recording.sink(second)
    with pytest.raises(ValueError, match="not a rendition"):
        recording.sink(RENDITION)
    assert await _bounded(recording.start()) is None
    assert await _bounded(recording.end()) is None  # no media at all: still a valid end
    root = tmp_path / TARGET.bucket / TARGET.prefix
    started = json.loads((root / "events/recording-started.json").read_text())
    entry = {"playlist": "playlist.m3u8", "resolution_width": 1280, "resolution_height": 720}
    assert started["media"] == {
        "hls": {
            "path": "media/hls",
            "playlist": "multivariant.m3u8",
            "renditions": [{"path": "720p30", **entry}, {"path": "720p30-2", **entry}],
        },
        # One folder per distinct resolution; SEQUENTIAL only by default.
        "thumbnails": {
            "path": "media/thumbnails",
            "resolutions": [
                {"path": "1280x720", "resolution_width": 1280, "resolution_height": 720}
            ],
        },
    }
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert ended["media"]["hls"]["duration_ms"] == 0
    assert not (root / "media").exists()


async def test_no_thumbnails_in_the_metadata(tmp_path: Path) -> None:
    (tmp_path / TARGET.bucket).mkdir()
    recording = CompositeRecording(
        storage=LocalDirectoryStorage(tmp_path), target=TARGET, renditions=[RENDITION]
    )
    assert await _bounded(recording.start()) is None
    root = tmp_path / TARGET.bucket / TARGET.prefix
    started = json.loads((root / "events/recording-started.json").read_text())
    assert set(started["media"]) == {"hls"}
    assert await _bounded(recording.end()) is None


def test_composite_settings() -> None:
    assert composite_settings({}) == (2, CompositeThumbnails())
    assert composite_settings({"thumbnailConfigurations": []}) == (2, None)
    assert composite_settings(
        {
            "recordingConfiguration": {"hlsConfiguration": {"targetSegmentDurationSeconds": 6}},
            "thumbnailConfigurations": [
                {"targetIntervalSeconds": 10, "storage": ["LATEST", "SEQUENTIAL"]}
            ],
        }
    ) == (6, CompositeThumbnails(interval_seconds=10, storage=frozenset(ThumbnailStorage)))
    assert composite_settings({"thumbnailConfigurations": [{"storage": []}]}) == (2, None)
    assert composite_settings({"thumbnailConfigurations": [{"targetIntervalSeconds": 5}]}) == (
        2,
        CompositeThumbnails(interval_seconds=5),
    )


def test_segment_target_out_of_range(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2 to 10"):
        CompositeRecording(
            storage=LocalDirectoryStorage(tmp_path),
            target=TARGET,
            renditions=[RENDITION],
            target_segment_duration_seconds=1,
        )


async def test_three_renditions_from_three_compositors(tmp_path: Path) -> None:
    """Two at one resolution (``-2``, thumbnails from the first only) and one smaller."""
    (tmp_path / TARGET.bucket).mkdir()
    big, small = _rendition("a", 640, 360, FPS), _rendition("b", 320, 180, FPS)
    twin = _rendition("c", 640, 360, FPS)
    recording = CompositeRecording(
        storage=LocalDirectoryStorage(tmp_path),
        target=TARGET,
        renditions=[big, small, twin],
        thumbnails=THUMBNAILS,
    )
    assert await _bounded(recording.start()) is None
    for rendition in (big, small, twin):
        settings = EncoderSettings(
            width=rendition.width, height=rendition.height, framerate=FPS, bitrate=500_000
        )
        compositor = Compositor(GridLayout(), settings, recording.sink(rendition))
        compositor.add_participant("red")
        compositor.add_participant("blue")
        await asyncio.to_thread(_render, compositor, 4 * FPS)
        await asyncio.to_thread(compositor.close)
    assert await _bounded(recording.end()) is None
    root = tmp_path / TARGET.bucket / TARGET.prefix
    multivariant = (root / "media/hls/multivariant.m3u8").read_text()
    assert re.findall(r"RESOLUTION=(\d+x\d+),FRAME-RATE=15\.000\n(\S+)\n", multivariant) == [
        ("640x360", "360p15/playlist.m3u8"),
        ("320x180", "180p15/playlist.m3u8"),
        ("640x360", "360p15-2/playlist.m3u8"),
    ]
    for path, size in (("360p15", (640, 360)), ("180p15", (320, 180)), ("360p15-2", (640, 360))):
        with av.open(str(root / "media/hls" / path / "playlist.m3u8")) as container:
            frames = list(container.decode(video=0))
        assert {(f.width, f.height) for f in frames} == {size}
        assert abs(len(frames) - 4 * FPS) <= 2
    assert sorted(p.name for p in (root / "media/thumbnails").iterdir()) == ["320x180", "640x360"]
    assert len(list((root / "media/thumbnails/640x360").iterdir())) == 2
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert [r["path"] for r in ended["media"]["hls"]["renditions"]] == [
        "360p15",
        "180p15",
        "360p15-2",
    ]
    assert [r["path"] for r in ended["media"]["latest_thumbnail"]["resolutions"]] == [
        "640x360",
        "320x180",
    ]
    assert abs(ended["media"]["hls"]["duration_ms"] - 4000) <= 500


class _ThreadLog:
    """Records which thread each storage call runs on."""

    def __init__(self, inner: RecordingStorage) -> None:
        self.inner = inner
        self.put_threads: set[str] = set()

    def check_bucket(self, bucket: str) -> None:
        self.inner.check_bucket(bucket)

    def put(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        if "/media/" in key:
            self.put_threads.add(threading.current_thread().name)
        self.inner.put(bucket, key, data, content_type)


async def test_media_writes_leave_the_loop_and_the_compositor(tmp_path: Path) -> None:
    """Media writes run on the recording's writer thread: never the loop's, never the renderer's."""
    (tmp_path / TARGET.bucket).mkdir()
    storage = _ThreadLog(LocalDirectoryStorage(tmp_path))
    recording = _recording(storage)
    assert await _bounded(recording.start()) is None
    settings = EncoderSettings(width=640, height=360, framerate=FPS, bitrate=1_000_000)
    compositor = Compositor(GridLayout(), settings, recording.sink(RENDITION))
    compositor.add_participant("red")
    renderer: list[str] = []

    def render() -> None:
        renderer.append(threading.current_thread().name)
        _render(compositor, 4 * FPS)
        compositor.close()

    await asyncio.to_thread(render)
    assert await _bounded(recording.end()) is None
    assert len(storage.put_threads) == 1
    assert not storage.put_threads & {threading.current_thread().name, *renderer}
