"""The ``source`` of IVS's EventBridge events, written once for the event models and the emulator.

The detail types and event names are the public enums of
:mod:`ivs_realtime_sdk.events`; the emulator sends what they spell.
"""

from __future__ import annotations

__all__ = ["SOURCE"]

#: The ``source`` of every event IVS sends.
SOURCE = "aws.ivs"
