"""Identifiers and timestamps of the emulated service: one spelling of each, for every family."""

from __future__ import annotations

import random
import string
import time
from datetime import UTC, datetime

__all__ = ["default_clock", "iso", "iso_or_none", "new_id"]

_ALPHANUMERIC = string.ascii_letters + string.digits
# IDs need uniqueness, not secrecy; a seeded PRNG is much faster than secrets.
_random = random.Random()
_choices = _random.choices


def new_id(length: int = 12) -> str:
    """Return a random alphanumeric ID like the service's (12 characters by default)."""
    return "".join(_choices(_ALPHANUMERIC, k=length))


def iso(timestamp: float) -> str:
    """Format Unix seconds as ISO 8601 UTC with milliseconds, e.g. ``2026-11-26T12:00:00.123Z``.

    The API's timestamps and the ``event_time`` of Stage Update events share it:
    milliseconds keep the events of one fast test in order.
    """
    moment = datetime.fromtimestamp(timestamp, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def iso_or_none(timestamp: float | None) -> str | None:
    """:func:`iso`, or ``None`` for a time that has not come (the service omits the member)."""
    return iso(timestamp) if timestamp is not None else None


def default_clock() -> float:
    """Return the wall-clock time in Unix seconds."""
    return time.time()
