"""Every code line of the docs site fits its content column at 1280 px: no sideways scroll.

mkdocs-material 9.x at a 1280 px wide window (its CSS, ``main.*.min.css``):
``html`` is 125 % (1 rem = 20 px, up to 100 em); ``.md-grid`` is at most
61 rem = 1220 px; both sidebars show (at 60 em and 76.25 em and up), 12.1 rem
= 242 px each; ``.md-content__inner`` has 1.2 rem = 24 px margins beside them.
That leaves 1220 - 2 * 242 - 2 * 24 = 688 px. Code is ``.85em`` of the
``.8rem`` body text, 13.6 px, with ``1.1765em`` = 16 px padding on each side
of ``pre > code``: 656 px for text. Roboto Mono advances 0.6 em, 8.16 px a
character, so 80 characters fit (656 / 8.16 = 80.4).

The rule covers every fenced block of ``docs/`` (any language: shell lines
are read too) and the fenced examples in the package's docstrings, which the
API reference shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_CODE_LINE = 80
_FENCE = re.compile(r"^(\s*)(```|~~~)")


def _long_code_lines(path: Path) -> list[str]:
    found: list[str] = []
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    inside, indent = False, 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fence = _FENCE.match(line)
        if fence:
            inside, indent = not inside, len(fence.group(1))
        elif inside and len(line) - indent > MAX_CODE_LINE:
            found.append(f"{shown}:{number}: {len(line) - indent} chars")
    return found


def _pages() -> list[Path]:
    return [
        *sorted((ROOT / "docs").rglob("*.md")),
        *sorted((ROOT / "ivs_realtime_sdk").rglob("*.py")),
    ]


@pytest.mark.parametrize("path", _pages(), ids=lambda path: str(path.relative_to(ROOT)))
def test_code_lines_fit_the_docs_column(path: Path) -> None:
    assert not _long_code_lines(path), f"longer than {MAX_CODE_LINE} characters"


def test_the_check_finds_a_long_line(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```sh\n" + "x" * (MAX_CODE_LINE + 1) + "\n" + "y" * 80 + "\n```\n")
    assert len(_long_code_lines(page)) == 1
