"""Print how the service model the SDK ships differs from a botocore's.

    python scripts/drift.py                    # the installed botocore
    python scripts/drift.py --version 1.40.61  # a release, downloaded from the index
    python scripts/drift.py --wheel path/to/botocore-X-py3-none-any.whl

It lists operations, shapes, structure members, enum values and limits
(min, max, pattern, required members) that the shipped model has and the
other has not ("+"), and the reverse ("-"). ``nox -s drift`` runs it; it is
not part of the default gate, since a newer botocore is not a failure.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The wheel handling is refresh_model's, beside this script.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from refresh_model import download, read  # noqa: E402

SHIPPED = ROOT / "ivs_realtime_sdk" / "_data" / "ivs-realtime" / "2020-07-14" / "service-2.json"
_LIMITS = ("min", "max", "pattern")

Model = Mapping[str, Any]


def _installed() -> tuple[str, Model]:
    import botocore
    from botocore.loaders import Loader

    # The installed botocore's own data only: no extra search paths.
    loader = Loader(extra_search_paths=[], include_default_search_paths=False)
    loader.search_paths.append(str(Path(botocore.__file__).parent / "data"))
    model = loader.load_service_model("ivs-realtime", "service-2", "2020-07-14")
    return botocore.__version__, model


def _from_wheel(wheel: Path) -> tuple[str, Model]:
    with zipfile.ZipFile(wheel) as archive:
        return wheel.name.split("-")[1], read(archive, "service-2")


def _downloaded(version: str) -> tuple[str, Model]:
    with tempfile.TemporaryDirectory() as tmp:
        return _from_wheel(download(version, Path(tmp)))


def _sides(label: str, ours: set[str], theirs: set[str]) -> Iterator[str]:
    for name in sorted(ours - theirs):
        yield f"+ {label} {name}"
    for name in sorted(theirs - ours):
        yield f"- {label} {name}"


def differences(ours: Model, theirs: Model) -> list[str]:
    """Return one line per difference; "+" is in the shipped model only, "-" in the other only."""
    lines = list(_sides("operation", set(ours["operations"]), set(theirs["operations"])))
    our_shapes: Mapping[str, Any] = ours["shapes"]
    their_shapes: Mapping[str, Any] = theirs["shapes"]
    lines += _sides("shape", set(our_shapes), set(their_shapes))
    for name in sorted(set(our_shapes) & set(their_shapes)):
        mine, other = our_shapes[name], their_shapes[name]
        if mine.get("type") != other.get("type"):
            lines.append(f"~ shape {name}: {other.get('type')} -> {mine.get('type')}")
            continue
        lines += _sides("member", _names(name, mine, "members"), _names(name, other, "members"))
        lines += _sides("enum", _values(name, mine), _values(name, other))
        lines += _sides("required", _names(name, mine, "required"), _names(name, other, "required"))
        for limit in _LIMITS:
            if mine.get(limit) != other.get(limit):
                lines.append(f"~ limit {name}.{limit}: {other.get(limit)!r} -> {mine.get(limit)!r}")
        for member in sorted(set(mine.get("members", {})) & set(other.get("members", {}))):
            ref, their_ref = mine["members"][member], other["members"][member]
            for key in ("shape", "location", "locationName"):
                if ref.get(key) != their_ref.get(key):
                    was, now = their_ref.get(key), ref.get(key)
                    lines.append(f"~ member {name}.{member} {key}: {was!r} -> {now!r}")
    return lines


def _names(shape: str, body: Mapping[str, Any], key: str) -> set[str]:
    if key != "members":
        return {f"{shape}.{name}" for name in body.get(key, ())}
    members: Mapping[str, Any] = body.get(key, {})
    return {
        f"{shape}.{name}" + (" (HTTP header)" if ref.get("location") == "header" else "")
        for name, ref in members.items()
    }


def _values(shape: str, body: Mapping[str, Any]) -> set[str]:
    return {f"{shape}.{value}" for value in body.get("enum", ())}


def main() -> int:
    """Print the differences; exit 0 whatever they are (drift is reported, not failed)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--version", help="a botocore release to download and compare")
    group.add_argument("--wheel", type=Path, help="a botocore wheel to compare")
    args = parser.parse_args()
    if args.wheel is not None:
        version, theirs = _from_wheel(args.wheel)
    elif args.version is not None:
        version, theirs = _downloaded(args.version)
    else:
        version, theirs = _installed()
    shipped = json.loads((ROOT / "ivs_realtime_sdk" / "_data" / "SOURCE.json").read_text())
    ours = json.loads(SHIPPED.read_text("utf-8"))
    lines = differences(ours, theirs)
    print(f"shipped model (botocore {shipped['botocore']}) vs botocore {version}:")
    print("\n".join(lines) if lines else "no differences")
    print(f"{len(lines)} difference(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
