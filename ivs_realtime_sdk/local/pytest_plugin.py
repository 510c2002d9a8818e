"""pytest plugin (entry point ``ivs_realtime_sdk``): the ``ivs_realtime_local`` fixture.

Importing this module stays cheap (no aiohttp, no botocore): pytest loads it
in every project that has the SDK installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ivs_realtime_sdk.local import LocalIVSRealTime

__all__ = ["ivs_realtime_local"]


@pytest.fixture
def ivs_realtime_local() -> Iterator[LocalIVSRealTime]:
    """A started local IVS Real-Time emulator with fresh state, stopped after the test."""
    from ivs_realtime_sdk.local import LocalIVSRealTime

    with LocalIVSRealTime() as server:
        yield server
