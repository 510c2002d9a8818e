"""Check a raw JSON response against a botocore output shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def check_shape(shape: Any, value: Any, path: str = "$") -> list[str]:
    """Return every mismatch between ``value`` and ``shape`` (empty when it conforms).

    Required members must be present, no undeclared member may appear, and
    every value must have its member's wire type (timestamps: ISO 8601 strings
    ending in ``Z``).
    """
    problems: list[str] = []
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected object, got {type(value).__name__}"]
        body_members = {
            name: member
            for name, member in shape.members.items()
            if member.serialization.get("location") is None
        }
        for name in shape.required_members:
            if name in body_members and name not in value:
                problems.append(f"{path}.{name}: required member missing")
        for name, item in value.items():
            member = body_members.get(name)
            if member is None:
                problems.append(f"{path}.{name}: not a member of {shape.name}")
            else:
                problems.extend(check_shape(member, item, f"{path}.{name}"))
    elif kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected array"]
        for index, item in enumerate(value):
            problems.extend(check_shape(shape.member, item, f"{path}[{index}]"))
    elif kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected object (map)"]
        for key, item in value.items():
            problems.extend(check_shape(shape.key, key, f"{path}.<key>"))
            problems.extend(check_shape(shape.value, item, f"{path}[{key!r}]"))
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected string")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} not in enum {shape.name}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{path}: expected integer")
    elif kind in ("float", "double"):
        if not isinstance(value, int | float) or isinstance(value, bool):
            problems.append(f"{path}: expected number")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected boolean")
    elif kind == "timestamp":
        if not (isinstance(value, str) and value.endswith("Z")):
            problems.append(f"{path}: expected ISO 8601 UTC string")
        else:
            try:
                datetime.fromisoformat(value)
            except ValueError:
                problems.append(f"{path}: unparseable timestamp {value!r}")
    else:
        problems.append(f"{path}: unexpected shape type {kind}")
    return problems
