"""Test guards: every test is bounded in time (no pytest-timeout here)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from types import FrameType

import pytest

_LIMIT_SECONDS = 60


def _expired(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError(f"test ran longer than {_LIMIT_SECONDS} s")


@pytest.fixture(autouse=True)
def time_limit() -> Iterator[None]:
    """Fail a test that hangs instead of hanging the session."""
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.alarm(_LIMIT_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
