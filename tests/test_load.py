"""Load: 1,000 concurrent calls on one async client, 5% throttled, none lost or duplicated."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aioboto3
from botocore.config import Config

from ivs_realtime_sdk import AsyncIVSRealTime, ParticipantToken, StageSpec
from ivs_realtime_sdk.errors import IVSRealTimeError
from ivs_realtime_sdk.local import LocalIVSRealTime

CALLS = 1000
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


async def test_a_thousand_concurrent_token_calls_with_five_percent_throttled() -> None:
    async with LocalIVSRealTime() as server:
        session = aioboto3.Session(region_name="us-east-1", **CREDENTIALS)
        made: list[object] = []
        make_client = session._session.create_client

        def counting_client(*args: Any, **kwargs: Any) -> Any:
            made.append(args)
            return make_client(*args, **kwargs)

        # The facade creates its client on a copy of this botocore session.
        session._session.create_client = counting_client
        config = Config(max_pool_connections=50)
        async with AsyncIVSRealTime(
            session=session, endpoint_url=server.endpoint_url, config=config
        ) as sdk:
            stage = (await sdk.create_stage(StageSpec())).stage
            server.faults.throttle("CreateParticipantToken", times=None, probability=0.05, seed=7)
            start = time.perf_counter()
            results = await asyncio.gather(
                *(sdk.create_participant_token(stage.arn) for _ in range(CALLS)),
                return_exceptions=True,
            )
            elapsed = time.perf_counter() - start
            # One client, and so one connection pool, served every call.
            assert len(made) == 1
        stats = server.stats["CreateParticipantToken"]
        issued = server.issued_participant_ids

    tokens = [r for r in results if isinstance(r, ParticipantToken)]
    failures = [r for r in results if not isinstance(r, ParticipantToken)]
    # Every call came back, as a token or as a typed error: none lost.
    assert len(tokens) + len(failures) == CALLS
    assert all(isinstance(f, IVSRealTimeError) for f in failures), failures[:3]
    # None duplicated: each token is one the emulator issued, once.
    ids = [t.participant_id for t in tokens]
    assert len(set(ids)) == len(ids)
    assert set(ids) == set(issued)
    assert stats.succeeded == len(tokens)
    # Throttling happened, and the retries absorbed it.
    assert stats.faults > 0
    assert stats.received == stats.succeeded + stats.failed
    assert len(tokens) >= CALLS * 0.99
    print(
        f"\n{CALLS} calls in {elapsed:.2f}s: {len(tokens)} tokens, {len(failures)} typed failures, "
        f"{stats.received} requests, {stats.faults} throttled"
    )
