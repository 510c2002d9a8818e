"""Emulator test fixtures: a server (from the SDK's own pytest plugin) and raw boto3 clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from ivs_realtime_sdk._shipped import session_with_shipped_model
from ivs_realtime_sdk.local import LocalIVSRealTime

ClientFactory = Callable[..., Any]


@pytest.fixture
def make_client() -> Iterator[ClientFactory]:
    """Build raw boto3 ivs-realtime clients for a server; all are closed after the test."""
    clients: list[Any] = []

    def build(server: LocalIVSRealTime, **config: Any) -> Any:
        config.setdefault("retries", {"mode": "standard", "total_max_attempts": 1})
        # Raw clients speak the model the SDK ships, as the emulator does.
        session = session_with_shipped_model(boto3.Session())
        client = session.create_client(
            "ivs-realtime",
            endpoint_url=server.endpoint_url,
            region_name=server.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(**config),
        )
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def server(ivs_realtime_local: LocalIVSRealTime) -> LocalIVSRealTime:
    """The emulator, as the SDK's pytest plugin provides it."""
    return ivs_realtime_local


@pytest.fixture
def client(server: LocalIVSRealTime, make_client: ClientFactory) -> Any:
    """A raw boto3 client of the emulator (no retries, client-side validation on)."""
    return make_client(server)


@pytest.fixture
def raw_client(server: LocalIVSRealTime, make_client: ClientFactory) -> Any:
    """A raw boto3 client that sends invalid input as is (no client-side validation)."""
    return make_client(server, parameter_validation=False)
