"""The emulator's compositor: its speed as a multiple of real time, on one core.

Four publishers at 640x360 30 fps with 48 kHz mono tones, composed into a
1280x720 30 fps grid, encoded H.264 + AAC, packets discarded (the sink's
cost belongs to the writer). Every tick gets new input frames, as live
publishers would send, so each tile is rescaled every frame.

The script pins itself to one core (the first it may run on) and prints two
figures: output seconds per wall second, and output seconds per CPU second
(what one free core would give; the wall figure is lower on a shared machine).
Target: at least 1.5x real time at 1280x720 30 fps with four publishers.

    python benchmarks/bench_compositor.py [seconds] [preset] [threads]
"""

from __future__ import annotations

import asyncio
import fractions
import math
import os
import sys
import tempfile
import time
from array import array

import av
from av.stream import Stream

from ivs_realtime_sdk.local.composition import (
    AudioStreamInfo,
    CompositeSink,
    Compositor,
    EncoderSettings,
    GridLayout,
    VideoStreamInfo,
)
from ivs_realtime_sdk.local.recording import (
    CompositeRecording,
    CompositeRendition,
    CompositeTarget,
    LocalDirectoryStorage,
)

TARGET = 1.5

COLOURS = [(81, 90, 240), (41, 240, 110), (145, 54, 34), (210, 16, 146)]


class NullSink:
    """Counts packets and bytes, keeps nothing."""

    def __init__(self) -> None:
        self.video_bytes = 0
        self.packets = 0

    def on_start(self, video: VideoStreamInfo, audio: AudioStreamInfo) -> None:
        pass

    def on_video_packet(self, packet: av.Packet[Stream]) -> None:
        self.video_bytes += packet.size
        self.packets += 1

    def on_audio_packet(self, packet: av.Packet[Stream]) -> None:
        self.packets += 1

    def on_end(self) -> None:
        pass


def frames_for(colour: tuple[int, int, int], count: int) -> list[av.VideoFrame]:
    """A few frames with a moving bar, so the encoder sees motion."""
    out = []
    for k in range(count):
        f = av.VideoFrame(640, 360, "yuv420p")
        y, u, v = colour
        row = bytearray([y]) * f.planes[0].line_size
        rows = []
        for r in range(360):
            bar = (r // 8 + k) % 6 == 0
            rows.append(bytes([235]) * f.planes[0].line_size if bar else bytes(row))
        f.planes[0].update(b"".join(rows)[: f.planes[0].buffer_size])
        f.planes[1].update(bytes([u]) * f.planes[1].buffer_size)
        f.planes[2].update(bytes([v]) * f.planes[2].buffer_size)
        out.append(f)
    return out


def tone(freq: float) -> av.AudioFrame:
    samples = array(
        "h", (int(8000 * math.sin(2 * math.pi * freq * i / 48000)) for i in range(1600))
    )
    f = av.AudioFrame(format="s16", layout="mono", samples=1600)
    f.sample_rate = 48000
    f.planes[0].update(samples.tobytes() + bytes(f.planes[0].buffer_size - 3200))
    return f


def pin_to_one_core() -> None:
    """Run on one core, as the target is stated (where the OS allows it)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def encoded(frames: list[av.VideoFrame], count: int) -> list[av.Packet[Stream]]:
    """``count`` H.264 access units of a publisher (Baseline, a keyframe a second), as relayed."""
    encoder = av.CodecContext.create("libx264", "w")
    assert isinstance(encoder, av.VideoCodecContext)
    encoder.width, encoder.height, encoder.pix_fmt = 640, 360, "yuv420p"
    encoder.time_base = fractions.Fraction(1, 30)
    encoder.options = {"preset": "ultrafast", "profile": "baseline", "g": "30"}
    packets: list[av.Packet[Stream]] = []
    for n in range(count):
        frame = frames[n % len(frames)]
        frame.pts = n
        packets += encoder.encode(frame)
    packets += encoder.encode(None)
    return packets


def run(seconds: float, preset: str, threads: int, *, pipeline: bool) -> tuple[float, float, int]:
    """Compose ``seconds`` of output; (wall, cpu, video bytes).

    ``pipeline``: the emulator's whole path instead of the compositor alone: each
    publisher's H.264 decoded (as the media plane does), and the output written by
    the composite recording writer into a local directory.
    """
    settings = EncoderSettings(width=1280, height=720, framerate=30, preset=preset, threads=threads)
    total = int(seconds * 30)
    pools = [frames_for(c, 6) for c in COLOURS]
    streams = [encoded(pool, total) for pool in pools] if pipeline else []
    decoders = [av.CodecContext.create("h264", "r") for _ in streams]
    tones = [tone(220 * (i + 1)) for i in range(4)]
    counter = NullSink()
    loop = asyncio.new_event_loop()
    recording: CompositeRecording | None = None
    sink: CompositeSink = counter
    with tempfile.TemporaryDirectory() as directory:
        if pipeline:
            rendition = CompositeRendition(
                encoder_configuration_arn="arn:aws:ivs:us-east-1:123456789012:encoder-configuration/bench",
                width=1280,
                height=720,
                framerate=30,
                bitrate=settings.bitrate,
            )
            recording = CompositeRecording(
                storage=LocalDirectoryStorage(directory, create_buckets=True),
                target=CompositeTarget(
                    stage_arn="arn:aws:ivs:us-east-1:123456789012:stage/bench",
                    bucket="bench",
                    prefix="stage/composition/composite",
                ),
                renditions=[rendition],
            )
            assert loop.run_until_complete(recording.start()) is None
            sink = recording.sink(rendition)
        comp = Compositor(GridLayout(), settings, sink)
        for i in range(4):
            comp.add_participant(f"p{i}")
        t0 = time.perf_counter()
        c0 = time.process_time()
        for n in range(total):
            for i in range(4):
                if pipeline:
                    decoder = decoders[i]
                    assert isinstance(decoder, av.VideoCodecContext)
                    for frame in decoder.decode(streams[i][n]):
                        comp.push_video(f"p{i}", frame)
                else:
                    # A different frame each tick (a moving bar), as a live decoder gives.
                    comp.push_video(f"p{i}", pools[i][n % 6])
                comp.push_audio(f"p{i}", tones[i])  # 1600 samples = 1/30 s
            comp.render_next()
        comp.close()
        if recording is not None:
            assert loop.run_until_complete(recording.end()) is None
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0
    loop.close()
    return wall, cpu, counter.video_bytes


def main() -> None:
    pin_to_one_core()
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    preset = sys.argv[2] if len(sys.argv) > 2 else "ultrafast"
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    wall, cpu, video_bytes = run(seconds, preset, threads, pipeline=False)
    print(
        f"preset={preset} threads={threads} output={seconds:.0f}s wall={wall:.2f}s cpu={cpu:.2f}s "
        f"speed={seconds / wall:.2f}x realtime ({seconds / cpu:.2f}x per CPU-second) "
        f"video={video_bytes * 8 / seconds / 1000:.0f} kbps"
    )
    print(
        "compositor 1280x720 30fps, 4 publishers, 1 core: "
        f"{seconds / cpu:.2f}x real time per CPU-second, {seconds / wall:.2f}x wall "
        f"(target {TARGET}x)"
    )
    wall, cpu, _ = run(seconds, preset, threads, pipeline=True)
    print(
        "whole path (4 x 640x360 H.264 decoded, composed, written by the composite writer), "
        f"1 core: {seconds / cpu:.2f}x real time per CPU-second, {seconds / wall:.2f}x wall "
        f"(target {TARGET}x)"
    )


if __name__ == "__main__":
    main()
