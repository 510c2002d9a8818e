"""Fast, type-checked parsing of service responses into models.

The converter installs these as its structure hooks. For each model a
function is generated once, the way cattrs generates its own, but it fills
the frozen instance's slots directly instead of calling ``__init__``:

- Types are checked (a str where a str belongs, a list where a list does),
  so a malformed response fails with UnexpectedResponseError naming the
  field, never with a foreign exception or a half-typed model.
- The service model's limits (lengths, patterns, ranges) are not checked:
  they bind what users send, and a newer service may widen them; this is the
  same tolerance unknown enum values get. ``__init__`` validation costs
  about as much as the rest of the parse, which matters on the hot path
  (a CreateStage response with 12 tokens).
"""

from __future__ import annotations

import enum
import threading
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Union, cast, get_args, get_origin

import attrs

from ._frozen import EMPTY, FrozenDict
from .errors import UnexpectedResponseError
from .models._constraints import MAX_MINUTES
from .models._enum import ServiceEnum

__all__ = ["OUT_OF_RANGE", "make_parser", "parse_timestamp", "parser_for", "wire_name"]

#: A parser takes the raw value and where it stands (for messages).
Parse = Callable[[Any, Any], Any]
_UTC = UTC
_MINUTE = timedelta(minutes=1)
#: Why a well-formed timestamp whose moment in UTC falls outside datetime's years 1 to 9999 fails.
OUT_OF_RANGE = "timestamp lies outside the years 1 to 9999 once moved to UTC"


def _bad(where: str, expected: str, value: object) -> UnexpectedResponseError:
    return UnexpectedResponseError(f"{where}: expected {expected}, got {type(value).__name__}")


def parse_timestamp(value: Any, where: str = "timestamp") -> datetime:
    """Read an ISO 8601 string (or a datetime) as an aware datetime in UTC.

    Raises:
        UnexpectedResponseError: Not a timestamp, one without a UTC offset, or one
            whose moment in UTC lies outside datetime's range.
    """
    if type(value) is str:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise UnexpectedResponseError(f"{where}: {value[:40]!r} is not ISO 8601") from None
    elif isinstance(value, datetime):
        moment = value
    else:
        raise _bad(where, "an ISO 8601 timestamp", value)
    if moment.tzinfo is _UTC:
        return moment
    if moment.tzinfo is None:
        raise UnexpectedResponseError(f"{where}: timestamp has no UTC offset")
    try:
        return moment.astimezone(_UTC)
    except OverflowError:
        # 0001-01-01T00:00:00+01:00 is a valid ISO 8601 moment before datetime's first one.
        raise UnexpectedResponseError(f"{where}: {OUT_OF_RANGE}") from None


def _str(value: Any, where: str) -> Any:
    if type(value) is str:
        return value
    raise _bad(where, "str", value)


def _int(value: Any, where: str) -> Any:
    if type(value) is int:
        return value
    raise _bad(where, "int", value)


def _float(value: Any, where: str) -> Any:
    if type(value) is float or type(value) is int:
        return float(value)
    raise _bad(where, "float", value)


def _bool(value: Any, where: str) -> Any:
    if type(value) is bool:
        return value
    raise _bad(where, "bool", value)


def _minutes(value: Any, where: str) -> Any:
    if type(value) is int and -MAX_MINUTES <= value <= MAX_MINUTES:
        return value * _MINUTE
    raise _bad(where, "whole minutes", value)


def _str_map(value: Any, where: str) -> Any:
    if type(value) is not dict:
        raise _bad(where, "an object of strings", value)
    if not value:
        return EMPTY
    entries: dict[object, object] = value  # pyright: ignore[reportUnknownVariableType]
    for key, item in entries.items():
        if type(key) is not str or type(item) is not str:
            raise _bad(f"{where}[{str(key)[:40]!r}]", "str", item)
    return FrozenDict(entries)


def _enum_parser(cls: type[ServiceEnum]) -> Parse:
    known = cls._value2member_map_

    def parse(value: Any, where: str) -> Any:
        if type(value) is not str:
            raise _bad(where, cls.__name__, value)
        member = known.get(value)
        if member is not None:
            return member
        return cls.from_wire(value)

    return parse


def _sequence_parser(item: Parse, container: type[tuple[Any, ...]] | type[frozenset[Any]]) -> Parse:
    def parse(value: Any, where: str) -> Any:
        if type(value) is not list:
            raise _bad(where, "a list", value)
        members: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return container([item(member, where) for member in members])

    return parse


def _set_parser(item: Parse) -> Parse:
    # Sets here hold enum members (capabilities, ...): few distinct lists ever
    # arrive, so each one's frozenset is built once and then shared.
    built: dict[tuple[Any, ...], frozenset[Any]] = {}
    build = _sequence_parser(item, frozenset)

    def parse(value: Any, where: str) -> Any:
        if type(value) is not list:
            return build(value, where)
        key: tuple[Any, ...] = tuple(value)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
        try:
            members = built.get(key)
        except TypeError:  # an unhashable member: let the item parser name it
            return build(value, where)
        if members is None:
            members = build(value, where)
            if len(built) < 256:
                built[key] = members
        return members

    return parse


def _optional(parse: Parse) -> Parse:
    def parse_optional(value: Any, where: str) -> Any:
        return None if value is None else parse(value, where)

    return parse_optional


_LEAVES: dict[object, Parse] = {
    str: _str,
    int: _int,
    float: _float,
    bool: _bool,
    datetime: parse_timestamp,
    timedelta: _minutes,
}


#: Guards every parser built on first use. Built parsers are published in the
#: caches only when complete, so a reader that finds one needs no lock; a thread
#: that finds none builds it under the lock, which is reentrant because a model's
#: parser builds its fields' parsers (and a recursive model finds itself in
#: ``_BUILDING``, which only the thread holding the lock ever sees).
_LOCK = threading.RLock()
_FIELD_PARSERS: dict[Any, Parse] = {}


def parser_for(type_: Any) -> Parse:
    """Return (and cache) the parser of a model field type: a model, enum, timestamp, ..."""
    cached = _FIELD_PARSERS.get(type_)
    if cached is not None:
        return cached
    with _LOCK:
        cached = _FIELD_PARSERS.get(type_)
        if cached is None:
            cached = _FIELD_PARSERS[type_] = _parser_for(type_)
        return cached


def _parser_for(type_: Any) -> Parse:
    origin, args = get_origin(type_), get_args(type_)
    if origin is Union or origin is types.UnionType:
        (inner,) = (arg for arg in args if arg is not type(None))
        return _optional(_parser_for(inner))
    if type_ in _LEAVES:
        return _LEAVES[type_]
    if origin is tuple:
        return _sequence_parser(_parser_for(args[0]), tuple)
    if origin is frozenset:
        return _set_parser(_parser_for(args[0]))
    if origin is Mapping or origin is dict:
        return _str_map
    if isinstance(type_, type) and issubclass(type_, ServiceEnum):
        return _enum_parser(type_)
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        raise TypeError(f"{type_.__name__} must be a ServiceEnum to parse tolerantly")
    if isinstance(type_, type) and attrs.has(type_):
        return make_parser(cast("type[Any]", type_))
    raise TypeError(f"no parser for {type_!r}")


def wire_name(field_name: str) -> str:
    """Return the service's camelCase name for a snake_case model field."""
    head, *rest = field_name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


_CACHE: dict[type[Any], Parse] = {}
_BUILDING: dict[type[Any], Parse] = {}
_INLINE = (str, int, bool)


def _inline_leaf(type_: Any) -> type[Any] | None:
    # None is handled before the type check, so "str | None" inlines like str.
    if get_origin(type_) in (Union, types.UnionType):
        args = [arg for arg in get_args(type_) if arg is not type(None)]
        type_ = args[0] if len(args) == 1 else None
    return type_ if type_ in _INLINE else None


def _is_duration(type_: Any) -> bool:
    args = get_args(type_) if get_origin(type_) in (Union, types.UnionType) else (type_,)
    return timedelta in args and len([a for a in args if a is not type(None)]) == 1


def make_parser(cls: type[Any]) -> Parse:
    """Return (and cache) the function that parses a raw dict into the model ``cls``.

    Safe to call from many threads at once, without relying on the GIL: the
    parser is built once, under a lock, and published only when complete.
    """
    cached = _CACHE.get(cls)
    if cached is not None:
        return cached
    with _LOCK:
        cached = _CACHE.get(cls) or _BUILDING.get(cls)
        if cached is not None:
            return cached
        try:
            parse = _build_parser(cls)
        finally:
            _BUILDING.pop(cls, None)
        _CACHE[cls] = parse
        return parse


def _build_parser(cls: type[Any]) -> Parse:
    # Called with _LOCK held. A forward reference is registered in _BUILDING
    # before the fields are walked, so a recursive model finds itself.
    hints = typing.get_type_hints(cls)
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls, "bad": _bad}
    body = [
        "def parse(raw, where=None):",
        "    if type(raw) is not dict:",
        f"        raise bad({cls.__name__!r}, 'an object', raw)",
        "    o = new(cls)",
    ]
    placeholder: list[Parse] = []

    def forward(raw: Any, where: Any = None) -> Any:
        return placeholder[0](raw, where)

    _BUILDING[cls] = forward
    for index, field in enumerate(attrs.fields(cls)):
        wire, where = wire_name(field.name), f"{cls.__name__}.{field.name}"
        namespace[f"set{index}"] = cls.__dict__[field.name].__set__
        body.append(f"    value = raw.get({wire!r})")
        if field.default is attrs.NOTHING:
            body += [
                "    if value is None:",
                f"        raise bad({where!r}, 'a value (required)', value)",
            ]
        else:
            namespace[f"default{index}"] = field.default
            body += ["    if value is None:", f"        set{index}(o, default{index})", "    else:"]
        indent = "        " if field.default is not attrs.NOTHING else "    "
        leaf = _inline_leaf(hints[field.name])
        if leaf is not None:
            # Plain scalars are checked inline: a call per field would cost as much again.
            namespace[f"type{index}"] = leaf
            body += [
                f"{indent}if type(value) is not type{index}:",
                f"{indent}    raise bad({where!r}, {leaf.__name__!r}, value)",
                f"{indent}set{index}(o, value)",
            ]
        elif _is_duration(hints[field.name]):
            # Minutes on the wire; the range check keeps timedelta from overflowing.
            namespace["minute"], namespace["most"] = _MINUTE, MAX_MINUTES
            body += [
                f"{indent}if type(value) is not int or not -most <= value <= most:",
                f"{indent}    raise bad({where!r}, 'whole minutes', value)",
                f"{indent}set{index}(o, value * minute)",
            ]
        else:
            namespace[f"parse{index}"] = _parser_for(hints[field.name])
            body.append(f"{indent}set{index}(o, parse{index}(value, {where!r}))")
    body.append("    return o")
    exec(compile("\n".join(body), f"<ivs_realtime_sdk parse {cls.__name__}>", "exec"), namespace)
    parse: Parse = namespace["parse"]
    placeholder.append(parse)
    return parse
