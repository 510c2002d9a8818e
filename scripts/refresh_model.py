"""Refresh the service model the SDK ships from a botocore wheel.

    python scripts/refresh_model.py                 # the newest botocore on the index
    python scripts/refresh_model.py --version 1.44.8
    python scripts/refresh_model.py --wheel path/to/botocore-X-py3-none-any.whl

It copies ``service-2`` and ``paginators-1`` of ivs-realtime 2020-07-14 out of
the wheel into ``ivs_realtime_sdk/_data/ivs-realtime/2020-07-14/`` (as plain
JSON, the layout botocore's Loader searches), and records in
``ivs_realtime_sdk/_data/SOURCE.json`` which botocore release and wheel they
came from. Then run the conformance test: it names every difference the SDK's
models must follow.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

SERVICE = "ivs-realtime"
API_VERSION = "2020-07-14"
FILES = ("service-2", "paginators-1")
ROOT = Path(__file__).resolve().parent.parent / "ivs_realtime_sdk" / "_data"


def download(version: str | None, into: Path) -> Path:
    """Download the botocore wheel of ``version`` (the newest if None) into ``into``."""
    spec = f"botocore=={version}" if version else "botocore"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(into), spec],
        check=True,
    )
    (wheel,) = into.glob("botocore-*.whl")
    return wheel


def read(archive: zipfile.ZipFile, name: str) -> dict[str, object]:
    """Return the ivs-realtime ``name`` file (``service-2``, ...) of a botocore wheel."""
    base = f"botocore/data/{SERVICE}/{API_VERSION}/{name}.json"
    names = set(archive.namelist())
    if base in names:
        raw = archive.read(base)
    elif base + ".gz" in names:
        raw = gzip.decompress(archive.read(base + ".gz"))
    else:
        raise SystemExit(f"{base}[.gz] is not in the wheel")
    data: dict[str, object] = json.loads(raw)
    return data


def refresh(wheel: Path) -> dict[str, object]:
    """Write the model files out of ``wheel`` and return the recorded source."""
    match = re.match(r"botocore-([^-]+)-", wheel.name)
    if match is None:
        raise SystemExit(f"{wheel.name} is not a botocore wheel")
    target = ROOT / SERVICE / API_VERSION
    target.mkdir(parents=True, exist_ok=True)
    digests: dict[str, str] = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in FILES:
            text = json.dumps(read(archive, name), indent=1, ensure_ascii=False) + "\n"
            (target / f"{name}.json").write_text(text, encoding="utf-8")
            digests[f"{name}.json"] = hashlib.sha256(text.encode()).hexdigest()
    source: dict[str, object] = {
        "botocore": match.group(1),
        "wheel": wheel.name,
        "wheel_sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "service": SERVICE,
        "api_version": API_VERSION,
        "files_sha256": digests,
    }
    (ROOT / "SOURCE.json").write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")
    return source


def main() -> None:
    """Refresh the shipped model from the wheel the arguments name."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--version", help="the botocore release to download")
    group.add_argument("--wheel", type=Path, help="a botocore wheel already downloaded")
    args = parser.parse_args()
    if args.wheel is not None:
        source = refresh(args.wheel)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            source = refresh(download(args.version, Path(tmp)))
    print(f"shipped model refreshed from botocore {source['botocore']}")


if __name__ == "__main__":
    main()
