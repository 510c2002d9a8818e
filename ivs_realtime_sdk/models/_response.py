"""Response models: frozen attrs classes whose fields are checked for type, never for limits.

The Smithy specification says constraints are not enforced on output: a newer
service may widen a limit the SDK knows, and a response the SDK parsed must
stay printable and copyable (``attrs.evolve``). So a response model states each
field once, as ``name: str | None = None``, and the class is declared
``@attrs.frozen(kw_only=True, field_transformer=typed_fields)``, which derives its
check from that annotation: the type (``str``, an enum, a nested model, a tuple
of them, a string map, an aware datetime, whole minutes) and whether None is
allowed, with no length, pattern or range. The derived checks are the same
constraint objects input models use, without their limits, so the conformance
test and the test strategies read both kinds of model alike.
"""

from __future__ import annotations

import enum
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import attrs

from ._constraints import (
    MAX_MINUTES,
    Boolean,
    Duration,
    Enum,
    Float,
    Integer,
    ItemCheck,
    Items,
    Nested,
    StrMap,
    Text,
    Timestamp,
)

__all__ = ["check_for", "is_response_model", "typed_fields"]

_RESPONSE_MODELS: set[str] = set()

_SCALARS: Mapping[type[Any], Callable[[bool], object]] = {
    str: lambda optional: Text(optional=optional, unicode=False),
    int: lambda optional: Integer(optional=optional),
    float: lambda optional: Float(optional=optional),
    bool: lambda optional: Boolean(optional=optional),
    datetime: lambda optional: Timestamp(optional=optional),
    timedelta: lambda optional: Duration(-MAX_MINUTES, MAX_MINUTES, optional=optional),
}


def _item(hint: Any, where: str) -> ItemCheck:
    check = check_for(hint, where)
    if not isinstance(check, Text | Enum | Nested):
        raise TypeError(f"{where}: no item check for {hint!r}")
    return check


def check_for(hint: Any, where: str) -> object:
    """The type-only check of a field annotated ``hint``."""
    args = typing.get_args(hint)
    optional = False
    if typing.get_origin(hint) in (types.UnionType, typing.Union) and type(None) in args:
        rest = [arg for arg in args if arg is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"{where}: only ``T | None`` unions are supported")
        hint, optional = rest[0], True
        args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if hint in _SCALARS:
        return _SCALARS[hint](optional)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return Enum(hint, optional=optional)
    if isinstance(hint, type) and attrs.has(hint):
        return Nested(hint, optional=optional)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return Items(_item(args[0], where), optional=optional)
    if origin is frozenset:
        return Items(_item(args[0], where), optional=optional, container=frozenset)
    if origin is Mapping and args == (str, str):
        return StrMap(Text(unicode=False), Text(unicode=False))
    raise TypeError(f"{where}: no type check for {hint!r}")


def typed_fields(cls: type[Any], fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer``: each field without a validator gets its type check.

    (attrs's own decorator is kept at each class, so mypy's attrs plugin sees it.)
    """
    _RESPONSE_MODELS.add(f"{cls.__module__}.{cls.__qualname__}")
    namespace = vars(sys.modules[cls.__module__])
    typed: list[attrs.Attribute[Any]] = []
    for field in fields:
        if field.validator is None and isinstance(field.type, str):
            hint = eval(field.type, namespace)  # the class's own annotation, in its module
            validator: Any = check_for(hint, f"{cls.__name__}.{field.name}")
            field = field.evolve(validator=validator)
        typed.append(field)
    return typed


def is_response_model(cls: type[Any]) -> bool:
    """Whether ``cls`` is a response model (its fields checked for type only)."""
    return f"{cls.__module__}.{cls.__qualname__}" in _RESPONSE_MODELS
