"""A loopback emulator of the Amazon IVS Real-Time API, for tests and local development.

It speaks the service's own wire protocol (rest-json as botocore's model for
ivs-realtime 2020-07-14 describes it), so a plain boto3 client works against
it::

    with LocalIVSRealTime() as server:
        client = boto3.client("ivs-realtime", endpoint_url=server.endpoint_url, ...)
        stage = client.create_stage(name="demo")["stage"]

Tests can make participants join, publish and leave (``server.join`` ..., or
over HTTP at ``/_emulator/participants``), read the EventBridge events IVS
would send (``server.events``, ``/_emulator/events``, a callback or a
webhook), inject faults (``server.faults``) and read counters (``server.stats``).
"""

from ._control import LocalIVSRealTime, running_servers, serve
from ._faults import FaultRule, Faults, OperationStats
from .backend import (
    ExchangeRefusedError,
    JoinRefusedError,
    ParticipantError,
    PublishRefusedError,
    Quotas,
    StateDirectoryError,
    SubscribeRefusedError,
)

__all__ = [
    "ExchangeRefusedError",
    "FaultRule",
    "Faults",
    "JoinRefusedError",
    "LocalIVSRealTime",
    "OperationStats",
    "ParticipantError",
    "PublishRefusedError",
    "Quotas",
    "StateDirectoryError",
    "SubscribeRefusedError",
    "running_servers",
    "serve",
]
