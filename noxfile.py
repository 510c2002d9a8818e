"""The one gate: ``nox`` runs generated, lint, typecheck, tests, docs; ``nox -s bench`` benches.

Sessions run in the environment nox itself was installed in (``pip install -e
'.[dev]'``): the README's set-up makes that environment once, so the gate does
not build four more virtualenvs on every run. Tools run as ``python -m``, so
they come from that environment whatever PATH holds.
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

import nox

nox.options.sessions = ["generated", "lint", "typecheck", "tests", "docs"]
nox.options.default_venv_backend = "none"

PY = sys.executable
BENCHMARKS = sorted(str(p) for p in Path("benchmarks").glob("bench_*.py"))


@nox.session(python=False)
def generate(session: nox.Session) -> None:
    """Rewrite the facades' generated methods; ``nox -s generate -- --check`` only checks."""
    session.run(PY, "scripts/generate.py", *session.posargs)


@nox.session(python=False)
def generated(session: nox.Session) -> None:
    """Fail, naming the file, when generated code differs from the declarations."""
    session.run(PY, "scripts/generate.py", "--check")


@nox.session(python=False)
def lint(session: nox.Session) -> None:
    """Ruff's linter and formatter check, and the import contracts of pyproject.toml."""
    session.run(PY, "-m", "ruff", "check", ".")
    session.run(PY, "-m", "ruff", "format", "--check", ".")
    # import-linter has no ``python -m`` entry: its script, from PY's environment.
    session.run(str(Path(sysconfig.get_path("scripts"), "lint-imports")), "--no-logo")


@nox.session(python=False)
def typecheck(session: nox.Session) -> None:
    """mypy --strict and pyright strict on the package and the typing tests."""
    session.run(PY, "-m", "mypy")
    session.run(PY, "-m", "pyright", "--pythonpath", PY)


@nox.session(python=False)
def tests(session: nox.Session) -> None:
    """The test suite, with coverage."""
    # coverage starts before pytest, so that it sees the package imported by
    # the package's own pytest plugin (pytest-cov would start too late).
    session.run(PY, "-m", "coverage", "run", "-m", "pytest", *session.posargs)
    session.run(PY, "-m", "coverage", "report", "--skip-covered", "--sort=cover")


@nox.session(python=False)
def browser(session: nox.Session) -> None:
    """The web console in headless Chromium (needs Debian's chromium and chromium-driver)."""
    session.run(
        PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests_browser", *session.posargs
    )


@nox.session(python=False)
def docs(session: nox.Session) -> None:
    """The documentation site, built strictly: any warning fails."""
    session.run(
        PY,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        "site",
        env={"NO_MKDOCS_2_WARNING": "1"},
    )


@nox.session(python=False)
def bench(session: nox.Session) -> None:
    """Every benchmark script; each prints its ratios against the raw client."""
    session.run(PY, "-m", "pip", "install", "-q", "-e", ".[bench]")
    for script in session.posargs or BENCHMARKS:
        session.run(PY, script)


@nox.session(python=False)
def drift(session: nox.Session) -> None:
    """How the shipped service model differs from a botocore's: the installed one by default.

    ``nox -s drift -- --version 1.40.61`` compares with a release from the index.
    """
    session.run(PY, "scripts/drift.py", *session.posargs)


def _floors() -> list[str]:
    """Every runtime, ``async`` and ``media`` dependency of pyproject.toml, pinned to its floor."""
    import re
    import tomllib

    project = tomllib.loads(Path("pyproject.toml").read_text("utf-8"))["project"]
    pins = []
    extras = project["optional-dependencies"]
    for spec in [*project["dependencies"], *extras["async"], *extras["media"]]:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?>=([^,;\s]+)", spec)
        if match is None:
            raise ValueError(f"{spec!r}: every dependency needs a plain >= floor")
        pins.append(f"{match[1]}{match[2] or ''}=={match[3]}")
    return pins


@nox.session(python=False)
def lowest(session: nox.Session) -> None:
    """The test suite in a fresh environment with every dependency at its declared floor."""
    import shutil

    venv = Path(".nox/lowest")
    shutil.rmtree(venv, ignore_errors=True)
    session.run(PY, "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    floors = _floors()
    session.run(python, "-m", "pip", "install", "-q", "-e", ".[dev]", *floors)
    session.run(python, "-m", "pip", "check")
    session.run(python, "-m", "pip", "freeze", "--exclude-editable")
    session.run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *session.posargs)
