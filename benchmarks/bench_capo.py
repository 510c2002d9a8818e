"""create_stage with 12 tokens: the SDK against capo-ivs-realtime, sync and async, one run.

capo-ivs-realtime is a typed IVS Real-Time SDK with its own HTTP stack
(zapros), not botocore. Both clients call the same loopback server, which
answers with a canned emulator response, and their rounds alternate so that
noise on the machine falls on both alike. The script prints the median time
per call over the rounds, the median CPU time of the calling thread (less
sensitive to other processes), and the ratio SDK / capo. **Target: at most
1.0, sync and async.**

capo's sync client, as shipped, sends a request's head and body in two
writes without ``TCP_NODELAY``; on Linux the body then waits for the
server's delayed ACK, about 40 ms a call. That row is printed for the
record, but the target is measured against capo with ``TCP_NODELAY`` set on
its sockets (a transport given to its public ``http_handler`` option), the
stricter comparison.

Run it with ``nox -s bench`` or ``python benchmarks/bench_capo.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aioboto3
import boto3

sys.path.insert(0, str(Path(__file__).parent))

from _fixed_server import fixed_server
from bench_calls import CREDENTIALS, REGION, SPEC, _record_bodies, _responder

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime

TARGET = 1.0
CALLS = 100

try:
    import zapros
    from capo_ivs_realtime import AsyncIVSRealTimeClient, IVSRealTimeClient
    from zapros._io._sync import SyncTransport  # the transport option's only class
except ImportError:  # pragma: no cover - capo is a dev dependency
    zapros = None  # type: ignore[assignment]


def _capo_tokens() -> list[dict[str, Any]]:
    return [
        {
            "user_id": config.user_id,
            "attributes": dict(config.attributes),
            "capabilities": sorted(str(c) for c in config.capabilities),
            "duration": int(config.duration.total_seconds() // 60),
        }
        for config in SPEC.participant_token_configurations
    ]


def _no_delay_handler() -> Any:
    class NoDelayTransport(SyncTransport):  # type: ignore[misc]
        def connect(self, *args: Any, **kwargs: Any) -> Any:
            stream = super().connect(*args, **kwargs)
            stream.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return stream

    return zapros.StdNetworkHandler(transport=NoDelayTransport())


Samples = dict[str, tuple[list[float], list[float]]]


def _round(samples: Samples, name: str, wall: float, cpu: float) -> None:
    samples.setdefault(name, ([], []))
    samples[name][0].append(wall / CALLS)
    samples[name][1].append(cpu / CALLS)


def _sync(url: str, rounds: int) -> Samples:
    tokens = _capo_tokens()
    creds = {"access_key": "bench", "secret_key": "bench"}
    capo = IVSRealTimeClient(region=REGION, endpoint=url, credentials=creds)
    capo_nd = IVSRealTimeClient(
        http_handler=_no_delay_handler(), region=REGION, endpoint=url, credentials=creds
    )
    session = boto3.Session(region_name=REGION, **CREDENTIALS)
    sdk = IVSRealTime(session=session, endpoint_url=url)
    clients: dict[str, Callable[[], object]] = {
        "sdk": lambda: sdk.create_stage(SPEC),
        "capo": lambda: capo_nd.create_stage(name="bench", participant_token_configurations=tokens),
    }
    created = capo_nd.create_stage(participant_token_configurations=tokens)
    assert len(created["participant_tokens"]) == 12
    samples: Samples = {}
    for call in clients.values():
        for _ in range(20):
            call()
    for _ in range(rounds):
        for name, call in clients.items():
            wall, cpu = time.perf_counter(), time.thread_time()
            for _ in range(CALLS):
                call()
            _round(samples, name, time.perf_counter() - wall, time.thread_time() - cpu)
    # As shipped: a few calls only, each waits for the delayed ACK.
    start = time.perf_counter()
    for _ in range(5):
        capo.create_stage(name="bench", participant_token_configurations=tokens)
    samples["capo as shipped"] = ([(time.perf_counter() - start) / 5], [float("nan")])
    sdk.close()
    return samples


async def _async(url: str, rounds: int) -> Samples:
    tokens = _capo_tokens()
    creds = {"access_key": "bench", "secret_key": "bench"}
    session = aioboto3.Session(region_name=REGION, **CREDENTIALS)
    samples: Samples = {}
    async with (
        AsyncIVSRealTimeClient(region=REGION, endpoint=url, credentials=creds) as capo,
        AsyncIVSRealTime(session=session, endpoint_url=url) as sdk,
    ):
        clients: dict[str, Callable[[], Awaitable[object]]] = {
            "sdk": lambda: sdk.create_stage(SPEC),
            "capo": lambda: capo.create_stage(
                name="bench", participant_token_configurations=tokens
            ),
        }
        for call in clients.values():
            for _ in range(20):
                await call()
        for _ in range(rounds):
            for name, call in clients.items():
                wall, cpu = time.perf_counter(), time.thread_time()
                for _ in range(CALLS):
                    await call()
                _round(samples, name, time.perf_counter() - wall, time.thread_time() - cpu)
    return samples


def report(facade: str, samples: Samples) -> int:
    """Print one facade's rows; return 1 if its target was missed."""
    sdk_wall, sdk_cpu = samples["sdk"]
    capo_wall, capo_cpu = samples["capo"]
    ratio = statistics.median(sdk_wall) / statistics.median(capo_wall)
    per_round = sorted(s / c for s, c in zip(sdk_wall, capo_wall, strict=True))
    cpu_ratio = statistics.median(sdk_cpu) / statistics.median(capo_cpu)
    missed = ratio > TARGET
    print(
        f"{facade} create_stage, 12 tokens: sdk {statistics.median(sdk_wall) * 1e6:7.0f} us, "
        f"capo {statistics.median(capo_wall) * 1e6:7.0f} us, sdk/capo {ratio:.2f} "
        f"(rounds {per_round[0]:.2f} to {per_round[-1]:.2f}; CPU {cpu_ratio:.2f}) "
        f"target <= {TARGET:.2f}{' MISSED' if missed else ''}"
    )
    if "capo as shipped" in samples:
        shipped = samples["capo as shipped"][0][0]
        print(f"{facade} capo as shipped (no TCP_NODELAY): {shipped * 1e6:7.0f} us per call")
    return int(missed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    if zapros is None:
        print("capo-ivs-realtime is not installed (pip install -e '.[bench]'); skipped")
        return 0
    bodies, _ = _record_bodies()
    with fixed_server(_responder(bodies)) as url:
        sync = _sync(url, args.rounds)
        asynchronous = asyncio.run(_async(url, args.rounds))
    missed = report("sync", sync) + report("async", asynchronous)
    print(f"capo targets missed: {missed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
