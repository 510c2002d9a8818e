"""The documentation cannot rot: every Python example in it runs, against the emulator.

The rule for examples
---------------------

- Every fenced block whose language is ``python`` (or ``py``, ``python3``) in
  ``docs/**/*.md`` and in ``README.md`` is a test of its own, with the id
  ``FILE:LINE`` (the line of its opening fence). Other fences (``sh``, ``text``,
  ``pycon``, ``toml`` ...) are never run. A ``python`` block whose opening fence
  directly follows a line ``<!-- no-test -->`` is not run either; use that
  sparingly, for fragments that cannot stand alone.
- The blocks of one page run top to bottom in ONE namespace, like the cells of
  one script run as ``__main__``: a block may use what an earlier block of the
  same page defined, never what another page defined. Running one block alone
  (``-k``) first runs the blocks above it on its page. Every page starts with a
  fresh namespace and a reset emulator.
- A block that defines pytest tests (a top-level ``def test_...`` or
  ``async def test_...``) is a test file instead: it is written to a file of its
  own and run by pytest in a subprocess, where every test in it must pass. It
  shares nothing with the rest of its page.
- The environment points boto3 at one emulator on loopback, as a reader would
  with ``ivs-realtime-sdk local``: ``AWS_ENDPOINT_URL_IVS_REALTIME`` (botocore's
  service-specific endpoint variable for the service id "IVS RealTime"), test
  credentials and ``AWS_DEFAULT_REGION=us-east-1``, with every other ``AWS_*``
  variable and the ``~/.aws`` files out of the way. So examples are written as
  real user code (``IVSRealTime(region_name="us-east-1")``) and still reach
  nothing but loopback; a fence makes resolving or connecting to any other host
  fail the example.
- An example that runs longer than ``EXAMPLE_TIMEOUT`` seconds fails.
"""

from __future__ import annotations

import importlib
import inspect
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import ivs_realtime_sdk
from ivs_realtime_sdk import errors, events, local, media, tokens
from ivs_realtime_sdk.local import LocalIVSRealTime

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"
EXAMPLE_TIMEOUT = 30.0
PYTHON_LANGUAGES = {"python", "py", "python3"}
NO_TEST = "<!-- no-test -->"
ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_IVS_REALTIME"
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
_DEFINES_TESTS = re.compile(r"^(async[ \t]+)?def[ \t]+test_", re.MULTILINE)


# -- finding the examples ---------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One fenced Python block of one Markdown file."""

    path: Path
    line: int
    """1-based line of the opening fence."""
    code: str
    index: int
    """Position among the runnable blocks of its page."""

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"

    @property
    def is_test_file(self) -> bool:
        return _DEFINES_TESTS.search(self.code) is not None


def extract_blocks(path: Path) -> list[Block]:
    """Return the runnable Python blocks of a Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if opening is None:
            i += 1
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        words = opening["info"].strip().lstrip("{").lstrip(".").split()
        language = words[0].lower() if words else ""
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                break
            text = lines[i]
            body.append(text[indent:] if text[:indent].strip() == "" else text.lstrip())
            i += 1
        i += 1  # past the closing fence
        previous = lines[start - 1].strip() if start > 0 else ""
        if language in PYTHON_LANGUAGES and previous != NO_TEST:
            code = textwrap.dedent("\n".join(body)) + "\n"
            blocks.append(Block(path=path, line=start + 1, code=code, index=len(blocks)))
    return blocks


def markdown_files() -> list[Path]:
    return [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]


PAGES: dict[Path, list[Block]] = {path: extract_blocks(path) for path in markdown_files()}
BLOCKS = [block for blocks in PAGES.values() for block in blocks]


# -- the environment of an example --------------------------------------------------------


class NetworkFenced(BaseException):
    """An example tried to reach beyond loopback (a BaseException, so no retry swallows it)."""


def _is_loopback(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in ("localhost", "localhost.", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@contextmanager
def network_fence() -> Iterator[list[str]]:
    """Make name lookups and connections to anything but loopback raise NetworkFenced.

    Yields:
        The list where every refused destination is recorded.
    """
    refused: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def refuse(where: object) -> NetworkFenced:
        refused.append(repr(where))
        return NetworkFenced(f"docs examples may only reach loopback, not {where!r}")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            raise refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def check(address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise refuse(address)

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return real_connect_ex(self, address)

    socket.getaddrinfo = getaddrinfo  # type: ignore[assignment]
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    try:
        yield refused
    finally:
        socket.getaddrinfo = real_getaddrinfo
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]


def example_environment(endpoint_url: str, scratch: Path) -> dict[str, str]:
    """The AWS_* variables every example runs with (all others are removed)."""
    return {
        ENDPOINT_VARIABLE: endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(scratch / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(scratch / "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }


@pytest.fixture(scope="module")
def docs_emulator() -> Iterator[LocalIVSRealTime]:
    """The emulator every example talks to through the environment."""
    with LocalIVSRealTime() as server:
        yield server


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docs-examples")


@pytest.fixture
def example_env(
    docs_emulator: LocalIVSRealTime, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Point boto3 at the emulator, with nothing of the machine's own AWS set-up."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    env = example_environment(docs_emulator.endpoint_url, scratch)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


class ExampleTimedOut(BaseException):
    """An example ran longer than EXAMPLE_TIMEOUT."""


def _alarm(signum: int, frame: object) -> None:
    raise ExampleTimedOut(f"the example ran longer than {EXAMPLE_TIMEOUT} s")


# -- running a page's blocks in one namespace ---------------------------------------------


@dataclass
class PageRun:
    """The namespace of one page, and how far its blocks have run."""

    namespace: dict[str, Any] = field(default_factory=lambda: {"__name__": "__main__"})
    next_index: int = 0
    failed: str | None = None


_RUNS: dict[Path, PageRun] = {}


def _execute(block: Block, namespace: dict[str, Any]) -> None:
    # Padding keeps the Markdown's line numbers in tracebacks.
    compiled = compile("\n" * (block.line) + block.code, str(block.path), "exec")
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, EXAMPLE_TIMEOUT)
    try:
        with network_fence() as refused:
            exec(compiled, namespace)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not refused, f"{block.id} tried to leave loopback: {refused}"


def _run_test_file(block: Block, env: dict[str, str], scratch: Path) -> None:
    directory = scratch / re.sub(r"[^A-Za-z0-9]+", "_", block.id)
    directory.mkdir()
    (directory / "pytest.ini").write_text(
        "[pytest]\nfilterwarnings = error\nasyncio_default_fixture_loop_scope = function\n",
        encoding="utf-8",
    )
    (directory / "conftest.py").write_text(
        "from tests.test_docs import network_fence\n\n"
        "network_fence().__enter__()  # for the whole run of this throwaway process\n",
        encoding="utf-8",
    )
    (directory / "test_example.py").write_text(block.code, encoding="utf-8")
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    child_env.update(env)
    child_env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_example.py"],
        cwd=directory,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=EXAMPLE_TIMEOUT * 2,
        check=False,
    )
    assert result.returncode == 0, f"{block.id}: pytest failed\n{result.stdout}\n{result.stderr}"
    assert " passed" in result.stdout, result.stdout
    assert "failed" not in result.stdout, result.stdout


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_example(
    block: Block,
    example_env: dict[str, str],
    docs_emulator: LocalIVSRealTime,
    scratch: Path,
) -> None:
    if block.is_test_file:
        _run_test_file(block, example_env, scratch)
        return
    run = _RUNS.get(block.path)
    if run is None or run.next_index > block.index:
        run = _RUNS[block.path] = PageRun()
        docs_emulator.reset()
    page = [b for b in PAGES[block.path] if not b.is_test_file]
    for earlier in page:
        if earlier.index < run.next_index or earlier.index >= block.index:
            continue
        try:
            _execute(earlier, run.namespace)
        except BaseException as exc:
            run.next_index = earlier.index + 1
            pytest.fail(f"the block above it, {earlier.id}, failed: {exc!r}")
        run.next_index = earlier.index + 1
    if run.failed is not None:
        pytest.skip(f"an earlier block of this page failed: {run.failed}")
    run.next_index = block.index + 1
    try:
        _execute(block, run.namespace)
    except BaseException:
        run.failed = block.id
        raise


# -- the harness itself --------------------------------------------------------------------


def test_the_docs_have_examples_on_every_guide() -> None:
    assert len(BLOCKS) >= 20
    for path in sorted((DOCS / "guides").glob("*.md")):
        assert PAGES[path], f"{path.name} has no runnable example"
    assert PAGES[ROOT / "README.md"], "the README's example is not found"


def test_the_extractor_reads_fences(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# T\n\n```python\na = 1\n```\n\n```sh\nls\n```\n\n"
        "<!-- no-test -->\n```python\nfragment(\n```\n\n"
        '=== "Tab"\n\n    ```python title="x.py"\n    if a:\n        b = 2\n    ```\n',
        encoding="utf-8",
    )
    blocks = extract_blocks(page)
    assert [(b.line, b.code) for b in blocks] == [(3, "a = 1\n"), (18, "if a:\n    b = 2\n")]


def test_the_environment_reaches_only_the_emulator(example_env: dict[str, str]) -> None:
    import boto3

    client = boto3.client("ivs-realtime")
    assert client.meta.endpoint_url == example_env[ENDPOINT_VARIABLE]
    assert client.meta.region_name == "us-east-1"
    client.close()
    with network_fence() as refused, pytest.raises(NetworkFenced):
        socket.getaddrinfo("ivsrealtime.us-east-1.amazonaws.com", 443)
    assert refused == ["'ivsrealtime.us-east-1.amazonaws.com'"]
    assert socket.getaddrinfo("127.0.0.1", 80)  # restored, and loopback always allowed


# -- the API reference ---------------------------------------------------------------------


def _reference_targets() -> dict[str, object]:
    """Every ``::: dotted.path`` of the reference pages, resolved to its object."""
    targets: dict[str, object] = {}
    for page in sorted(REFERENCE.rglob("*.md")):
        for match in re.finditer(r"^:::[ \t]+([\w.]+)", page.read_text("utf-8"), re.MULTILINE):
            path = match[1]
            parts = path.split(".")
            for cut in range(len(parts), 0, -1):
                try:
                    obj: object = importlib.import_module(".".join(parts[:cut]))
                except ImportError:
                    continue
                for attribute in parts[cut:]:
                    obj = getattr(obj, attribute)
                targets[path] = obj
                break
            else:  # pragma: no cover - a typo in a reference page
                raise AssertionError(f"reference target {path} does not import")
    return targets


PUBLIC_MODULES: list[types.ModuleType] = [ivs_realtime_sdk, errors, events, local, media, tokens]


def _is_documented(module: types.ModuleType, name: str, targets: dict[str, object]) -> bool:
    """Whether the reference renders ``module.name``, under that path or another.

    A class or function counts wherever it is rendered (``ivs_realtime_sdk.Stage``
    is ``ivs_realtime_sdk.models.stage.Stage``); a module counts when members of
    it are rendered; a plain value (``__version__``) counts when the reference
    names it in backquotes.
    """
    path = f"{module.__name__}.{name}"
    if path in targets:
        return True
    obj = getattr(module, name)
    if inspect.ismodule(obj):
        return any(target.startswith(obj.__name__ + ".") for target in targets)
    if inspect.isclass(obj) or inspect.isfunction(obj):
        return any(rendered is obj for rendered in targets.values())
    text = "".join(page.read_text("utf-8") for page in REFERENCE.rglob("*.md"))
    return f"`{path}`" in text


@pytest.mark.parametrize("module", PUBLIC_MODULES, ids=lambda m: m.__name__)
def test_every_public_name_is_in_the_reference(module: types.ModuleType) -> None:
    targets = _reference_targets()
    missing = [name for name in module.__all__ if not _is_documented(module, name, targets)]
    assert not missing, f"not in docs/reference/*.md (as ::: blocks): {missing}"
