"""Composite recordings, end to end: two tinted publishers, a grid composition, files out.

Two participants publish the SDK's test pattern, one tinted red and one
blue, through ``ivs_realtime_sdk.media``; a grid composition with an S3
destination composes them at the encoder configuration's 640x360, 15 fps.
Read back under ``.../composite``: the documented files and metadata, a
playlist PyAV decodes at the encoder's size, the red publisher in the left
tile and the blue one in the right, and a duration within 3 s of the time
the composition was active. The same runs under moto's ``mock_aws()`` and
with the local-directory default; the idle stop and a missing bucket have
their own tests. (The emulator as a process writing to moto's server is in
``test_recordings.py``, whose run composes too.)
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import boto3

from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.media import SilentAudioTrack, publish

from .test_recordings import BLUE, RED, REGION, TintedPattern, download, files_under, ivs_client

DEADLINE = 30.0
PUBLISHED_SECONDS = 8.0
WIDTH, HEIGHT, FPS = 640, 360, 15
RENDITION = f"{HEIGHT}p{FPS}"
RESOLUTION = f"{WIDTH}x{HEIGHT}"


async def publish_tinted(whip: str, token: str, seconds: float, tint: tuple[int, int]) -> None:
    async with publish(
        token, audio=SilentAudioTrack(), video=TintedPattern(tint), whip_endpoint=whip
    ):
        await asyncio.sleep(seconds)


@dataclass
class Composed:
    """A composition that ran and stopped, and where its composite is."""

    stage_arn: str
    composition: dict[str, Any]
    prefix: str
    active_seconds: float
    events: list[str]


def composite_stage(client: Any, bucket: str) -> tuple[str, list[str], str, str]:
    """A stage with two publisher tokens, a storage and an encoder configuration."""
    storage = client.create_storage_configuration(name=bucket, s3={"bucketName": bucket})
    encoder = client.create_encoder_configuration(
        name="small", video={"width": WIDTH, "height": HEIGHT, "framerate": FPS, "bitrate": 800_000}
    )
    created = client.create_stage(
        name="composed",
        participantTokenConfigurations=[
            {"userId": f"p{i}", "capabilities": ["PUBLISH", "SUBSCRIBE"]} for i in range(2)
        ],
    )
    tokens = [t["token"] for t in created["participantTokens"]]
    return (
        created["stage"]["arn"],
        tokens,
        storage["storageConfiguration"]["arn"],
        encoder["encoderConfiguration"]["arn"],
    )


def s3_destination(storage_arn: str, encoder_arn: str) -> dict[str, Any]:
    return {
        "s3": {
            "storageConfigurationArn": storage_arn,
            "encoderConfigurationArns": [encoder_arn],
            "recordingConfiguration": {"hlsConfiguration": {"targetSegmentDurationSeconds": 2}},
            "thumbnailConfigurations": [
                {"targetIntervalSeconds": 2, "storage": ["SEQUENTIAL", "LATEST"]}
            ],
        }
    }


def wait_composition(client: Any, arn: str, states: set[str]) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE
    while True:
        found: dict[str, Any] = client.get_composition(arn=arn)["composition"]
        if found["state"] in states:
            return found
        assert time.monotonic() < deadline, found
        time.sleep(0.05)


def compose_two(
    client: Any,
    whip: str,
    bucket: str,
    events: Callable[[], list[dict[str, Any]]],
    layout: dict[str, Any] | None = None,
) -> Composed:
    """Red joins, blue a second later; both publish, then the composition is stopped."""
    stage_arn, tokens, storage_arn, encoder_arn = composite_stage(client, bucket)
    started = client.start_composition(
        stageArn=stage_arn,
        destinations=[s3_destination(storage_arn, encoder_arn)],
        layout=layout or {"grid": {"gridGap": 0}},
    )["composition"]
    began = time.monotonic()

    async def both() -> None:
        async def blue_later() -> None:
            await asyncio.sleep(1.0)
            await publish_tinted(whip, tokens[1], PUBLISHED_SECONDS - 1.0, BLUE)

        await asyncio.gather(publish_tinted(whip, tokens[0], PUBLISHED_SECONDS, RED), blue_later())

    asyncio.run(both())
    client.stop_composition(arn=started["arn"])
    active = time.monotonic() - began
    stopped = wait_composition(client, started["arn"], {"STOPPED", "FAILED"})
    prefix = stopped["destinations"][0]["detail"]["s3"]["recordingPrefix"]
    return Composed(stage_arn, stopped, prefix, active, composition_events(events, started["arn"]))


def composition_events(events: Callable[[], list[dict[str, Any]]], arn: str) -> list[str]:
    """The composition's event names, once Session End arrived (subscribers get events on
    the bus's own thread, a moment after the state changed), or all there are by the deadline.
    """
    deadline = time.monotonic() + DEADLINE
    while True:
        names = [
            e["detail"]["event_name"]
            for e in events()
            if e["detail-type"] == "IVS Composition State Change" and e["resources"] == [arn]
        ]
        if "Session End" in names or time.monotonic() > deadline:
            return names
        time.sleep(0.05)


def chroma(frame: av.VideoFrame, x: int, y: int, size: int = 16) -> tuple[int, int]:
    """Mean (Cb, Cr) of a ``size`` square centred on luma pixel (x, y)."""
    means: list[int] = []
    for plane in frame.planes[1:]:
        data = bytes(plane)
        cx, cy, half = x // 2, y // 2, size // 4
        values = [
            data[row * plane.line_size + col]
            for row in range(cy - half, cy + half)
            for col in range(cx - half, cx + half)
        ]
        means.append(sum(values) // len(values))
    return means[0], means[1]


def check_composite(root: Path, composed: Composed) -> None:
    """Every Done-when check on a composite recording read back into ``root``."""
    names = files_under(root)
    assert {
        "events/recording-started.json",
        "events/recording-ended.json",
        "media/hls/multivariant.m3u8",
        f"media/hls/{RENDITION}/playlist.m3u8",
        f"media/thumbnails/{RESOLUTION}/1.jpg",
        f"media/latest_thumbnail/{RESOLUTION}/thumb.jpg",
    } <= names, names
    assert "events/recording-failed.json" not in names
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert ended["version"] == "v1"
    assert ended["stage_arn"] == composed.stage_arn
    assert ended["recording_status"] == "RECORDING_ENDED"
    for field in ("recording_started_at", "recording_ended_at"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ended[field])
    hls = ended["media"]["hls"]
    assert hls["path"] == "media/hls"
    assert hls["playlist"] == "multivariant.m3u8"
    assert hls["renditions"] == [
        {
            "path": RENDITION,
            "playlist": "playlist.m3u8",
            "resolution_width": WIDTH,
            "resolution_height": HEIGHT,
        }
    ]
    resolutions = [{"path": RESOLUTION, "resolution_width": WIDTH, "resolution_height": HEIGHT}]
    assert ended["media"]["thumbnails"] == {"path": "media/thumbnails", "resolutions": resolutions}
    assert ended["media"]["latest_thumbnail"] == {
        "path": "media/latest_thumbnail",
        "resolutions": resolutions,
    }
    assert abs(hls["duration_ms"] / 1000 - composed.active_seconds) <= 3, (
        hls["duration_ms"],
        composed.active_seconds,
    )

    with av.open(str(root / f"media/hls/{RENDITION}/playlist.m3u8")) as container:
        assert container.streams.audio, "the composite has no audio track"
        assert container.streams.audio[0].codec_context.name == "aac"
        frames = list(container.decode(container.streams.video[0]))
    assert all((f.width, f.height) == (WIDTH, HEIGHT) for f in frames)
    seconds = len(frames) / FPS
    assert abs(seconds - composed.active_seconds) <= 3, (seconds, composed.active_seconds)
    # Late in the recording both publish: red joined first, so it holds the left tile.
    late = frames[int(len(frames) * 0.75)]
    left = chroma(late, WIDTH // 4, HEIGHT // 2)
    right = chroma(late, 3 * WIDTH // 4, HEIGHT // 2)
    assert left[1] > 180 > left[0], left
    assert right[0] > 180 > right[1], right

    for path in [*(root / f"media/thumbnails/{RESOLUTION}").iterdir()]:
        with av.open(io.BytesIO(path.read_bytes()), format="jpeg_pipe") as image:
            picture = next(image.decode(video=0))
            assert (picture.width, picture.height) == (WIDTH, HEIGHT)
    thumbnails = len(list((root / f"media/thumbnails/{RESOLUTION}").iterdir()))
    assert abs(thumbnails - (hls["duration_ms"] / 1000 / 2 + 1)) <= 1.5, thumbnails

    # Session End comes once the files are complete (they were read right after STOPPED).
    assert composed.events == [
        "Session Start",
        "Destination Start",
        "Destination End",
        "Session End",
    ], composed.events


def test_a_grid_composite_under_mock_aws(tmp_path: Path) -> None:
    from moto import mock_aws

    events: list[dict[str, Any]] = []
    with mock_aws(), LocalIVSRealTime(s3=True, on_event=events.append) as server:
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="composites")
        client = ivs_client(server.endpoint_url)
        composed = compose_two(client, server.whip_endpoint, "composites", lambda: events)
        assert composed.prefix.endswith("/composite")
        root = download(s3, "composites", composed.prefix, tmp_path)
    check_composite(root, composed)


def test_a_grid_composite_in_the_local_directory(tmp_path: Path) -> None:
    events: list[dict[str, Any]] = []
    with LocalIVSRealTime(recordings_dir=tmp_path, on_event=events.append) as server:
        client = ivs_client(server.endpoint_url)
        composed = compose_two(client, server.whip_endpoint, "local", lambda: events)
    check_composite(tmp_path / "local" / composed.prefix, composed)


def test_a_pip_composite_puts_the_second_publisher_in_the_window(tmp_path: Path) -> None:
    """PiP through the whole path: the first publisher fills the canvas, the second is the
    window (a quarter of the width, bottom right, 16 px from the edges)."""
    layout = {"pip": {"pipPosition": "BOTTOM_RIGHT", "pipOffset": 16}}
    with LocalIVSRealTime(recordings_dir=tmp_path) as server:
        client = ivs_client(server.endpoint_url)
        composed = compose_two(client, server.whip_endpoint, "pip", lambda: [], layout)
    playlist = tmp_path / "pip" / composed.prefix / f"media/hls/{RENDITION}/playlist.m3u8"
    with av.open(str(playlist)) as container:
        frames = list(container.decode(container.streams.video[0]))
    late = frames[int(len(frames) * 0.75)]
    main = chroma(late, WIDTH // 3, HEIGHT // 3)
    window = (WIDTH - 16 - WIDTH // 8, HEIGHT - 16 - HEIGHT // 8)
    inset = chroma(late, *window, size=8)
    assert main[1] > 180 > main[0], main
    assert inset[0] > 180 > inset[1], inset


def test_a_composition_stops_by_itself_once_idle(tmp_path: Path) -> None:
    """No publisher for the idle window (60 s in IVS, 1 s here): STOPPED, files complete."""
    with LocalIVSRealTime(recordings_dir=tmp_path) as server:
        server.composition_idle_seconds = 1.0
        client = ivs_client(server.endpoint_url)
        stage_arn, tokens, storage_arn, encoder_arn = composite_stage(client, "idle")

        async def publish_then_leave() -> tuple[str, float]:
            async with publish(
                tokens[0],
                audio=SilentAudioTrack(),
                video=TintedPattern(RED),
                whip_endpoint=server.whip_endpoint,
            ):
                started = await asyncio.to_thread(
                    client.start_composition,
                    stageArn=stage_arn,
                    destinations=[s3_destination(storage_arn, encoder_arn)],
                )
                began = time.monotonic()
                await asyncio.sleep(2.0)
            return started["composition"]["arn"], began

        arn, began = asyncio.run(publish_then_leave())
        left = time.monotonic()
        assert client.get_composition(arn=arn)["composition"]["state"] == "ACTIVE"
        stopped = wait_composition(client, arn, {"STOPPED"})
        assert 0.8 <= time.monotonic() - left <= 6
        prefix = stopped["destinations"][0]["detail"]["s3"]["recordingPrefix"]
    ended = json.loads((tmp_path / "idle" / prefix / "events/recording-ended.json").read_text())
    assert abs(ended["media"]["hls"]["duration_ms"] / 1000 - (left - began + 1)) <= 2


def test_a_missing_bucket_fails_the_destination_not_the_emulator() -> None:
    from moto import mock_aws

    events: list[dict[str, Any]] = []
    with mock_aws(), LocalIVSRealTime(s3=True, on_event=events.append) as server:
        client = ivs_client(server.endpoint_url)
        stage_arn, tokens, storage_arn, encoder_arn = composite_stage(client, "no-such-bucket")
        arn = client.start_composition(
            stageArn=stage_arn, destinations=[s3_destination(storage_arn, encoder_arn)]
        )["composition"]["arn"]
        asyncio.run(publish_tinted(server.whip_endpoint, tokens[0], 1.0, RED))
        deadline = time.monotonic() + DEADLINE
        while True:
            found = client.get_composition(arn=arn)["composition"]
            if found["destinations"][0]["state"] == "FAILED":
                break
            assert time.monotonic() < deadline, found
            time.sleep(0.05)
        client.stop_composition(arn=arn)
        assert wait_composition(client, arn, {"STOPPED"})["destinations"][0]["state"] == "FAILED"
        client.get_stage(arn=stage_arn)
        names = composition_events(lambda: events, arn)
    assert names.count("Destination Failure") == 1, names
    failures = [
        e["detail"]
        for e in events
        if e["detail-type"] == "IVS Composition State Change"
        and e["detail"]["event_name"] == "Destination Failure"
    ]
    assert len(failures) == 1
    assert failures[0]["reason"] == "no such bucket"
