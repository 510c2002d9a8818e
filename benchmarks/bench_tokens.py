"""How fast are self-signed participant tokens? Prints a table of medians; always exits 0.

Measured in one process. Each round cycles through all rows in slices of a few
tens of milliseconds, so that a busy machine slows every row alike; each
ratio is the median of the per-round ratios. The rows:

- ``cryptography`` alone: ECDSA P-384 / SHA-384 signatures of a token-sized
  message, the ceiling of any ES384 minting;
- ``TokenSigner.mint``: a complete typed ParticipantToken (claims, JSON,
  base64url, signature, model) - the target is at least 95% of the ceiling;
- PyJWT and joserfc encoding the same claims, when installed, to judge
  whether a JOSE library would earn a place as a runtime dependency;
- ``IVSRealTime.create_participant_token`` against the local emulator over
  loopback HTTP (emulator in the same process, so client and server share
  the GIL; the real service allows 50 calls/s per account and region).

Signing rows count the CPU time of the benchmark's thread (what one core
does); the API row counts wall-clock time, since the emulator serves it from
another thread. Run with ``python benchmarks/bench_tokens.py [--rounds N]
[--seconds S]``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
from collections.abc import Callable
from importlib import metadata
from typing import Any

import boto3
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ivs_realtime_sdk import IVSRealTime, ParticipantTokenConfig
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.models import StageSpec
from ivs_realtime_sdk.models.public_key import PublicKeySpec
from ivs_realtime_sdk.tokens import TokenSigner, _jwt, generate_key_pair

TARGET = 0.95
SIGN = "cryptography ECDSA P-384 sign"
MINT = "TokenSigner.mint"
API = "IVSRealTime.create_participant_token"
SLICE = 0.02  # seconds per row before moving to the next one
CONFIG = ParticipantTokenConfig(user_id="bench-user", attributes={"displayName": "Bench"})


class Row:
    """One benchmark: a call, the clock it is timed by, and its running totals."""

    def __init__(
        self, call: Callable[[], object], clock: Callable[[], float] = time.thread_time
    ) -> None:
        self.call = call
        self.clock = clock
        self.count = 0
        self.spent = 0.0
        self.rates: list[float] = []

    def run(self, seconds: float) -> None:
        """Call repeatedly for about ``seconds`` of this row's clock."""
        call, clock = self.call, self.clock
        count = 0
        start = clock()
        deadline = start + seconds
        while True:
            call()
            count += 1
            now = clock()
            if now >= deadline:
                break
        self.count += count
        self.spent += now - start

    def close_round(self) -> float:
        """Record and return the round's rate, and start the next round from zero."""
        self.rates.append(self.count / self.spent)
        self.count, self.spent = 0, 0.0
        return self.rates[-1]


def optional_libraries(
    private_key: ec.EllipticCurvePrivateKey, header: dict[str, str], claims: dict[str, Any]
) -> dict[str, Callable[[], object]]:
    """Encoders of the JOSE libraries that are installed, for the same header and claims."""
    found: dict[str, Callable[[], object]] = {}
    try:
        import jwt as pyjwt
    except ImportError:
        pass
    else:
        kid = header["kid"]
        found[f"PyJWT {pyjwt.__version__} jwt.encode"] = lambda: pyjwt.encode(
            claims, private_key, algorithm="ES384", headers={"kid": kid}
        )
    try:  # not a dependency of the project: measured only where installed
        jose_jwt: Any = importlib.import_module("joserfc.jwt")
        jose_jwk: Any = importlib.import_module("joserfc.jwk")
    except ImportError:
        pass
    else:
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        jose_key = jose_jwk.ECKey.import_key(pem)
        jose_header = {"alg": "ES384", "typ": "JWT", **header}
        found[f"joserfc {metadata.version('joserfc')} jwt.encode"] = lambda: jose_jwt.encode(
            jose_header, claims, jose_key, algorithms=["ES384"]
        )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description="How fast are self-signed participant tokens?")
    parser.add_argument("--rounds", type=int, default=9, help="rounds (default 9)")
    parser.add_argument(
        "--seconds", type=float, default=0.4, help="seconds per row and round (default 0.4)"
    )
    options = parser.parse_args()

    pair = generate_key_pair()
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    with LocalIVSRealTime() as server:
        session = boto3.Session(region_name="us-east-1", **credentials)
        with IVSRealTime(session=session, endpoint_url=server.endpoint_url) as sdk:
            imported = sdk.import_public_key(PublicKeySpec(public_key_material=pair.public_key_pem))
            assert imported.arn is not None
            stage = sdk.create_stage(StageSpec(name="bench")).stage
            signer = TokenSigner(pair.private_key, imported.arn)

            sample = signer.mint(stage, CONFIG)
            assert server.join(stage.arn, sample.token) == sample.participant_id
            header_segment, payload_segment, _ = sample.token.split(".")
            message = f"{header_segment}.{payload_segment}".encode("ascii")
            ecdsa = ec.ECDSA(hashes.SHA384())
            key = pair.private_key
            _, claims = _jwt.decode_unverified(sample.token)

            rows: dict[str, Row] = {
                SIGN: Row(lambda: key.sign(message, ecdsa)),
                MINT: Row(lambda: signer.mint(stage, CONFIG)),
            }
            for name, encode in optional_libraries(key, {"kid": imported.arn}, claims).items():
                rows[name] = Row(encode)
            arn = stage.arn
            # The emulator answers on its own thread: this row runs by the wall clock.
            rows[API] = Row(lambda: sdk.create_participant_token(arn, CONFIG), time.perf_counter)

            for row in rows.values():  # warm up every path
                row.run(0.05)
                row.count, row.spent = 0, 0.0
            ratios: dict[str, list[float]] = {name: [] for name in rows}
            slices = max(1, round(options.seconds / SLICE))
            started = time.perf_counter()
            for _ in range(options.rounds):
                for _ in range(slices):
                    for row in rows.values():
                        row.run(SLICE)
                ceiling = rows[SIGN].close_round()
                for name, row in rows.items():
                    ratios[name].append(row.close_round() / ceiling if name != SIGN else 1.0)
            elapsed = time.perf_counter() - started

    width = max(len(name) for name in rows)
    print(
        f"ES384 participant tokens: {options.rounds} rounds, {elapsed:.0f} s; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print("(per CPU-second of one thread; the API row per wall-clock second)")
    print()
    print(f"{'benchmark':<{width}}  {'median/s':>9}  {'min/s':>9}  {'max/s':>9}  {'vs crypto':>9}")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 9}  {'-' * 9}  {'-' * 9}")
    for name, row in rows.items():
        print(
            f"{name:<{width}}  {statistics.median(row.rates):>9,.0f}  {min(row.rates):>9,.0f}  "
            f"{max(row.rates):>9,.0f}  {statistics.median(ratios[name]):>9.1%}"
        )
    ratio = statistics.median(ratios[MINT])
    verdict = "meets" if ratio >= TARGET else "BELOW"
    mint = statistics.median(rows[MINT].rates)
    api_ratios = [m / a for m, a in zip(rows[MINT].rates, rows[API].rates, strict=True)]
    print()
    print(
        f"mint / cryptography sign:          {ratio:6.1%}  ({verdict} the {TARGET:.0%} target; "
        f"rounds {min(ratios[MINT]):.0%} to {max(ratios[MINT]):.0%})"
    )
    print(
        f"mint / create_participant_token:   {statistics.median(api_ratios):6.1f}x "
        "(emulator, loopback)"
    )
    print(f"mint / service limit of 50 calls/s: {mint / 50:5.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
