"""SDK calls against the raw boto3/aioboto3 client, in one run, on one loopback server.

Prints one table: per-call medians for the raw client and the SDK (typed
objects included), and their ratio, with the targets of the performance
issue. Run it with ``nox -s bench`` or ``python benchmarks/bench_calls.py``. Cold
start has its own script, ``bench_cold.py``; the comparison with capo-ivs-realtime
is ``bench_capo.py``.

The hot-path server answers with canned bytes recorded from the emulator,
so the ratios measure the client side; the raw and SDK rounds alternate so
that noise from the machine falls on both alike.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aioboto3
import boto3

sys.path.insert(0, str(Path(__file__).parent))

from _fixed_server import fixed_server

from ivs_realtime_sdk import (
    AsyncIVSRealTime,
    CreatedStage,
    IVSRealTime,
    ParticipantToken,
    ParticipantTokenConfig,
    StageSpec,
)
from ivs_realtime_sdk._converter import structure, unstructure
from ivs_realtime_sdk.local import LocalIVSRealTime

CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
REGION = "us-east-1"
ROUNDS = 7
SPEC = StageSpec(
    name="bench",
    participant_token_configurations=[
        ParticipantTokenConfig(user_id=f"user-{i}", attributes={"seat": str(i)}) for i in range(12)
    ],
)
STAGES_TO_ITERATE = 1000
PAGE = 100

rows: list[tuple[str, float, float, str, float | None]] = []


def _record_bodies() -> tuple[dict[bytes, bytes], str]:
    """Real emulator responses for the hot-path operations, and one stage ARN."""
    with LocalIVSRealTime() as server:
        client = boto3.client(
            "ivs-realtime", endpoint_url=server.endpoint_url, region_name=REGION, **CREDENTIALS
        )
        bodies: dict[bytes, bytes] = {}

        def keep(response_dict: dict[str, Any], operation_model: Any, **_: Any) -> None:
            bodies[f"/{operation_model.name}".encode()] = response_dict["body"]

        client.meta.events.register("before-parse.ivs-realtime.*", keep)
        arn = client.create_stage(**unstructure(SPEC))["stage"]["arn"]
        client.create_participant_token(stageArn=arn)
        client.get_stage(arn=arn)
        summary = client.list_stages(maxResults=1)["stages"][0]
        client.close()
    pages = [
        json.dumps(
            {
                "stages": [dict(summary, name=f"s{p}-{i}") for i in range(PAGE)],
                **({"nextToken": f"page{p + 1}"} if p + 1 < STAGES_TO_ITERATE // PAGE else {}),
            }
        ).encode()
        for p in range(STAGES_TO_ITERATE // PAGE)
    ]
    for p, page in enumerate(pages):
        bodies[f"/ListStages#page{p}".encode()] = page
    return bodies, arn


def _responder(bodies: dict[bytes, bytes]) -> Callable[[bytes, bytes], bytes]:
    def respond(path: bytes, body: bytes) -> bytes:
        if path == b"/ListStages":
            token = json.loads(body or b"{}").get("nextToken") or "page0"
            return bodies[f"/ListStages#{token}".encode()]
        return bodies.get(path, b"{}")

    return respond


def _per_call(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def _compare(
    name: str,
    raw: Callable[[], object],
    sdk: Callable[[], object],
    calls: int,
    target: float | None,
) -> None:
    for _ in range(max(3, calls // 10)):
        raw(), sdk()
    raw_samples: list[float] = []
    sdk_samples: list[float] = []
    for _ in range(ROUNDS):  # alternate rounds, so that noise falls on both alike
        raw_samples.append(_per_call(raw, calls))
        sdk_samples.append(_per_call(sdk, calls))
    rows.append((name, statistics.median(raw_samples), statistics.median(sdk_samples), "s", target))


async def _acompare(
    name: str,
    raw: Callable[[], Awaitable[object]],
    sdk: Callable[[], Awaitable[object]],
    calls: int,
    target: float | None,
) -> None:
    async def per_call(fn: Callable[[], Awaitable[object]]) -> float:
        start = time.perf_counter()
        for _ in range(calls):
            await fn()
        return (time.perf_counter() - start) / calls

    for _ in range(max(3, calls // 10)):
        await raw()
        await sdk()
    raw_samples, sdk_samples = [], []
    for _ in range(ROUNDS):
        raw_samples.append(await per_call(raw))
        sdk_samples.append(await per_call(sdk))
    rows.append((name, statistics.median(raw_samples), statistics.median(sdk_samples), "s", target))


def _sync_calls(url: str, arn: str) -> None:
    raw = boto3.client("ivs-realtime", endpoint_url=url, region_name=REGION, **CREDENTIALS)
    session = boto3.Session(region_name=REGION, **CREDENTIALS)
    params = unstructure(SPEC)
    with IVSRealTime(session=session, endpoint_url=url) as sdk:
        _compare(
            "sync create_stage, 12 tokens",
            lambda: raw.create_stage(**params),
            lambda: sdk.create_stage(SPEC),
            100,
            0.5,
        )
        _compare(
            "sync create_participant_token",
            lambda: raw.create_participant_token(stageArn=arn),
            lambda: sdk.create_participant_token(arn),
            200,
            0.9,
        )
        _compare(
            "sync get_stage", lambda: raw.get_stage(arn=arn), lambda: sdk.get_stage(arn), 200, 0.9
        )

        def raw_iterate() -> int:
            count, token = 0, None
            while True:
                page = raw.list_stages(maxResults=PAGE, **({"nextToken": token} if token else {}))
                count += len(page["stages"])
                token = page.get("nextToken")
                if not token:
                    return count

        assert raw_iterate() == sum(1 for _ in sdk.iter_stages(page_size=PAGE)) == STAGES_TO_ITERATE
        _compare(
            "sync iter_stages, 1,000 stages",
            raw_iterate,
            lambda: sum(1 for _ in sdk.iter_stages(page_size=PAGE)),
            5,
            0.9,
        )
    raw.close()


async def _async_calls(url: str, arn: str) -> None:
    session = aioboto3.Session(region_name=REGION, **CREDENTIALS)
    params = unstructure(SPEC)
    async with (
        session.client("ivs-realtime", endpoint_url=url) as raw,
        AsyncIVSRealTime(session=session, endpoint_url=url) as sdk,
    ):
        await _acompare(
            "async create_stage, 12 tokens",
            lambda: raw.create_stage(**params),
            lambda: sdk.create_stage(SPEC),
            100,
            0.5,
        )
        await _acompare(
            "async create_participant_token",
            lambda: raw.create_participant_token(stageArn=arn),
            lambda: sdk.create_participant_token(arn),
            200,
            0.9,
        )
        await _acompare(
            "async get_stage", lambda: raw.get_stage(arn=arn), lambda: sdk.get_stage(arn), 200, 0.9
        )

        async def raw_iterate() -> int:
            count, token = 0, None
            while True:
                page = await raw.list_stages(
                    maxResults=PAGE, **({"nextToken": token} if token else {})
                )
                count += len(page["stages"])
                token = page.get("nextToken")
                if not token:
                    return count

        async def sdk_iterate() -> int:
            return sum([1 async for _ in sdk.iter_stages(page_size=PAGE)])

        await _acompare("async iter_stages, 1,000 stages", raw_iterate, sdk_iterate, 5, 0.9)

        async def raw_burst() -> None:
            await asyncio.gather(*(raw.create_participant_token(stageArn=arn) for _ in range(100)))

        async def sdk_burst() -> None:
            await asyncio.gather(*(sdk.create_participant_token(arn) for _ in range(100)))

        await _acompare(
            "async 100 concurrent create_participant_token", raw_burst, sdk_burst, 3, 0.9
        )


def _conversion(bodies: dict[bytes, bytes]) -> None:
    raw = json.loads(bodies[b"/CreateStage"])
    assert len(raw["participantTokens"]) == 12
    calls = 2000
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(calls):
            structure(raw, CreatedStage)
        samples.append((time.perf_counter() - start) / calls)
    rows.append(
        (
            "convert a 12-token CreateStage response (35 us max)",
            35e-6,
            statistics.median(samples),
            "s",
            1.0,
        )
    )


def _memory(bodies: dict[bytes, bytes]) -> None:
    token = json.loads(bodies[b"/CreateStage"])["participantTokens"][0]
    raw_tokens = [dict(token, participantId=f"p{i:011d}") for i in range(10_000)]

    def peak(build: Callable[[], object]) -> int:
        gc.collect()
        tracemalloc.start()
        kept = build()
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        del kept
        return size

    from botocore.utils import parse_timestamp

    raw_peak = peak(
        lambda: [dict(t, expirationTime=parse_timestamp(t["expirationTime"])) for t in raw_tokens]
    )
    sdk_peak = peak(lambda: [structure(t, ParticipantToken) for t in raw_tokens])
    rows.append(
        ("peak memory of 10,000 tokens (boto dicts vs models)", raw_peak, sdk_peak, "B", None)
    )


def _import_check() -> str:
    code = (
        "import sys, ivs_realtime_sdk\nfrom ivs_realtime_sdk import IVSRealTime\n"
        "print(any(m.split('.')[0] in ('aiohttp', 'aiobotocore') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return "no" if out.stdout.strip() == "False" else "YES (target missed)"


def _print() -> int:
    missed = 0
    print(f"{'measure':58} {'raw':>12} {'sdk':>12} {'sdk/raw':>8} {'target':>7}")
    for name, raw, sdk, unit, target in rows:
        ratio = sdk / raw
        shown_target = f"<= {target:.2f}" if target is not None else ""
        if target is not None and ratio > target:
            missed += 1
            shown_target += " MISSED"
        fmt = (lambda v: f"{v * 1e6:10.1f}us") if unit == "s" else (lambda v: f"{v / 1e6:10.2f}MB")
        print(f"{name:58} {fmt(raw):>12} {fmt(sdk):>12} {ratio:8.2f} {shown_target:>7}")
    print(f"sync import loads aiohttp or aiobotocore: {_import_check()}")
    print(f"targets missed: {missed}")
    return 0


def main() -> int:
    bodies, arn = _record_bodies()
    with fixed_server(_responder(bodies)) as url:
        _sync_calls(url, arn)
        asyncio.run(_async_calls(url, arn))
    _conversion(bodies)
    _memory(bodies)
    return _print()


if __name__ == "__main__":
    sys.exit(main())
