"""The ``source`` of IVS's EventBridge events, written once for the event models and the emulator.

The detail types and event names are the public enums of
:mod:`ivs_realtime_sdk.events`; the emulator sends what they spell.
"""

from __future__ import annotations

__all__ = ["EVENT_SOURCE"]

EVENT_SOURCE = "aws.ivs"
"""The ``source`` of every event IVS sends: the value an EventBridge rule matches on."""
