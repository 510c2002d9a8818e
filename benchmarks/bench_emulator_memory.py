"""Does the emulator's memory stay flat over many issued tokens? Prints RSS per chunk; exits 0.

Issues ``--tokens`` participant tokens (300,000 by default) in ``--chunks``
chunks. Each chunk creates a stage, issues its share of tokens with the
backend's own ``create_participant_token`` (the rule an HTTP call runs, minus
the transport, so the run takes minutes, not an hour; ``--http N`` also sends
the first N tokens of every chunk over loopback HTTP), then deletes the
stage, as a long test run's stages come and go. The resident set size is
printed after each chunk, with its ratio to the size after the warm-up
chunk: flat (about 1.0) when the emulator keeps only what live tokens need.

Run with ``python benchmarks/bench_emulator_memory.py [--tokens N] [--chunks N]``.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import resource

from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.local.backend._stages import TokenRequest

_ANY_SIGNATURE = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ivs/aws4_request, x"


def rss_mib() -> float:
    """The process's resident set size now, in MiB (Linux), else its peak."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _post(connection: http.client.HTTPConnection, path: str, body: dict[str, object]) -> dict:  # type: ignore[type-arg]
    headers = {"Authorization": _ANY_SIGNATURE, "Content-Type": "application/json"}
    connection.request("POST", path, body=json.dumps(body).encode(), headers=headers)
    response = connection.getresponse()
    payload = json.loads(response.read())
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}: {payload}")
    return payload  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=300_000)
    parser.add_argument("--chunks", type=int, default=10)
    parser.add_argument("--http", type=int, default=1000, help="tokens per chunk over HTTP")
    args = parser.parse_args()
    per_chunk = args.tokens // args.chunks
    with LocalIVSRealTime() as server:
        connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
        backend = server.backend
        request = TokenRequest(capabilities=("PUBLISH", "SUBSCRIBE"))
        baseline = 0.0
        print(f"{'chunk':>5} {'tokens':>9} {'live ids':>9} {'RSS MiB':>9} {'ratio':>6}")
        for chunk in range(1, args.chunks + 1):
            arn = _post(connection, "/CreateStage", {"name": f"chunk-{chunk}"})["stage"]["arn"]
            over_http = min(args.http, per_chunk)
            for _ in range(over_http):
                _post(connection, "/CreateParticipantToken", {"stageArn": arn})
            for _ in range(per_chunk - over_http):
                backend.create_participant_token(arn, request)
            live = len(backend.issued_participant_ids())
            _post(connection, "/DeleteStage", {"arn": arn})
            gc.collect()
            rss = rss_mib()
            if chunk == 1:
                baseline = rss  # after the warm-up chunk
            print(
                f"{chunk:>5} {chunk * per_chunk:>9,} {live:>9,} {rss:>9.1f} {rss / baseline:>6.2f}",
                flush=True,
            )
        print(f"live ids at the end: {len(backend.issued_participant_ids())}")
        connection.close()


if __name__ == "__main__":
    main()
