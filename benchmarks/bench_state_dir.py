"""Requests per second of the emulator with ``--state-dir``, in memory, and of moto's server.

Each server runs as its own process on loopback, as a developer runs it. The
operation sequence is the same shape on each: create, get and delete one
resource (``CreateStage``, ``GetStage``, ``DeleteStage`` here; moto's ``ivs``
``CreateChannel``, ``GetChannel``, ``DeleteChannel``, since moto has no
ivs-realtime), from plain boto3 clients, from one thread and from eight.
Prints requests per second and the ratios; the targets: with ``--state-dir``
at least half the in-memory rate, and ahead of moto's server.

Run it with ``nox -s bench`` or ``python benchmarks/bench_state_dir.py``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Generator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from ivs_realtime_sdk._shipped import session_with_shipped_model

SEQUENCES_PER_THREAD = {1: 150, 8: 40}
ROUNDS = 3
_CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
_CONFIG = Config(retries={"total_max_attempts": 1}, max_pool_connections=16)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server at {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server at {url} did not start")


@contextmanager
def _server(command: list[str], health: str, port: int) -> Generator[str]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + health, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _emulator(state_dir: str | None) -> Any:
    port = _free_port()
    command = [sys.executable, "-m", "ivs_realtime_sdk", "local", "--port", str(port)]
    if state_dir is not None:
        command += ["--state-dir", state_dir]
    return _server(command, "/_emulator/health", port)


def _moto() -> Any:
    port = _free_port()
    command = [sys.executable, "-m", "moto.server", "-p", str(port)]
    return _server(command, "/moto-api/", port)


def _stage_sequence(url: str) -> Callable[[], None]:
    client = session_with_shipped_model(boto3.Session()).create_client(
        "ivs-realtime", endpoint_url=url, region_name="us-east-1", config=_CONFIG, **_CREDENTIALS
    )

    def sequence() -> None:
        arn = client.create_stage(name="bench")["stage"]["arn"]
        client.get_stage(arn=arn)
        client.delete_stage(arn=arn)

    return sequence


def _channel_sequence(url: str) -> Callable[[], None]:
    client = boto3.client(
        "ivs", endpoint_url=url, region_name="us-east-1", config=_CONFIG, **_CREDENTIALS
    )

    def sequence() -> None:
        arn = client.create_channel(name="bench")["channel"]["arn"]
        client.get_channel(arn=arn)
        client.delete_channel(arn=arn)

    return sequence


def _rate(make: Callable[[str], Callable[[], None]], url: str, threads: int) -> float:
    """Requests per second: the best of ROUNDS, each ``threads`` threads of sequences."""
    count = SEQUENCES_PER_THREAD[threads]
    sequences = [make(url) for _ in range(threads)]
    for sequence in sequences:
        sequence()  # warm: connection, model, first call
    best = 0.0
    for _ in range(ROUNDS):
        barrier = threading.Barrier(threads + 1)

        def run(sequence: Callable[[], None], barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            for _ in range(count):
                sequence()

        workers = [threading.Thread(target=run, args=(s,)) for s in sequences]
        for worker in workers:
            worker.start()
        barrier.wait()
        start = time.perf_counter()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - start
        best = max(best, 3 * count * threads / elapsed)
    return best


def main() -> None:
    """Measure and print."""
    state_dir = tempfile.mkdtemp(prefix="bench-state-")
    rates: dict[tuple[str, int], float] = {}
    try:
        for threads in (1, 8):
            with _emulator(None) as url:
                rates[("memory", threads)] = _rate(_stage_sequence, url, threads)
            with _emulator(state_dir) as url:
                rates[("state-dir", threads)] = _rate(_stage_sequence, url, threads)
            with _moto() as url:
                rates[("moto", threads)] = _rate(_channel_sequence, url, threads)
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)
    print("requests per second (create, get, delete; best of 3)")
    print(f"{'server':<34}{'1 thread':>12}{'8 threads':>12}")
    names = {
        "memory": "emulator, in memory",
        "state-dir": "emulator, --state-dir (SQLite)",
        "moto": "moto server (ivs channels)",
    }
    for key, name in names.items():
        print(f"{name:<34}{rates[(key, 1)]:>12.0f}{rates[(key, 8)]:>12.0f}")
    print()
    print(f"{'ratio':<34}{'1 thread':>12}{'8 threads':>12}  target")
    for label, top, bottom, target in (
        ("state-dir / in memory", "state-dir", "memory", ">= 0.5"),
        ("state-dir / moto", "state-dir", "moto", "> 1"),
        ("in memory / moto", "memory", "moto", ""),
    ):
        one = rates[(top, 1)] / rates[(bottom, 1)]
        eight = rates[(top, 8)] / rates[(bottom, 8)]
        print(f"{label:<34}{one:>12.2f}{eight:>12.2f}  {target}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
