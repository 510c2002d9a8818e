"""The generated facade methods are current, and a hand edit inside them fails the check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate.py"
GENERATED = ROOT / "ivs_realtime_sdk" / "_generated"


def _check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--out", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "_generated"
    shutil.copytree(GENERATED, folder)
    return folder


def test_the_checked_in_code_is_what_the_declarations_give(copy: Path) -> None:
    done = _check(copy)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_hand_edit_of_one_line_fails_the_check_naming_the_file(copy: Path) -> None:
    path = copy / "_sync.py"
    text = path.read_text()
    edited = text.replace("Get one stage.", "Get one stage, by hand.", 1)
    assert edited != text
    path.write_text(edited)
    done = _check(copy)
    assert done.returncode == 1
    assert "_sync.py: is out of date" in done.stdout
    assert "_async.py" not in done.stdout


def test_a_missing_file_fails_the_check(copy: Path) -> None:
    (copy / "_async.py").unlink()
    done = _check(copy)
    assert done.returncode == 1
    assert "_async.py: is out of date" in done.stdout


@pytest.mark.parametrize("name", ["__init__.py", "_sync.py", "_async.py"])
def test_every_generated_file_says_so(name: str) -> None:
    assert "do not edit" in (GENERATED / name).read_text().splitlines()[1]


def test_the_default_nox_run_includes_the_check() -> None:
    import ast

    tree = ast.parse((ROOT / "noxfile.py").read_text())
    sessions = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "nox.options.sessions"
    )
    assert "generated" in ast.literal_eval(sessions)
    assert '"scripts/generate.py", "--check"' in (ROOT / "noxfile.py").read_text()
