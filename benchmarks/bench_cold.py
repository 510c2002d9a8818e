"""Cold start: import, client creation and the first call, SDK against the raw client.

A token-vending Lambda function pays the cold start on every new instance.
Each sample is a fresh Python process that times three phases apart:

- **import**: ``import boto3`` (raw) or ``from ivs_realtime_sdk import ...``
  (SDK), what a handler module does at the top;
- **client**: create the client (``boto3.Session().client`` or
  ``IVSRealTime(...)``; ``async with`` for the async rows). The SDK is timed
  twice against the same raw client: on the session it creates itself, and
  on one the caller passes (``IVSRealTime(session=boto3.Session())``, the
  usual way to use a profile);
- **first call**: one ``CreateStage`` against a loopback server answering
  with a canned emulator response.

Both sides read credentials from the environment, as a Lambda function does,
and the shared config files are turned off. The raw and SDK processes
alternate, round by round, so that noise on the machine falls on both; the
script prints the median of each phase and of the total, and the ratio
SDK / raw. **Targets: total at most 1.0 sync, with either session; at most
1.1 async.**

Run it with ``nox -s bench`` or ``python benchmarks/bench_cold.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).parent))

from _fixed_server import fixed_server

from ivs_realtime_sdk.local import LocalIVSRealTime

#: The most the SDK's total may be, as a ratio of the raw client's, by facade.
TARGETS = {"sync": 1.0, "sync session=": 1.0, "async": 1.1}
PHASES = ("import", "client", "first call")

_TIMER = """
import time, json, sys
_t = [time.perf_counter()]
def _lap():
    _t.append(time.perf_counter())
"""
_REPORT = "\nprint(json.dumps([b - a for a, b in zip(_t, _t[1:])]))\n"

SCRIPTS = {
    "sync raw": """
import boto3
_lap()
c = boto3.Session().client("ivs-realtime", region_name="us-east-1", endpoint_url=URL)
_lap()
c.create_stage(name="cold")
_lap()
""",
    "sync sdk": """
from ivs_realtime_sdk import IVSRealTime, StageSpec
_lap()
s = IVSRealTime(region_name="us-east-1", endpoint_url=URL)
_lap()
s.create_stage(StageSpec(name="cold"))
_lap()
""",
    "sync session= sdk": """
import boto3
from ivs_realtime_sdk import IVSRealTime, StageSpec
_lap()
s = IVSRealTime(session=boto3.Session(), region_name="us-east-1", endpoint_url=URL)
_lap()
s.create_stage(StageSpec(name="cold"))
_lap()
""",
    "async raw": """
import asyncio
import aioboto3
_lap()
async def main():
    async with aioboto3.Session().client(
        "ivs-realtime", region_name="us-east-1", endpoint_url=URL
    ) as c:
        _lap()
        await c.create_stage(name="cold")
        _lap()
asyncio.run(main())
""",
    "async sdk": """
import asyncio
from ivs_realtime_sdk import AsyncIVSRealTime, StageSpec
_lap()
async def main():
    async with AsyncIVSRealTime(region_name="us-east-1", endpoint_url=URL) as s:
        _lap()
        await s.create_stage(StageSpec(name="cold"))
        _lap()
asyncio.run(main())
""",
}


def _canned_create_stage() -> bytes:
    with LocalIVSRealTime() as server:
        client = boto3.client(
            "ivs-realtime",
            endpoint_url=server.endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="cold",
            aws_secret_access_key="cold",
        )
        body: dict[str, bytes] = {}

        def keep(response_dict: dict[str, bytes], **_: object) -> None:
            body["CreateStage"] = response_dict["body"]

        client.meta.events.register("before-parse.ivs-realtime.CreateStage", keep)
        client.create_stage(name="cold")
        client.close()
    return body["CreateStage"]


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="cold",
        AWS_SECRET_ACCESS_KEY="cold",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def _run(name: str, url: str, env: dict[str, str]) -> list[float]:
    code = f"URL = {url!r}\n{_TIMER}{SCRIPTS[name]}{_REPORT}"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    phases: list[float] = json.loads(out.stdout.strip().splitlines()[-1])
    return phases


def measure(rounds: int) -> dict[str, list[list[float]]]:
    """Per script, the phase times of each round; the scripts alternate within a round."""
    body = _canned_create_stage()
    env = _environment()
    samples: dict[str, list[list[float]]] = {name: [] for name in SCRIPTS}
    with fixed_server(lambda path, request: body) as url:
        for name in SCRIPTS:  # warm the OS file cache once
            _run(name, url, env)
        for _ in range(rounds):
            for name in SCRIPTS:
                samples[name].append(_run(name, url, env))
    return samples


def report(samples: dict[str, list[list[float]]]) -> int:
    """Print the table; return how many targets were missed."""
    missed = 0
    print(f"cold start, median of {len(samples['sync raw'])} fresh processes each (ms)")
    print(f"{'row':28} {'raw':>9} {'sdk':>9} {'sdk/raw':>8}  target")
    for facade, limit in TARGETS.items():
        raw, sdk = samples[f"{facade.split()[0]} raw"], samples[f"{facade} sdk"]
        for index, phase in enumerate((*PHASES, "total")):
            if phase == "total":
                raw_ms = statistics.median(sum(s) for s in raw) * 1e3
                sdk_ms = statistics.median(sum(s) for s in sdk) * 1e3
            else:
                raw_ms = statistics.median(s[index] for s in raw) * 1e3
                sdk_ms = statistics.median(s[index] for s in sdk) * 1e3
            ratio = sdk_ms / raw_ms
            target = ""
            if phase == "total":
                target = f"<= {limit:.2f}" + (" MISSED" if ratio > limit else "")
                missed += ratio > limit
            print(f"{facade + ' ' + phase:28} {raw_ms:9.1f} {sdk_ms:9.1f} {ratio:8.2f}  {target}")
        totals = [sum(s) * 1e3 for s in sdk]
        print(f"{'':28} sdk totals ranged {min(totals):.0f} to {max(totals):.0f} ms")
        # The processes of a round ran back to back: their ratio sees the same noise.
        paired = sorted(sum(s) / sum(r) for s, r in zip(sdk, raw, strict=True))
        print(
            f"{'':28} sdk/raw round by round: median {statistics.median(paired):.2f}, "
            f"{paired[0]:.2f} to {paired[-1]:.2f}"
        )
    print(f"cold-start targets missed: {missed}")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    report(measure(args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
