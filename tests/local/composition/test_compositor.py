"""The compositor end to end: live inputs in, fMP4 HLS out, decoded back."""

from __future__ import annotations

import asyncio
import fractions
import time
from pathlib import Path

import pytest

from ivs_realtime_sdk.local.composition import (
    Compositor,
    EncoderSettings,
    GridLayout,
    HlsDirectorySink,
    PipLayout,
    PipPosition,
)

from ._media_helpers import (
    BLUE,
    GREEN,
    RED,
    Publisher,
    decode_audio_mono,
    decode_video,
    goertzel_power,
    is_black,
    is_blue,
    is_red,
    rgb_at,
    segment_durations,
    solid,
    tone_chunk,
)

SECONDS = 6.0
SMALL = EncoderSettings(width=640, height=360, framerate=30, bitrate=1_000_000)


async def run_live(
    compositor: Compositor, publishers: dict[str, tuple[Publisher, dict[str, str]]]
) -> float:
    """Publish for SECONDS of wall time; return how long the inputs ran.

    Also checks that rendering (in a worker thread) leaves the event loop
    responsive: a 10 ms ticker must never be late by more than 500 ms (a shared, loaded machine).
    """
    stop = asyncio.Event()
    runner = asyncio.create_task(compositor.run(stop))
    lags: list[float] = []

    async def ticker() -> None:
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            before = loop.time()
            await asyncio.sleep(0.01)
            lags.append(loop.time() - before - 0.01)

    watcher = asyncio.create_task(ticker())
    started = time.monotonic()
    feeds = []
    for pid, (pub, attrs) in publishers.items():
        compositor.add_participant(pid, attrs)
        feeds.append(compositor.feed(pid, pub.frames(SECONDS)))
    await asyncio.wait_for(asyncio.gather(*feeds), timeout=SECONDS + 10)
    input_time = time.monotonic() - started
    for pid in publishers:
        compositor.remove_participant(pid)
    stop.set()
    await asyncio.wait_for(runner, timeout=20)
    await asyncio.wait_for(watcher, timeout=5)
    print(
        f"input {input_time:.2f} s, output {compositor.duration:.2f} s, "
        f"max loop lag {max(lags) * 1000:.0f} ms"
    )
    assert max(lags) < 0.5
    return input_time


def check_audio(playlist: Path, tones: list[float], seconds: float) -> None:
    samples, rate = decode_audio_mono(playlist)
    assert rate == 48_000
    assert abs(len(samples) / rate - seconds) < 1.0
    print(f"audio {len(samples) / rate:.2f} s")
    window = samples[len(samples) // 2 : len(samples) // 2 + 4800]
    off = goertzel_power(window, rate, 1234.0)
    for hz in tones:
        # Each publisher's tone is in the mix, far above an unrelated bin.
        assert goertzel_power(window, rate, hz) > 100 * off + 1e-6, hz


async def test_grid_of_two_live_publishers(tmp_path: Path) -> None:
    sink = HlsDirectorySink(tmp_path / "grid")
    compositor = Compositor(GridLayout(), SMALL, sink)
    # Different frame rates and audio rates: the compositor samples and resamples.
    publishers: dict[str, tuple[Publisher, dict[str, str]]] = {
        "red": (Publisher(RED, 320, 240, 30, 440.0), {}),
        "blue": (Publisher(BLUE, 320, 240, 15, 660.0, audio_rate=44_100), {}),
    }
    input_time = await run_live(compositor, publishers)

    frames = decode_video(sink.playlist_path)
    assert {(f.width, f.height) for f in frames} == {(640, 360)}
    duration = len(frames) / 30
    assert abs(duration - input_time) < 1.0, (duration, input_time)
    middle = frames[len(frames) // 2]
    # Grid: red left cell, blue right cell, black above and below the 16:9 row.
    assert is_red(rgb_at(middle, 160, 180)), rgb_at(middle, 160, 180)
    assert is_blue(rgb_at(middle, 480, 180)), rgb_at(middle, 480, 180)
    assert is_black(rgb_at(middle, 320, 20))
    assert is_black(rgb_at(middle, 320, 340))
    check_audio(sink.playlist_path, [440.0, 660.0], input_time)
    # Segments cut on the 2 s keyframe interval (the last one may be shorter).
    durations = segment_durations(sink.playlist_path)
    assert all(abs(d - 2.0) < 0.05 for d in durations[:-1]), durations


async def test_pip_of_two_live_publishers(tmp_path: Path) -> None:
    sink = HlsDirectorySink(tmp_path / "pip")
    layout = PipLayout(
        pip_participant_attribute="pip", pip_position=PipPosition.TOP_LEFT, pip_offset=16
    )
    compositor = Compositor(layout, SMALL, sink)
    publishers: dict[str, tuple[Publisher, dict[str, str]]] = {
        "red": (Publisher(RED, 320, 240, 30, 440.0), {}),
        "blue": (Publisher(BLUE, 320, 240, 24, 660.0), {"pip": "true"}),
    }
    input_time = await run_live(compositor, publishers)

    frames = decode_video(sink.playlist_path)
    assert {(f.width, f.height) for f in frames} == {(640, 360)}
    assert abs(len(frames) / 30 - input_time) < 1.0
    middle = frames[len(frames) // 2]
    # PiP window: 160x120 (a quarter of the width, 4:3) at (16, 16); red covers the rest.
    assert is_blue(rgb_at(middle, 16 + 80, 16 + 60)), rgb_at(middle, 96, 76)
    for x, y in ((8, 8), (200, 60), (320, 180), (600, 340), (96, 150)):
        assert is_red(rgb_at(middle, x, y)), (x, y, rgb_at(middle, x, y))
    check_audio(sink.playlist_path, [440.0, 660.0], input_time)


def test_joins_and_leaves_change_the_layout_live(tmp_path: Path) -> None:
    sink = HlsDirectorySink(tmp_path / "live")
    compositor = Compositor(GridLayout(grid_gap=0), SMALL, sink)
    red, blue = solid(320, 240, RED), solid(320, 240, BLUE)

    def render(count: int) -> None:
        for _ in range(count):
            if "red" in active:
                compositor.push_video("red", red.reformat())
            if "blue" in active:
                compositor.push_video("blue", blue.reformat())
            compositor.render_next()

    active = {"red"}
    compositor.add_participant("red")
    render(30)
    active.add("blue")
    compositor.add_participant("blue")
    render(30)
    active.discard("red")
    compositor.remove_participant("red")
    render(30)
    compositor.close()

    frames = decode_video(sink.playlist_path)
    assert len(frames) == 90
    alone, both, after = frames[15], frames[45], frames[75]
    # Alone: one 16:9 tile over the whole canvas.
    assert is_red(rgb_at(alone, 40, 40))
    assert is_red(rgb_at(alone, 600, 320))
    assert is_red(rgb_at(both, 160, 180))
    assert is_blue(rgb_at(both, 480, 180))
    assert is_blue(rgb_at(after, 40, 40))
    assert is_blue(rgb_at(after, 600, 320))


def test_stopped_video_shows_a_blank_tile_or_is_omitted(tmp_path: Path) -> None:
    results = {}
    for omit in (False, True):
        sink = HlsDirectorySink(tmp_path / f"omit-{omit}")
        compositor = Compositor(GridLayout(omit_stopped_video=omit, grid_gap=0), SMALL, sink)
        compositor.add_participant("red")
        compositor.add_participant("green")
        compositor.set_video_stopped("red", True)
        for _ in range(10):
            compositor.push_video("red", solid(320, 240, RED))
            compositor.push_video("green", solid(320, 240, GREEN))
            compositor.render_next()
        compositor.close()
        results[omit] = decode_video(sink.playlist_path)[5]
    kept = rgb_at(results[False], 160, 180)
    assert 30 < kept[0] < 80
    assert abs(kept[0] - kept[2]) < 10
    assert rgb_at(results[False], 480, 180)[1] > 200  # green on the right
    assert rgb_at(results[True], 40, 40)[1] > 200  # green alone fills the canvas


def test_odd_input_sizes_and_formats_are_accepted(tmp_path: Path) -> None:
    sink = HlsDirectorySink(tmp_path / "odd")
    compositor = Compositor(GridLayout(), SMALL, sink)
    compositor.add_participant("a")
    compositor.add_participant("b")
    for i in range(20):
        compositor.push_video("a", solid(322, 182, RED).reformat(format="rgb24"))
        # A resolution switch mid-stream rebuilds the graph.
        compositor.push_video("b", solid(160 if i < 10 else 480, 90 if i < 10 else 270, BLUE))
        compositor.push_audio("a", tone_chunk(300.0, 16_000, i * 320, 320))
        compositor.render_next()
    compositor.close()
    frames = decode_video(sink.playlist_path)
    assert len(frames) == 20
    assert is_red(rgb_at(frames[15], 160, 180))
    assert is_blue(rgb_at(frames[15], 480, 180))


def test_idle_time_counts_from_the_last_publisher_leaving(tmp_path: Path) -> None:
    now = [1000.0]
    compositor = Compositor(
        GridLayout(), SMALL, HlsDirectorySink(tmp_path / "idle"), clock=lambda: now[0]
    )
    now[0] += 5
    assert compositor.idle_seconds() == 5.0  # no publisher since start
    compositor.add_participant("a")
    now[0] += 100
    assert compositor.idle_seconds() == 0.0
    compositor.remove_participant("a")
    now[0] += 61
    assert compositor.idle_seconds() == 61.0  # the emulator stops it (> 60 s)
    compositor.close()


def test_silence_when_nobody_publishes_audio(tmp_path: Path) -> None:
    sink = HlsDirectorySink(tmp_path / "silent")
    compositor = Compositor(GridLayout(), SMALL, sink)
    for _ in range(30):
        compositor.render_next()
    compositor.close()
    frames = decode_video(sink.playlist_path)
    assert len(frames) == 30
    assert is_black(rgb_at(frames[10], 320, 180))
    samples, _ = decode_audio_mono(sink.playlist_path)
    assert samples
    assert max(abs(s) for s in samples) < 1e-3


@pytest.mark.parametrize("bad", ["stream_key=sk_us-west-2_secret"])
def test_nothing_secret_in_reprs(tmp_path: Path, bad: str) -> None:
    # Attributes are not secrets, but the compositor never logs or reprs
    # them anyway: participants are identified by id only.
    compositor = Compositor(GridLayout(), SMALL, HlsDirectorySink(tmp_path / "r"))
    compositor.add_participant("p", {"note": bad})
    assert bad not in repr(compositor)
    compositor.close()


def test_input_frames_are_not_modified(tmp_path: Path) -> None:
    # The media plane may hand the same decoded frame to a recorder too.
    compositor = Compositor(GridLayout(), SMALL, HlsDirectorySink(tmp_path / "shared"))
    compositor.add_participant("a")
    compositor.add_participant("b")
    first = solid(320, 240, RED)
    first.pts, first.time_base = 90_000, fractions.Fraction(1, 90_000)
    second = solid(320, 240, BLUE)  # pts None, as some sources send
    for _ in range(5):
        compositor.push_video("a", first)
        compositor.push_video("b", second)
        compositor.render_next()
    compositor.close()
    assert (first.pts, first.time_base) == (90_000, fractions.Fraction(1, 90_000))
    assert second.pts is None
    frames = decode_video(tmp_path / "shared" / "playlist.m3u8")
    assert len(frames) == 5
    assert is_blue(rgb_at(frames[3], 480, 180))
