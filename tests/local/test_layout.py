"""The emulator's layout rules, checked rather than described.

- A handler module changes no state of its own: it reads parameters, calls
  backend methods and renders what they return.
- Every public backend method runs under the backend's lock, and nothing
  outside the backend takes that lock.
- Handler modules are grouped as the SDK's request modules are.
- No import circle inside ``ivs_realtime_sdk.local``.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import ivs_realtime_sdk
from ivs_realtime_sdk.local.backend import Backend
from ivs_realtime_sdk.local.backend._core import is_locked

PACKAGE = Path(ivs_realtime_sdk.__file__).parent
LOCAL = PACKAGE / "local"
HANDLERS = sorted(
    p for p in (LOCAL / "_handlers").glob("_*.py") if p.stem not in ("__init__", "_registry")
)
_MUTATORS = frozenset(
    {
        "append",
        "add",
        "clear",
        "discard",
        "extend",
        "insert",
        "pop",
        "popitem",
        "remove",
        "setdefault",
        "sort",
        "update",
    }
)
# Read-only properties a handler may read; everything else it uses is a locked method.
_READABLE = frozenset({"region", "account_id", "base_url", "global_whip_url", "key_id"})


def _violations(path: Path) -> list[str]:
    """What in one handler module could change state: writes through an attribute or an
    item, ``del``, a mutating call on anything but a local of its own making, or any use of
    the backend but its public locked methods."""
    found: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        parameters = {a.arg for a in function.args.args + function.args.kwonlyargs}
        for node in ast.walk(function):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            elif isinstance(node, ast.Delete):
                found.append(f"{where}: del")
            for target in targets:
                own = (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id not in parameters
                )
                if isinstance(target, ast.Attribute | ast.Subscript) and not own:
                    found.append(f"{where}: writes {ast.unparse(target)}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _MUTATORS
            ):
                receiver = node.func.value
                if not isinstance(receiver, ast.Name) or receiver.id in parameters:
                    found.append(f"{where}: mutates {ast.unparse(receiver)}")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "backend"
            ):
                member = getattr(Backend, node.attr, None)
                if node.attr not in _READABLE and not is_locked(member):
                    found.append(f"{where}: backend.{node.attr} is not a locked backend method")
    return found


@pytest.mark.parametrize("path", HANDLERS, ids=lambda p: p.name)
def test_a_handler_module_changes_no_state(path: Path) -> None:
    assert _violations(path) == []


def test_the_check_catches_a_handler_that_changes_state(tmp_path: Path) -> None:
    planted = tmp_path / "_planted.py"
    planted.write_text(
        "def h(backend, params):\n"
        "    stage = backend.get_stage(params['arn'])\n"
        "    stage.name = 'x'\n"
        "    stage.tags.update(params['tags'])\n"
        "    backend.state.stages.clear()\n"
        "    params.pop('arn')\n"
        "    params['x'] = 1\n"
        "    return {}\n",
        encoding="utf-8",
    )
    found = "\n".join(_violations(planted))
    assert "writes stage.name" in found
    assert "mutates stage.tags" in found
    assert "backend.state is not a locked backend method" in found
    assert "mutates params" in found
    assert "writes params['x']" in found


def test_every_public_backend_method_runs_under_the_lock() -> None:
    public = {
        name: member
        for name, member in inspect.getmembers(Backend, inspect.isfunction)
        if not name.startswith("_")
    }
    assert "create_stage" in public
    assert "join" in public
    unlocked = sorted(name for name, member in public.items() if not is_locked(member))
    # atomically takes the lock itself: it is how a handler renders consistently.
    assert unlocked == ["atomically"]


def test_nothing_outside_the_backend_takes_its_lock() -> None:
    for path in sorted(LOCAL.glob("*.py")) + HANDLERS:
        text = path.read_text(encoding="utf-8")
        assert "._lock" not in text.replace("self._lock", ""), path
        assert ".lock" not in text, path
        if path.name != "_server.py":
            assert "atomically" not in text, path


def test_handler_modules_follow_the_request_modules() -> None:
    requests = sorted((PACKAGE / "models").glob("_*_requests.py"))
    families = {p.stem.removeprefix("_").removesuffix("_requests") for p in requests}
    # models/_requests.py holds the stage and token requests.
    families.add("stage")
    handlers = {p.stem.removeprefix("_") for p in HANDLERS}
    plural = {"composition", "public_key", "replica", "session", "stage"}
    expected = {f"{f}s" if f in plural else f for f in families}
    assert handlers == expected


def _imports(path: Path, module: str) -> set[str]:
    """The ``ivs_realtime_sdk.local`` modules a module imports (type-only imports too)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names]
            # ``from . import _x`` depends on the module ``_x``, not on the package.
            found.update([*names] if node.module is None else [target, *names])
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("ivs_realtime_sdk.local")}


def test_no_import_circle_inside_local() -> None:
    modules: dict[str, Path] = {}
    for path in LOCAL.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph = {
        name: {target for target in _imports(path, name) if target in modules and target != name}
        for name, path in modules.items()
    }
    # An edge into a package is an edge into its __init__.
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            circle = [*trail[trail.index(name) :], name]
            pytest.fail(f"import circle: {' -> '.join(circle)}")
        state[name] = 1
        for target in sorted(graph[name]):
            visit(target, [*trail, name])
        state[name] = 2

    for name in sorted(graph):
        visit(name, [])


def test_the_event_bus_and_the_state_do_not_import_each_other() -> None:
    backend = LOCAL / "backend"
    bus = _imports(backend / "_bus.py", "ivs_realtime_sdk.local.backend._bus")
    state = _imports(backend / "_state.py", "ivs_realtime_sdk.local.backend._state")
    assert not any(name.startswith("ivs_realtime_sdk.local.backend._state") for name in bus)
    assert not any(name.startswith("ivs_realtime_sdk.local.backend._bus") for name in state)
