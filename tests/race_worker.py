"""Run by tests/test_threads.py in a fresh interpreter: 16 threads' first calls at once.

``python -m tests.race_worker ENDPOINT MODE``: MODE ``shared`` releases 16
threads at a barrier onto one new client, each making a different first call;
``own`` has each thread build its own facade at the barrier, then call. Prints
one line per failure (the exception's type and message) and exits 1 if any
thread failed.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any

import boto3

from ivs_realtime_sdk import IVSRealTime
from ivs_realtime_sdk.models import StageSpec

THREADS = 16
CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
    "region_name": "us-east-1",
}


def first_calls(sdk: IVSRealTime) -> list[Callable[[], Any]]:
    """Mixed first calls: each parses a different family of models."""
    return [
        lambda: sdk.create_stage(StageSpec(name="race")),
        lambda: sdk.list_stages(),
        lambda: list(sdk.iter_compositions()),
        lambda: sdk.list_storage_configurations(),
    ]


def main(endpoint: str, mode: str) -> int:
    # Switch threads every microsecond instead of every 5 ms: a window of a few
    # bytecodes between two threads' first builds is then hit almost every run.
    sys.setswitchinterval(1e-6)
    barrier = threading.Barrier(THREADS)
    failures: list[str] = []
    shared = (
        IVSRealTime(session=boto3.Session(**CREDENTIALS), endpoint_url=endpoint)
        if mode == "shared"
        else None
    )

    def run(index: int) -> None:
        try:
            barrier.wait()
            sdk = shared or IVSRealTime(session=boto3.Session(**CREDENTIALS), endpoint_url=endpoint)
            if shared is None:
                barrier.wait()  # every facade built at once; now their first calls at once
            calls = first_calls(sdk)
            calls[index % len(calls)]()
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
            traceback.print_exc()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for failure in failures:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
