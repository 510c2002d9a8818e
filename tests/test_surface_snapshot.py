"""The public surface of both facades is the one recorded in ``facade_surface.json``.

The snapshot was taken before the facades' methods became generated (issue 11).
Regenerate it only for a deliberate change of the public surface:
``python -m tests.test_surface_snapshot``.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime

SNAPSHOT = Path(__file__).with_name("facade_surface.json")
FACADES: dict[str, type[Any]] = {"IVSRealTime": IVSRealTime, "AsyncIVSRealTime": AsyncIVSRealTime}

#: Differences from the snapshot that issue 11 asks for, as (facade, method, field): why.
ALLOWED: dict[tuple[str, str, str], str] = {}


def _kind(member: object) -> str:
    if isinstance(member, classmethod):
        return "classmethod"
    if isinstance(member, staticmethod):
        return "staticmethod"
    if inspect.iscoroutinefunction(member):
        return "async"
    if inspect.isasyncgenfunction(member):
        return "async generator"
    return "function"


def _stable(text: str) -> str:
    # A frozenset's repr follows string hashing, which changes from run to run.
    return re.sub(
        r"frozenset\(\{([^}]*)\}\)",
        lambda m: "frozenset({" + ", ".join(sorted(m.group(1).split(", "))) + "})",
        text,
    )


def surface(cls: type[Any]) -> dict[str, dict[str, str]]:
    """Every public method of ``cls`` (and its constructor): how it is called and documented."""
    methods: dict[str, dict[str, str]] = {}
    for name in sorted(dir(cls)):
        if name.startswith("_") and name != "__init__":
            continue
        static = inspect.getattr_static(cls, name)
        member = getattr(cls, name)
        if not callable(member):
            continue
        signature = inspect.signature(member)
        methods[name] = {
            "kind": _kind(static),
            "signature": _stable(str(signature)),
            "returns": str(signature.return_annotation),
            "doc": inspect.getdoc(member) or "",
        }
    return methods


def _live() -> dict[str, dict[str, dict[str, str]]]:
    return {facade: surface(cls) for facade, cls in FACADES.items()}


SNAPSHOTTED: dict[str, dict[str, dict[str, str]]] = json.loads(SNAPSHOT.read_text())
LIVE = _live()


def test_the_same_methods_as_the_snapshot() -> None:
    for facade in FACADES:
        assert sorted(LIVE[facade]) == sorted(SNAPSHOTTED[facade]), facade


@pytest.mark.parametrize(
    ("facade", "method"),
    [(facade, method) for facade, methods in SNAPSHOTTED.items() for method in methods],
)
def test_each_method_matches_the_snapshot(facade: str, method: str) -> None:
    recorded, live = SNAPSHOTTED[facade][method], LIVE[facade].get(method, {})
    for field, value in recorded.items():
        if (facade, method, field) in ALLOWED:
            assert live.get(field) != value, f"allowed difference no longer differs: {field}"
            continue
        assert live.get(field) == value, f"{facade}.{method} {field}"


def test_every_allowed_difference_names_a_recorded_method() -> None:
    for facade, method, field in ALLOWED:
        assert field in SNAPSHOTTED[facade][method]


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(_live(), indent=2, sort_keys=True) + "\n")
