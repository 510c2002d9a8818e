"""The architecture page stays true: every path it names exists, and it names every subsystem.

docs/architecture.md is the contributors' map of the package; a map that names
a moved module, or misses a new subpackage, misleads. Its layers are checked
separately, by the import contracts that ``nox -s lint`` runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "ivs_realtime_sdk"

# A code span that looks like a path: a file or folder of the repository.
_PATH = re.compile(
    r"`((?:ivs_realtime_sdk|scripts|tests|benchmarks|docs)/[\w./-]*|[\w/]+\.(?:py|json))`"
)


_TOP = {"ivs_realtime_sdk", "scripts", "tests", "benchmarks", "docs"}


def _spans() -> list[str]:
    return _PATH.findall(PAGE.read_text(encoding="utf-8"))


def _resolve(span: str) -> list[Path]:
    """The places a span can mean: from the repository root, or relative to a subsystem."""
    span = span.rstrip("/")
    if span.split("/")[0] in _TOP:
        return [ROOT / span]
    folders = [PACKAGE, ROOT / "scripts", *(p for p in PACKAGE.rglob("*") if p.is_dir())]
    return [folder / span for folder in folders]


def test_the_page_names_paths() -> None:
    assert len(_spans()) > 40


@pytest.mark.parametrize("span", sorted(set(_spans())))
def test_every_path_it_names_exists(span: str) -> None:
    assert any(place.exists() for place in _resolve(span)), f"{span} is named but does not exist"


def test_it_names_every_subpackage_and_root_module() -> None:
    text = PAGE.read_text(encoding="utf-8")
    names = sorted(
        p.name
        for p in PACKAGE.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists())
        or (p.suffix == ".py" and p.name not in {"__init__.py", "__main__.py"})
    )
    missing = [name for name in names if f"`{name}" not in text and f"{name}`" not in text]
    assert not missing, f"docs/architecture.md does not name {missing}"


def test_it_names_every_backend_and_handler_module() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for folder in ("local/backend", "local/_handlers", "local"):
        for module in sorted((PACKAGE / folder).glob("_*.py")):
            if module.name in {"__init__.py", "_registry.py"}:
                continue
            assert f"`{module.name}`" in text, (
                f"docs/architecture.md does not name {folder}/{module.name}"
            )
