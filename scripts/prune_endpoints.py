"""Write the SDK's cut-down ivs-realtime endpoint data from the installed botocore.

botocore parses its whole ``endpoints.json`` (1.2 MB, every service of every
partition) when a session creates its first client: tens of milliseconds of
every cold start. The SDK only needs the partitions and the ``ivsrealtime``
entries, so it ships those (``ivs_realtime_sdk/_botocore_tuning/_endpoints_ivsrealtime.json``),
with the SHA-256 of the file they were cut from;
``ivs_realtime_sdk/_botocore_tuning/_startup.py`` uses them only when the installed
botocore's file has that digest.

Run it after upgrading botocore: ``python scripts/prune_endpoints.py``.
``tests/test_startup.py`` fails until then.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import botocore
from botocore.loaders import Loader

ENDPOINT_PREFIX = "ivsrealtime"
TARGET = (
    Path(__file__).resolve().parent.parent
    / "ivs_realtime_sdk"
    / "_botocore_tuning"
    / "_endpoints_ivsrealtime.json"
)


def main() -> None:
    source = Path(Loader.BUILTIN_DATA_PATH) / "endpoints.json"
    raw = source.read_bytes()
    data = json.loads(raw)
    for partition in data["partitions"]:
        services = partition["services"]
        partition["services"] = (
            {ENDPOINT_PREFIX: services[ENDPOINT_PREFIX]} if ENDPOINT_PREFIX in services else {}
        )
    pruned = {
        "source": {"botocore": botocore.__version__, "sha256": hashlib.sha256(raw).hexdigest()},
        "endpoints": data,
    }
    TARGET.write_text(json.dumps(pruned, indent=1) + os.linesep, "utf-8")
    print(f"wrote {TARGET} from botocore {botocore.__version__}")


if __name__ == "__main__":
    main()
