"""The event parser's memory over a long run of unknown values: flat after warm-up.

A Lambda function that parses IVS's EventBridge events for days must not
grow. Unknown enum values (a detail type, an event name or a capability that
a newer service, or a forged event, sends) once went into a cache that kept
every one: 50,000 envelopes with unique 1 KB detail types added 123 MB.

The script parses 200,000 envelopes (``--envelopes``), half with a unique 1 KB
detail type and half Participant Token Exchanged events whose tokens hold a
unique 1 KB capability, in chunks, and prints the process's resident set size
(RSS, from /proc/self/statm) after each chunk, and the growth after the
first chunk (the warm-up) relative to the RSS then. **Target: growth after
warm-up under 5 % of the RSS then** (the old cache grew by more than the
whole process per 50,000 envelopes).

Run it with ``nox -s bench`` or ``python benchmarks/bench_parser_memory.py``.
"""

from __future__ import annotations

import argparse
import gc
import os
from typing import Any

from ivs_realtime_sdk.events import (
    IVSEvent,
    ParticipantTokenExchanged,
    UnknownEvent,
    parse_event,
)

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """The process's resident set size in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE / 1e6


def envelope(index: int) -> dict[str, Any]:
    """An envelope with new unknown values: a 1 KB detail type, or 1 KB capabilities.

    Even envelopes have a unique detail type; odd ones are Participant Token
    Exchanged events whose tokens hold a unique capability each.
    """
    unique = f"{index:012d}"
    base: dict[str, Any] = {
        "version": "0",
        "id": f"id-{unique}",
        "source": "aws.ivs",
        "account": "123456789012",
        "time": "2026-01-01T00:00:00Z",
        "region": "us-east-1",
        "resources": ["arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"],
    }
    if index % 2 == 0:
        return {**base, "detail-type": f"IVS Future {unique} " + "x" * 1000, "detail": {}}
    token = {"capabilities": [f"CAP-{unique}-" + "y" * 1000], "user_id": "u"}
    return {
        **base,
        "detail-type": "IVS Stage Update",
        "detail": {
            "session_id": "st-ZyXwvu1T2s",
            "event_name": "Participant Token Exchanged",
            "participant_id": "xYz1c2d3e4f",
            "user_id": "u",
            "previous_token": token,
            "new_token": token,
        },
    }


def check(event: IVSEvent | UnknownEvent, index: int) -> None:
    """Fail unless the envelope parsed as meant: its unknown value is in the event."""
    if index % 2 == 0:
        assert isinstance(event, UnknownEvent)
        assert not event.detail_type.is_known
    else:
        assert isinstance(event, ParticipantTokenExchanged)
        assert event.new_token is not None
        assert not any(c.is_known for c in event.new_token.capabilities)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envelopes", type=int, default=200_000)
    parser.add_argument("--chunks", type=int, default=10)
    args = parser.parse_args()
    size = args.envelopes // args.chunks
    print(f"parse_event over {args.envelopes:,} envelopes with unique unknown values")
    print(f"{'envelopes':>10}  {'RSS MB':>8}")
    warm = 0.0
    for chunk in range(args.chunks):
        for index in range(chunk * size, (chunk + 1) * size):
            event = parse_event(envelope(index))
            if index < 2:
                check(event, index)
        del event
        gc.collect()
        now = rss_mb()
        print(f"{(chunk + 1) * size:>10,}  {now:>8.1f}")
        if chunk == 0:
            warm = now
    growth = rss_mb() - warm
    print(f"growth after warm-up: {growth:+.1f} MB, {growth / warm:+.1%} of {warm:.1f} MB")
    print("target: under 5 % of the RSS after warm-up")


if __name__ == "__main__":
    main()
