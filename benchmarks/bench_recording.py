"""The emulator's CPU per recorded participant: seconds of CPU per second of media (remux).

Media is encoded first (not measured), then fed as fast as possible; the
figure is ``time.process_time()`` (all threads: muxing, thumbnail decode and
JPEG encode on the writer thread, local-directory writes) from start() to
the end of the recording, divided by the seconds fed.

    python benchmarks/bench_recording.py
"""

from __future__ import annotations

import asyncio
import fractions
import tempfile
import time
from pathlib import Path

import av

from ivs_realtime_sdk.local.recording import (
    LocalDirectoryStorage,
    ParticipantRecorder,
    RecordingSettings,
    RecordingTarget,
    ThumbnailMode,
    ThumbnailStorage,
)

SECONDS = 8
TARGET = RecordingTarget(
    stage_arn="arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij",
    session_id="st-bench",
    participant_id="bench",
    bucket="b",
)


def encode(width: int, height: int, fps: int) -> list[tuple[str, bytes, int]]:
    graph = av.filter.Graph()
    sink = graph.add("buffersink")
    graph.add("testsrc2", f"size={width}x{height}:rate={fps}").link_to(sink)
    graph.configure()
    enc = av.CodecContext.create("libx264", "w")
    enc.width, enc.height, enc.pix_fmt = width, height, "yuv420p"
    enc.time_base = fractions.Fraction(1, fps)
    enc.bit_rate = 2_500_000 if width >= 1280 else 400_000
    enc.options = {
        "profile": "baseline",
        "preset": "ultrafast",
        "x264-params": f"keyint={fps}:min-keyint={fps}:scenecut=0:bframes=0",
    }
    out: list[tuple[str, bytes, int]] = []
    for i in range(SECONDS * fps):
        frame = sink.pull().reformat(format="yuv420p")
        frame.pts, frame.time_base, frame.pict_type = (
            i,
            enc.time_base,
            av.video.frame.PictureType.NONE,
        )
        out += [("v", bytes(p), p.pts * 90000 // fps) for p in enc.encode(frame)]
    out += [("v", bytes(p), p.pts * 90000 // fps) for p in enc.encode(None)]
    tone = av.filter.Graph()
    tsink = tone.add("abuffersink")
    tone.add("sine", "frequency=440:sample_rate=48000").link_to(tsink)
    tone.configure()
    aenc = av.CodecContext.create("libopus", "w")
    aenc.sample_rate, aenc.layout, aenc.format = 48000, "stereo", "s16"
    res = av.AudioResampler(format="s16", layout="stereo", rate=48000, frame_size=960)
    total = 0
    while total < SECONDS * 48000:
        chunk = tsink.pull()
        total += chunk.samples
        for c in res.resample(chunk):
            out += [("a", bytes(p), p.pts) for p in aenc.encode(c) if p.pts is not None]
    return sorted(out, key=lambda x: x[2] / (90000 if x[0] == "v" else 48000))


async def measure(feed: list[tuple[str, bytes, int]], settings: RecordingSettings) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "b").mkdir()
        rec = ParticipantRecorder(
            storage=LocalDirectoryStorage(tmp), target=TARGET, settings=settings
        )
        cpu = time.process_time()
        await rec.start(has_video=True, has_audio=True)
        for kind, data, pts in feed:
            packet = av.Packet(data)
            packet.pts = pts
            packet.time_base = fractions.Fraction(1, 90000 if kind == "v" else 48000)
            if kind == "v":
                rec.feed_video_packet(packet)
            else:
                rec.feed_audio_packet(packet)
        await rec.disconnected()
        await rec.wait_ended()
        return (time.process_time() - cpu) / SECONDS


async def main() -> None:
    off = RecordingSettings(
        target_segment_duration_seconds=2, thumbnail_mode=ThumbnailMode.DISABLED
    )
    on = RecordingSettings(
        target_segment_duration_seconds=2,
        thumbnail_interval_seconds=2,
        thumbnail_storage=frozenset({ThumbnailStorage.SEQUENTIAL, ThumbnailStorage.LATEST}),
    )
    for width, height, fps in ((320, 240, 30), (1280, 720, 30)):
        feed = encode(width, height, fps)
        size = sum(len(d) for _, d, _ in feed)
        for name, settings in (("remux only", off), ("remux + thumbnails every 2 s", on)):
            figures = sorted([await measure(feed, settings) for _ in range(3)])
            print(
                f"{width}x{height}@{fps} ({size * 8 / SECONDS / 1e6:.2f} Mbit/s), {name}: "
                f"median {figures[1] * 1000:.1f} ms CPU per media second "
                f"({figures[1] * 100:.2f}% of a core); runs {[round(f * 1000, 1) for f in figures]}"
            )


if __name__ == "__main__":
    asyncio.run(main())
