"""Input validation compiled from the botocore input shapes.

Each operation's input shape is turned once into a tree of small closures, so
that checking a request walks plain Python callables instead of the model.
Messages follow the service's style ("Value at 'x' failed to satisfy
constraint: ...") and always name the field, but never echo the value: some
inputs (public keys, attributes) are not ours to print.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ._model import PATTERN_FIXES
from .backend import ValidationException

__all__ = ["InputValidator", "compile_validator"]

Check = Callable[[Any, str, list[str]], None]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _fail(errors: list[str], path: str, constraint: str) -> None:
    errors.append(f"Value at '{path}' failed to satisfy constraint: {constraint}")


def _string_check(shape: Any) -> Check:
    meta = shape.metadata
    min_len: int | None = meta.get("min")
    max_len: int | None = meta.get("max")
    raw_pattern: str | None = meta.get("pattern")
    enum: frozenset[str] = frozenset(getattr(shape, "enum", None) or ())
    pattern_text = PATTERN_FIXES.get(shape.name, raw_pattern)
    # Patterns are full-match: the service anchors them even where the model does not.
    matcher = re.compile(pattern_text).fullmatch if pattern_text else None

    def check(value: Any, path: str, errors: list[str]) -> None:
        if not isinstance(value, str):
            _fail(errors, path, "Member must be a string")
            return
        if min_len is not None and len(value) < min_len:
            _fail(errors, path, f"Member must have length greater than or equal to {min_len}")
        if max_len is not None and len(value) > max_len:
            _fail(errors, path, f"Member must have length less than or equal to {max_len}")
        if enum and value not in enum:
            _fail(errors, path, f"Member must satisfy enum value set: [{', '.join(sorted(enum))}]")
        if matcher is not None and matcher(value) is None:
            _fail(errors, path, f"Member must satisfy regular expression pattern: {pattern_text}")

    return check


def _number_check(shape: Any, *, integer: bool) -> Check:
    meta = shape.metadata
    low: float | None = meta.get("min")
    high: float | None = meta.get("max")
    kind = "an integer" if integer else "a number"

    def check(value: Any, path: str, errors: list[str]) -> None:
        ok = isinstance(value, int) if integer else isinstance(value, int | float)
        if not ok or isinstance(value, bool):
            _fail(errors, path, f"Member must be {kind}")
            return
        if low is not None and value < low:
            _fail(errors, path, f"Member must have value greater than or equal to {low}")
        if high is not None and value > high:
            _fail(errors, path, f"Member must have value less than or equal to {high}")

    return check


def _boolean_check(value: Any, path: str, errors: list[str]) -> None:
    if not isinstance(value, bool):
        _fail(errors, path, "Member must be a boolean")


def _timestamp_check(value: Any, path: str, errors: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        _fail(errors, path, "Member must be a timestamp")


def _accept(value: Any, path: str, errors: list[str]) -> None:
    return None


def _count_limits(shape: Any) -> tuple[int | None, int | None]:
    return shape.metadata.get("min"), shape.metadata.get("max")


def _list_check(shape: Any, memo: dict[str, Check]) -> Check:
    member = _compile(shape.member, memo)
    low, high = _count_limits(shape)

    def check(value: Any, path: str, errors: list[str]) -> None:
        if not isinstance(value, list):
            _fail(errors, path, "Member must be a list")
            return
        items: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
        if low is not None and len(items) < low:
            _fail(errors, path, f"Member must have length greater than or equal to {low}")
        if high is not None and len(items) > high:
            _fail(errors, path, f"Member must have length less than or equal to {high}")
        for index, item in enumerate(items):
            member(item, f"{path}[{index}]", errors)

    return check


def _map_check(shape: Any, memo: dict[str, Check]) -> Check:
    key_check = _compile(shape.key, memo)
    value_check = _compile(shape.value, memo)
    low, high = _count_limits(shape)

    def check(value: Any, path: str, errors: list[str]) -> None:
        if not isinstance(value, dict):
            _fail(errors, path, "Member must be a map")
            return
        entries: dict[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        if low is not None and len(entries) < low:
            _fail(errors, path, f"Member must have length greater than or equal to {low}")
        if high is not None and len(entries) > high:
            _fail(errors, path, f"Member must have length less than or equal to {high}")
        for key, item in entries.items():
            key_check(key, f"{path}.key", errors)
            value_check(item, f"{path}[{key!r}]", errors)

    return check


def _structure_check(shape: Any, memo: dict[str, Check]) -> Check:
    required: tuple[str, ...] = tuple(shape.required_members)
    members: tuple[tuple[str, Check], ...] = tuple(
        (name, _compile(member_shape, memo)) for name, member_shape in shape.members.items()
    )

    def check(value: Any, path: str, errors: list[str]) -> None:
        if not isinstance(value, dict):
            _fail(errors, path or "body", "Member must be a structure")
            return
        fields: dict[str, Any] = value  # pyright: ignore[reportUnknownVariableType]
        # An explicit null member is read as absent, as the service's JSON
        # protocols do (a required one fails below with the service's message);
        # dropping it here keeps every handler from having to expect None.
        for name in [name for name, item in fields.items() if item is None]:
            del fields[name]
        for name in required:
            if name not in fields:
                errors.append(
                    f"Value null at '{_join(path, name)}' failed to satisfy constraint: "
                    "Member must not be null"
                )
        for name, member_check in members:
            item = fields.get(name)
            if item is not None:
                member_check(item, _join(path, name), errors)

    return check


def _compile(shape: Any, memo: dict[str, Check]) -> Check:
    cached = memo.get(shape.name)
    if cached is not None:
        return cached
    kind: str = shape.type_name
    check: Check
    if kind == "structure":
        check = _structure_check(shape, memo)
    elif kind == "list":
        check = _list_check(shape, memo)
    elif kind == "map":
        check = _map_check(shape, memo)
    elif kind == "string":
        check = _string_check(shape)
    elif kind in ("integer", "long"):
        check = _number_check(shape, integer=True)
    elif kind in ("float", "double"):
        check = _number_check(shape, integer=False)
    elif kind == "boolean":
        check = _boolean_check
    elif kind == "timestamp":
        check = _timestamp_check
    else:
        check = _accept

    memo[shape.name] = check
    return check


class InputValidator:
    """Checks a request's parameters against one operation's input shape."""

    __slots__ = ("_check",)

    def __init__(self, check: Check) -> None:
        """Wrap a compiled structure check."""
        self._check = check

    def __call__(self, params: Mapping[str, Any]) -> None:
        """Raise :class:`ValidationException` listing every violation, if any."""
        errors: list[str] = []
        self._check(params, "", errors)
        if errors:
            noun = "error" if len(errors) == 1 else "errors"
            raise ValidationException(
                f"{len(errors)} validation {noun} detected: " + "; ".join(errors)
            )


def compile_validator(input_shape: Any, memo: dict[str, Check] | None = None) -> InputValidator:
    """Compile a botocore input shape (or ``None``: no input) into a validator.

    Args:
        input_shape: botocore ``StructureShape`` of the operation input, or ``None``.
        memo: Shared cache of compiled shapes, so common shapes compile once.

    Returns:
        A callable that raises ``ValidationException`` on invalid input.
    """
    if input_shape is None:
        return InputValidator(_accept)
    return InputValidator(_compile(input_shape, {} if memo is None else memo))
