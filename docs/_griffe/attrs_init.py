"""A Griffe extension for the API reference: the ``__init__`` of attrs classes.

attrs writes the ``__init__`` of ``@attrs.frozen``/``@attrs.define`` classes at
import time, so static analysis sees none, and the reference would show the
models without the keyword arguments that build them. Like Griffe's built-in
dataclasses extension, this one writes the signature from the annotated
fields: ``attrs.field(default=...)`` or a plain value gives the default,
a ``converter=`` gives the type the argument may have (its parameter's),
``factory=`` a call, ``init=False`` leaves the field out, and ``kw_only=True``
on the decorator (as in every model of the SDK) makes them keyword-only.

Loaded by path from ``mkdocs.yml`` (``extensions: [docs/_griffe/attrs_init.py]``).
"""

from __future__ import annotations

from typing import Any

import griffe

_DECORATORS = {"attrs.frozen", "attrs.define", "attrs.mutable", "attr.s", "attr.attrs"}
_FIELDS = {"attrs.field", "attr.ib", "attr.attrib"}
# Module constants used as defaults whose own value would not tell the reader.
_SHOWN_AS = {"EMPTY": "{}"}


def _keywords(expr: object) -> dict[str, Any]:
    if not isinstance(expr, griffe.ExprCall):
        return {}
    return {
        argument.name: argument.value
        for argument in expr.arguments
        if isinstance(argument, griffe.ExprKeyword)
    }


def _attrs_decorator(cls: griffe.Class) -> griffe.Expr | None:
    for decorator in cls.decorators:
        value = decorator.value
        if isinstance(value, griffe.Expr) and value.canonical_path in _DECORATORS:
            return value
    return None


def _default(member: griffe.Attribute, field: dict[str, Any] | None) -> Any:
    if field is None:
        return member.value
    if "factory" in field:
        return griffe.ExprCall(function=field["factory"], arguments=[])
    default = field.get("default")
    if isinstance(default, griffe.ExprName):
        # A module constant such as DEFAULT_DURATION: show its value instead.
        if default.name in _SHOWN_AS:
            return _SHOWN_AS[default.name]
        try:
            constant = member.modules_collection[default.canonical_path]
        except (KeyError, ValueError, AttributeError, griffe.AliasResolutionError):
            return default
        if isinstance(constant, griffe.Attribute) and constant.value is not None:
            return constant.value
    return default


def _accepted(member: griffe.Attribute, field: dict[str, Any] | None) -> Any:
    """What ``__init__`` takes: the converter's parameter type, else the field's.

    A field stored as ``tuple[X, ...]`` whose converter takes ``Iterable[X]``
    accepts any iterable, as the runtime signature (and the type checkers'
    attrs plugins) say; the reference shows that, not the stored type.
    """
    converter = (field or {}).get("converter")
    if isinstance(converter, griffe.ExprName):
        try:
            function = member.modules_collection[converter.canonical_path]
        except (KeyError, ValueError, AttributeError, griffe.AliasResolutionError):
            function = None
        if isinstance(function, griffe.Function) and function.parameters:
            annotation = function.parameters[0].annotation
            if annotation is not None:
                return annotation
    return member.annotation


def _parameters(cls: griffe.Class, kw_only: bool) -> list[griffe.Parameter]:
    parameters = []
    for member in cls.members.values():
        if member.is_alias or not isinstance(member, griffe.Attribute):
            continue
        if member.annotation is None or "property" in member.labels:
            continue
        if "class-attribute" in member.labels and "instance-attribute" not in member.labels:
            continue  # a ClassVar
        value = member.value
        is_field = isinstance(value, griffe.ExprCall) and value.canonical_path in _FIELDS
        field = _keywords(value) if is_field else None
        if field is not None and str(field.get("init")) == "False":
            continue
        keyword = kw_only or (field is not None and str(field.get("kw_only")) == "True")
        parameters.append(
            griffe.Parameter(
                member.name,
                annotation=_accepted(member, field),
                kind=griffe.ParameterKind.keyword_only
                if keyword
                else griffe.ParameterKind.positional_or_keyword,
                default=_default(member, field),
                docstring=member.docstring,
            )
        )
    return parameters


def _add_init(cls: griffe.Class) -> None:
    decorator = _attrs_decorator(cls)
    if decorator is None or "__init__" in cls.members:
        return
    kw_only = str(_keywords(decorator).get("kw_only")) == "True"
    init = griffe.Function(
        "__init__",
        lineno=0,
        endlineno=0,
        parent=cls,
        parameters=griffe.Parameters(
            griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword),
            *_parameters(cls, kw_only),
        ),
        returns="None",
    )
    cls.set_member("__init__", init)
    cls.labels.add("attrs")


def _walk(obj: griffe.Module | griffe.Class, seen: set[str]) -> None:
    if obj.path in seen:
        return
    seen.add(obj.path)
    if isinstance(obj, griffe.Class):
        _add_init(obj)
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, griffe.Module | griffe.Class):
            _walk(member, seen)


class AttrsInit(griffe.Extension):
    """Give every attrs class of a loaded package the ``__init__`` attrs writes at runtime."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Walk the loaded package.

        Args:
            pkg: The package.
            **kwargs: Unused.
        """
        _walk(pkg, set())
