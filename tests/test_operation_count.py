"""The operation count the docs state is the service model's, never a number typed twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ivs_realtime_sdk import _operations as ops
from ivs_realtime_sdk._shipped import operation_count, service_model

ROOT = Path(__file__).resolve().parent.parent
# The changelog records what each release had; its counts are history, not claims.
PAGES = [
    ROOT / "README.md",
    *sorted(p for p in (ROOT / "docs").rglob("*.md") if p.name != "changelog.md"),
]
STATED = re.compile(r"\b(\d+) operations\b")


def _statements() -> list[tuple[str, int]]:
    return [
        (f"{page.relative_to(ROOT)}: {match.group(0)!r}", int(match.group(1)))
        for page in PAGES
        for match in STATED.finditer(page.read_text())
    ]


def test_the_docs_state_the_count_somewhere() -> None:
    assert len(_statements()) >= 3


@pytest.mark.parametrize(("where", "stated"), _statements(), ids=[w for w, _ in _statements()])
def test_each_stated_count_is_the_service_models(where: str, stated: int) -> None:
    assert stated == operation_count(), where


def test_there_is_one_declaration_per_operation_of_the_model() -> None:
    declared = {op.name for op in vars(ops).values() if isinstance(op, ops.Operation)}
    assert declared == set(service_model().operation_names)
    assert len(declared) == operation_count()
