"""Individual participant recordings, end to end: WHIP publishers in, files in S3 out.

One emulator *process* writes through ``--s3-endpoint-url`` to moto's
``ThreadedMotoServer`` while two participants publish test patterns for about
10 s (one run, shared by the checks through a module fixture); an in-process
emulator under moto's ``mock_aws()`` records four stages at once (AUDIO_VIDEO,
AUDIO_ONLY, NONE, a missing bucket); and the local-directory default records
a participant who rejoins inside the reconnect window.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import boto3
import pytest

from ivs_realtime_sdk._shipped import session_with_shipped_model
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.media import TestPatternVideoTrack, make_test_pattern, publish, subscribe

REGION = "us-east-1"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
PUBLISHED_SECONDS = 10.0
SHORT_SECONDS = 3.0
DEADLINE = 30.0
PREFIX = re.compile(r"[A-Za-z0-9]{12}/st-[A-Za-z0-9]+/[A-Za-z0-9]+/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ")


def ivs_client(endpoint: str) -> Any:
    session = session_with_shipped_model(boto3.Session())
    return session.create_client("ivs-realtime", endpoint_url=endpoint, region_name=REGION, **KEYS)


@dataclass
class Recorded:
    """A stage with recorded publishers."""

    arn: str
    bucket: str
    tokens: list[str]
    participant_ids: list[str]


def recorded_stage(client: Any, bucket: str, publishers: int = 1, **config: Any) -> Recorded:
    storage = client.create_storage_configuration(name=bucket, s3={"bucketName": bucket})
    created = client.create_stage(
        name="recorded",
        participantTokenConfigurations=[
            {"userId": f"p{i}", "capabilities": ["PUBLISH", "SUBSCRIBE"]} for i in range(publishers)
        ],
        autoParticipantRecordingConfiguration={
            "storageConfigurationArn": storage["storageConfiguration"]["arn"],
            **config,
        },
    )
    tokens = created["participantTokens"]
    return Recorded(
        arn=created["stage"]["arn"],
        bucket=bucket,
        tokens=[t["token"] for t in tokens],
        participant_ids=[t["participantId"] for t in tokens],
    )


FAST = {
    "hlsConfiguration": {"targetSegmentDurationSeconds": 2},
    "thumbnailConfiguration": {
        "recordingMode": "INTERVAL",
        "targetIntervalSeconds": 2,
        "storage": ["SEQUENTIAL", "LATEST"],
    },
}


# (Cb, Cr) of two tints of the test pattern: red is high Cr, blue is high Cb.
RED = (90, 220)
BLUE = (220, 90)


class TintedPattern(TestPatternVideoTrack):
    """The SDK's moving bars at 320x240, with a colour's chroma: publishers the eye tells apart."""

    def __init__(self, tint: tuple[int, int]) -> None:
        super().__init__(320, 240, 30)
        self._tint = tint

    async def recv(self) -> av.VideoFrame:
        frame = await super().recv()
        for plane, value in zip(frame.planes[1:], self._tint, strict=True):
            plane.update(bytes([value]) * plane.buffer_size)
        return frame


async def publish_for(
    whip: str,
    token: str,
    seconds: float,
    *,
    video: bool = True,
    tint: tuple[int, int] | None = None,
) -> float:
    """Publish a 320x240 test pattern (tinted if asked) for ``seconds``; return the seconds."""
    audio, pattern = make_test_pattern(320, 240, 30)
    if tint is not None:
        pattern = TintedPattern(tint)
    async with publish(token, audio=audio, video=pattern if video else None, whip_endpoint=whip):
        began = time.monotonic()
        await asyncio.sleep(seconds)
        return time.monotonic() - began


def participant(client: Any, stage: Recorded, index: int) -> dict[str, Any]:
    sessions = client.list_stage_sessions(stageArn=stage.arn)["stageSessions"]
    for session in sessions:
        with_id = client.get_participant(
            stageArn=stage.arn,
            sessionId=session["sessionId"],
            participantId=stage.participant_ids[index],
        )
        return dict(with_id["participant"])
    raise AssertionError("no session")


def wait_recording(client: Any, stage: Recorded, index: int, states: set[str]) -> dict[str, Any]:
    """GetParticipant, once its recordingState is one of ``states``."""
    deadline = time.monotonic() + DEADLINE
    while True:
        found = participant(client, stage, index)
        if found.get("recordingState") in states:
            return found
        assert time.monotonic() < deadline, found
        time.sleep(0.1)


def download(s3: Any, bucket: str, prefix: str, into: Path) -> Path:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix + "/")
    keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
    for key in keys:
        path = into / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    return into / prefix


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def check_audio_video(
    root: Path, stage: Recorded, index: int, published: float, target: int = 2
) -> None:
    """Every Done-when check on one participant's recording, read back into ``root``."""
    names = files_under(root)
    assert {
        "events/recording-started.json",
        "events/recording-ended.json",
        "media/hls/multivariant.m3u8",
        "media/hls/high/playlist.m3u8",
        "media/hls/high/init-1.mp4",
        "media/hls/high/1.mp4",
        "media/thumbnails/high/1.jpg",
        "media/latest_thumbnail/high/thumb.jpg",
    } <= names, names
    assert "events/recording-failed.json" not in names
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert ended["version"] == "v1"
    assert ended["stage_arn"] == stage.arn
    assert ended["participant_id"] == stage.participant_ids[index]
    assert ended["session_id"] == root.parent.parent.name
    assert ended["recording_status"] == "RECORDING_ENDED"
    for field in ("recording_started_at", "recording_ended_at"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ended[field])
    hls = ended["media"]["hls"]
    assert hls["path"] == "media/hls"
    assert hls["playlist"] == "multivariant.m3u8"
    assert hls["renditions"] == [{"path": "high", "playlist": "playlist.m3u8"}]
    assert ended["media"]["thumbnails"] == {
        "path": "media/thumbnails",
        "renditions": [{"path": "high"}],
    }
    assert abs(hls["duration_ms"] / 1000 - published) <= 3, (hls["duration_ms"], published)

    high = root / "media/hls/high"
    playlist = (high / "playlist.m3u8").read_text()
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    durations = [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist)]
    segments = re.findall(r"^(\d+\.mp4)$", playlist, re.M)
    init = (high / "init-1.mp4").read_bytes()
    for position, name in enumerate(segments):
        with av.open(io.BytesIO(init + (high / name).read_bytes()), format="mp4") as container:
            first = next(container.demux(container.streams.video[0]))
            assert first.is_keyframe, f"{name} does not start on a keyframe"
        if position < len(segments) - 1:
            # The SDK's publishers send a keyframe every 1.5 s: a segment closes at the
            # first keyframe at or after the target.
            assert target <= durations[position] <= target + 1.6, (name, durations[position])
    with av.open(str(high / "playlist.m3u8")) as container:
        frames = 0
        for frame in container.decode(container.streams.video[0]):
            assert (frame.width, frame.height) == (320, 240)
            frames += 1
    assert frames >= 20 * (published - 1), (frames, published)
    jpegs = sorted((root / "media/thumbnails/high").iterdir(), key=lambda p: int(p.stem))
    # One thumbnail every 2 s of media, the first at 0.
    assert abs(len(jpegs) - (hls["duration_ms"] / 1000 / 2 + 1)) <= 1.5, len(jpegs)
    for path in [*jpegs, root / "media/latest_thumbnail/high/thumb.jpg"]:
        data = path.read_bytes()
        assert data[:3] == b"\xff\xd8\xff"
        with av.open(io.BytesIO(data), format="jpeg_pipe") as image:
            picture = next(image.decode(video=0))
            assert (picture.width, picture.height) == (320, 240)


# ---- moto's server, the emulator as a process ------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@dataclass
class ProcessRun:
    """What the emulator process recorded, read back from moto's S3."""

    stage: Recorded
    published: list[float]
    participants: list[dict[str, Any]]
    roots: list[Path]
    stderr_first: str
    composite: Any
    """The grid composition's run (a ``test_composites.Composed``)."""
    composite_root: Path
    replica_frame: tuple[int, int]
    """The size of the first video frame a subscriber in the replication's destination got."""


@pytest.fixture(scope="module")
def process_run(
    moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProcessRun]:
    """Two participants publish for ~10 s to an emulator process writing to moto's server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    command = [sys.executable, "-m", "ivs_realtime_sdk", "local", "--port", "0"]
    with subprocess.Popen(
        [*command, "--s3-endpoint-url", moto_endpoint],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        try:
            endpoint = process.stdout.readline().strip()
            stderr_first = process.stderr.readline().strip()
            s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name=REGION, **KEYS)
            s3.create_bucket(Bucket="recordings")
            client = ivs_client(endpoint)
            stage = recorded_stage(client, "recordings", publishers=2, **FAST)
            whip = f"{endpoint}/_emulator/whip"
            composition = start_grid_composition(client, stage.arn, "recordings")
            began = time.monotonic()
            viewer, destination_arn = replica_viewer(client)

            async def both() -> tuple[list[float], tuple[int, int]]:
                async def second() -> float:
                    await asyncio.sleep(1.0)  # blue joins after red: red takes the left tile
                    return await publish_for(
                        whip, stage.tokens[1], PUBLISHED_SECONDS - 1, tint=BLUE
                    )

                async def replica() -> tuple[int, int]:
                    await asyncio.sleep(2.0)
                    return await watch_replica(client, stage, destination_arn, viewer)

                first, later, frame = await asyncio.gather(
                    publish_for(whip, stage.tokens[0], PUBLISHED_SECONDS, tint=RED),
                    second(),
                    replica(),
                )
                return [first, later], frame

            published, replica_frame = asyncio.run(both())
            client.stop_composition(arn=composition)
            active = time.monotonic() - began
            found = [wait_recording(client, stage, i, {"STOPPED", "FAILED"}) for i in (0, 1)]
            into = tmp_path_factory.mktemp("moto")
            roots = [download(s3, "recordings", p["recordingS3Prefix"], into) for p in found]
            composed = composed_run(endpoint, client, stage.arn, composition, active)
            composite_root = download(s3, "recordings", composed.prefix, into)
            yield ProcessRun(
                stage,
                published,
                found,
                roots,
                stderr_first,
                composed,
                composite_root,
                replica_frame,
            )
        finally:
            process.terminate()
            process.wait(timeout=20)


def start_grid_composition(client: Any, stage_arn: str, bucket: str) -> str:
    """A grid composition of the stage to S3 (640x360, 15 fps): its ARN."""
    from .test_composites import s3_destination

    storage = client.create_storage_configuration(name="composite", s3={"bucketName": bucket})
    encoder = client.create_encoder_configuration(
        name="small", video={"width": 640, "height": 360, "framerate": 15, "bitrate": 800_000}
    )
    destination = s3_destination(
        storage["storageConfiguration"]["arn"], encoder["encoderConfiguration"]["arn"]
    )
    started = client.start_composition(
        stageArn=stage_arn, destinations=[destination], layout={"grid": {"gridGap": 0}}
    )
    return str(started["composition"]["arn"])


def replica_viewer(client: Any) -> tuple[str, str]:
    """A second stage with a subscriber's token: (token, stage ARN)."""
    created = client.create_stage(
        name="replicas",
        participantTokenConfigurations=[{"userId": "viewer", "capabilities": ["SUBSCRIBE"]}],
    )
    return created["participantTokens"][0]["token"], created["stage"]["arn"]


async def watch_replica(
    client: Any, stage: Recorded, destination_arn: str, viewer: str
) -> tuple[int, int]:
    """Replicate the first publisher into the destination; a subscriber there gets its video."""
    source_id = stage.participant_ids[0]
    await asyncio.to_thread(
        client.start_participant_replication,
        sourceStageArn=stage.arn,
        destinationStageArn=destination_arn,
        participantId=source_id,
    )
    async with subscribe(viewer, source_id) as subscription:
        assert subscription.video is not None
        frame = await asyncio.wait_for(subscription.video.recv(), DEADLINE)
        return frame.width, frame.height


def composed_run(endpoint: str, client: Any, stage_arn: str, arn: str, active: float) -> Any:
    """The composition once STOPPED, with its events read from the emulator's admin API."""
    from urllib.request import urlopen

    from .test_composites import Composed, composition_events, wait_composition

    def sent() -> list[dict[str, Any]]:
        with urlopen(f"{endpoint}/_emulator/events") as response:
            found: list[dict[str, Any]] = json.loads(response.read())
            return found

    stopped = wait_composition(client, arn, {"STOPPED", "FAILED"})
    prefix = stopped["destinations"][0]["detail"]["s3"]["recordingPrefix"]
    return Composed(stage_arn, stopped, prefix, active, composition_events(sent, arn))


def test_the_process_says_where_recordings_go(process_run: ProcessRun, moto_endpoint: str) -> None:
    assert process_run.stderr_first == f"recordings: S3 at {moto_endpoint}"


def test_get_participant_names_the_documented_prefix(process_run: ProcessRun) -> None:
    for index, found in enumerate(process_run.participants):
        assert found["recordingState"] == "STOPPED"
        assert found["recordingS3BucketName"] == "recordings"
        prefix = found["recordingS3Prefix"]
        assert PREFIX.fullmatch(prefix), prefix
        stage_id, session_id, participant_id, _ = prefix.split("/")
        assert stage_id == process_run.stage.arn.rsplit("/", 1)[1]
        assert session_id == found.get("sessionId", session_id)
        assert participant_id == process_run.stage.participant_ids[index]


@pytest.mark.parametrize("index", [0, 1])
def test_each_participant_has_the_documented_recording(process_run: ProcessRun, index: int) -> None:
    check_audio_video(
        process_run.roots[index], process_run.stage, index, process_run.published[index]
    )


def test_the_process_writes_the_grid_composite(process_run: ProcessRun) -> None:
    from .test_composites import check_composite

    assert process_run.composite.prefix.endswith("/composite")
    check_composite(process_run.composite_root, process_run.composite)


def test_a_subscriber_in_the_replication_destination_gets_the_video(
    process_run: ProcessRun,
) -> None:
    assert process_run.replica_frame == (320, 240)


# ---- mock_aws() in-process: the media types and a missing bucket ------------------------


def test_in_process_under_mock_aws(tmp_path: Path) -> None:
    """Four stages at once under mock_aws(): AUDIO_VIDEO, AUDIO_ONLY, NONE, a missing bucket."""
    from moto import mock_aws

    events: list[dict[str, Any]] = []
    with mock_aws(), LocalIVSRealTime(s3=True, on_event=events.append) as server:
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="mocked")
        client = ivs_client(server.endpoint_url)
        full = recorded_stage(client, "mocked", **FAST)
        audio_only = recorded_stage(
            client,
            "mocked",
            mediaTypes=["AUDIO_ONLY"],
            thumbnailConfiguration={"recordingMode": "DISABLED"},
            hlsConfiguration={"targetSegmentDurationSeconds": 2},
        )
        thumbnails_only = recorded_stage(
            client,
            "mocked",
            mediaTypes=["NONE"],
            thumbnailConfiguration=FAST["thumbnailConfiguration"],
        )
        missing = recorded_stage(client, "no-such-bucket", **FAST)
        stages = [full, audio_only, thumbnails_only, missing]

        async def all_four() -> list[float]:
            return list(
                await asyncio.gather(
                    *(publish_for(server.whip_endpoint, s.tokens[0], SHORT_SECONDS) for s in stages)
                )
            )

        published = asyncio.run(all_four())
        found = [wait_recording(client, s, 0, {"STOPPED", "FAILED"}) for s in stages]

        # AUDIO_VIDEO: the whole layout, in moto's in-memory S3.
        root = download(s3, "mocked", found[0]["recordingS3Prefix"], tmp_path)
        check_audio_video(root, full, 0, published[0])

        # AUDIO_ONLY with thumbnails disabled: an audio-only rendition, no thumbnails.
        root = download(s3, "mocked", found[1]["recordingS3Prefix"], tmp_path)
        names = files_under(root)
        assert not any(n.startswith(("media/thumbnails", "media/latest_thumbnail")) for n in names)
        ended = json.loads((root / "events/recording-ended.json").read_text())
        assert set(ended["media"]) == {"hls"}
        with av.open(str(root / "media/hls/high/playlist.m3u8")) as container:
            assert not container.streams.video
            assert len(container.streams.audio) == 1
            seconds = sum(f.samples for f in container.decode(audio=0)) / 48000
        assert abs(seconds - published[1]) <= 3, seconds

        # NONE: thumbnails only, no HLS.
        root = download(s3, "mocked", found[2]["recordingS3Prefix"], tmp_path)
        names = files_under(root)
        assert not any(n.startswith("media/hls") for n in names), names
        assert "media/thumbnails/high/1.jpg" in names
        assert "media/latest_thumbnail/high/thumb.jpg" in names
        ended = json.loads((root / "events/recording-ended.json").read_text())
        assert set(ended["media"]) == {"thumbnails", "latest_thumbnail"}

        # A missing bucket: Recording Start Failure, FAILED, and the stage works on.
        assert found[3]["recordingState"] == "FAILED"
        assert found[3]["recordingS3BucketName"] == "no-such-bucket"
        assert participant(client, full, 0)["recordingState"] == "STOPPED"
        client.get_stage(arn=missing.arn)
    recordings = [
        e["detail"] for e in events if e["detail-type"] == "IVS Participant Recording State Change"
    ]
    by_prefix: dict[str, list[str]] = {}
    for detail in recordings:
        by_prefix.setdefault(detail["recording_s3_key_prefix"], []).append(detail["event_name"])
    assert by_prefix[found[0]["recordingS3Prefix"]] == ["Recording Start", "Recording End"]
    assert by_prefix[found[3]["recordingS3Prefix"]] == ["Recording Start Failure"]
    failure = next(d for d in recordings if d["event_name"] == "Recording Start Failure")
    assert failure["reason"] == "no such bucket"
    assert failure["recording_s3_bucket_name"] == "no-such-bucket"


# ---- the local-directory default, and a rejoin inside the reconnect window ----------------


def test_local_directory_and_a_reconnect_inside_the_window(tmp_path: Path) -> None:
    events: list[dict[str, Any]] = []
    with LocalIVSRealTime(recordings_dir=tmp_path, on_event=events.append) as server:
        assert server.recordings_dir == str(tmp_path)
        client = ivs_client(server.endpoint_url)
        stage = recorded_stage(client, "local", recordingReconnectWindowSeconds=3, **FAST)

        async def twice() -> list[float]:
            first = await publish_for(server.whip_endpoint, stage.tokens[0], SHORT_SECONDS)
            second = await publish_for(server.whip_endpoint, stage.tokens[0], SHORT_SECONDS)
            return [first, second]

        published = asyncio.run(twice())
        found = wait_recording(client, stage, 0, {"STOPPED", "FAILED"})
    prefix = found["recordingS3Prefix"]
    root = tmp_path / "local" / prefix
    names = files_under(root)
    # One prefix for both connections: a second init segment after the rejoin.
    assert {"media/hls/high/init-1.mp4", "media/hls/high/init-2.mp4"} <= names, names
    playlist = (root / "media/hls/high/playlist.m3u8").read_text()
    assert "#EXT-X-DISCONTINUITY" in playlist
    ended = json.loads((root / "events/recording-ended.json").read_text())
    assert abs(ended["media"]["hls"]["duration_ms"] / 1000 - sum(published)) <= 3
    names_sent = [
        e["detail"]["event_name"]
        for e in events
        if e["detail-type"] == "IVS Participant Recording State Change"
    ]
    assert names_sent == ["Recording Start", "Recording End"]
