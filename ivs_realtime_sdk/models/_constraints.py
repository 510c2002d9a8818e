"""Validators that enforce the service model's constraints when a model is built.

Each validator is a small frozen object whose attributes are the constraint
itself (min, max, pattern, ...), so that the conformance test can compare them
with botocore's service model, and the Hypothesis strategies can draw values
that satisfy them. A failure raises InvalidParameterError naming
``Class.field``, what is wrong and the limit.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

import attrs

from .._frozen import FrozenDict
from ..errors import InvalidParameterError, InvalidParameterTypeError

__all__ = [
    "Boolean",
    "Duration",
    "Enum",
    "Float",
    "Integer",
    "Items",
    "Nested",
    "StrMap",
    "Text",
    "Timestamp",
    "check_unicode",
    "moment",
    "optional",
    "str_map",
    "to_frozen_dict",
    "to_tuple",
]

_SHOWN_CHARS = 40
#: Whole minutes a timedelta holds safely (it overflows near 1.5e12); the service's limits
#: are far lower. Response parsing and response models accept any duration within it.
MAX_MINUTES = 10**9 - 1


def _where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."


def _type_error(where: str, expected: str, value: object) -> InvalidParameterTypeError:
    return InvalidParameterTypeError(where, f"expected {expected}, got {type(value).__name__}")


def check_length(where: str, size: int, low: int, high: int | None, unit: str) -> None:
    """Raise when ``size`` lies outside ``[low, high]``."""
    if size < low:
        raise InvalidParameterError(where, f"{size} {unit} is under the minimum of {low}")
    if high is not None and size > high:
        raise InvalidParameterError(where, f"{size} {unit} is over the limit of {high}")


def check_unicode(where: str, text: str) -> None:
    """Raise when ``text`` is not valid Unicode text: a lone surrogate cannot be sent as UTF-8."""
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidParameterError(
            where,
            f"holds a lone surrogate at index {exc.start}, "
            "which is not valid Unicode text and cannot be sent as UTF-8",
        ) from None


@attrs.frozen
class Text:
    """A string of ``min``..``max`` characters that fully matches ``pattern``.

    A ``sensitive`` value (a secret, such as a stream key) is never quoted in errors.
    With ``unicode`` (the default, for input models) a string that is not valid
    Unicode text, holding a lone surrogate, is refused: it cannot be sent as
    UTF-8. Response models keep whatever text the wire held (``unicode=False``).
    """

    min: int = 0
    max: int | None = None
    pattern: str | None = None
    optional: bool = False
    sensitive: bool = False
    unicode: bool = True
    _regex: re.Pattern[str] | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_regex", re.compile(self.pattern) if self.pattern else None)

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        self.check(_where(instance, attribute), value)

    def check(self, where: str, value: object) -> None:
        """Validate ``value``, naming it ``where`` in errors."""
        if value is None and self.optional:
            return
        if not isinstance(value, str):
            raise _type_error(where, "str", value)
        if self.unicode:
            check_unicode(where, value)
        check_length(where, len(value), self.min, self.max, "characters")
        if self._regex is not None and self._regex.fullmatch(value) is None:
            shown = "the secret value" if self.sensitive else _shown(value)
            raise InvalidParameterError(where, f"{shown} does not match the pattern {self.pattern}")


@attrs.frozen
class Integer:
    """An int from ``min`` to ``max``."""

    min: int | None = None
    max: int | None = None
    optional: bool = False

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        where = _where(instance, attribute)
        if value is None and self.optional:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            raise _type_error(where, "int", value)
        _check_range(where, value, self.min, self.max)


@attrs.frozen
class Float:
    """A finite number from ``min`` to ``max``."""

    min: float | None = None
    max: float | None = None
    optional: bool = False

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        where = _where(instance, attribute)
        if value is None and self.optional:
            return
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise _type_error(where, "float", value)
        if not math.isfinite(value):
            raise InvalidParameterError(where, f"{value} is not a finite number")
        _check_range(where, value, self.min, self.max)


def _check_range(where: str, value: float, low: float | None, high: float | None) -> None:
    if low is not None and value < low:
        raise InvalidParameterError(where, f"{value} is under the minimum of {low}")
    if high is not None and value > high:
        raise InvalidParameterError(where, f"{value} is over the limit of {high}")


@attrs.frozen
class Boolean:
    """A bool."""

    optional: bool = False

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and self.optional:
            return
        if not isinstance(value, bool):
            raise _type_error(_where(instance, attribute), "bool", value)


@attrs.frozen
class Enum:
    """A member of ``type``, known or (parsed from a newer service) unknown."""

    type: type[enum.Enum]
    optional: bool = False

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        self.check(_where(instance, attribute), value)

    def check(self, where: str, value: object) -> None:
        """Validate ``value``, naming it ``where`` in errors."""
        if value is None and self.optional:
            return
        if not isinstance(value, self.type):
            known = ", ".join(str(m.value) for m in self.type)
            raise InvalidParameterError(
                where, f"{_shown(value)} is not a {self.type.__name__} (one of {known})"
            )


@attrs.frozen
class Nested:
    """An instance of the model ``type``; it validated itself when it was built."""

    type: type[Any]
    optional: bool = False

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        self.check(_where(instance, attribute), value)

    def check(self, where: str, value: object) -> None:
        """Validate ``value``, naming it ``where`` in errors."""
        if value is None and self.optional:
            return
        if not isinstance(value, self.type):
            raise _type_error(where, self.type.__name__, value)


ItemCheck = Text | Enum | Nested


@attrs.frozen
class Items:
    """A tuple (or frozenset) of ``min``..``max`` items, each passing ``item``."""

    item: ItemCheck
    min: int = 0
    max: int | None = None
    optional: bool = False
    container: type[tuple[Any, ...]] | type[frozenset[Any]] = tuple

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        where = _where(instance, attribute)
        if value is None and self.optional:
            return
        if not isinstance(value, self.container):
            raise _type_error(where, self.accepted(), value)
        members: tuple[object, ...] | frozenset[object] = value  # pyright: ignore[reportUnknownVariableType]
        check_length(where, len(members), self.min, self.max, "items")
        for index, member in enumerate(members):
            self.item.check(f"{where}[{index}]", member)

    def accepted(self) -> str:
        """Say what a caller may pass: the field's converter takes these, not only the container."""
        item = self.item
        if isinstance(item, Text):
            name = "str"
        elif isinstance(item, Enum):
            name = f"{item.type.__name__} (or its value strings)"
        else:
            name = item.type.__name__
        examples = "a set or list" if self.container is frozenset else "a list or tuple"
        return f"an iterable of {name}, such as {examples}"


@attrs.frozen
class StrMap:
    """A mapping of str to str with at most ``max`` entries (and ``max_bytes`` in UTF-8)."""

    key: Text
    value: Text
    max: int | None = None
    max_bytes: int | None = None

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        where = _where(instance, attribute)
        if not isinstance(value, Mapping):
            raise _type_error(where, "a mapping of str to str", value)
        entries: Mapping[object, object] = value  # pyright: ignore[reportUnknownVariableType]
        check_length(where, len(entries), 0, self.max, "entries")
        total = 0
        for key, item in entries.items():
            self.key.check(f"{where} key", key)
            self.value.check(f"{where}[{_shown(key)}]", item)
            if self.max_bytes is not None:
                # Both passed the Text checks above, so both are str.
                total += _utf8_size(cast(str, key)) + _utf8_size(cast(str, item))
        if self.max_bytes is not None and total > self.max_bytes:
            raise InvalidParameterError(
                where, f"{total} bytes in UTF-8 is over the limit of {self.max_bytes} bytes"
            )


def _utf8_size(text: str) -> int:
    # Text.check has refused a lone surrogate already, so the text encodes.
    return len(text.encode("utf-8"))


@attrs.frozen
class Duration:
    """A timedelta of whole minutes from ``min`` to ``max`` minutes (an int is minutes)."""

    min: int
    max: int
    optional: bool = False

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        where = _where(instance, attribute)
        if value is None and self.optional:
            return
        if isinstance(value, int) and not isinstance(value, bool):
            # The converter keeps an out-of-range int as it is, so that the
            # message names the class, and no timedelta overflows first.
            self.check_minutes(where, value)
            return
        if not isinstance(value, timedelta):
            raise _type_error(where, "timedelta (or int minutes)", value)
        minutes, rest = divmod(value, timedelta(minutes=1))
        if rest:
            raise InvalidParameterError(where, f"{value} is not a whole number of minutes")
        self.check_minutes(where, minutes)

    def in_range(self, minutes: int) -> bool:
        """Tell whether ``minutes`` lies within the allowed range."""
        return self.min <= minutes <= self.max

    def check_minutes(self, where: str, minutes: int) -> None:
        """Raise when ``minutes`` lies outside the allowed range."""
        if not self.in_range(minutes):
            raise InvalidParameterError(
                where,
                f"{minutes} minutes is outside {self.min} to {self.max} minutes "
                f"({readable_minutes(self.min)} to {readable_minutes(self.max)})",
            )


def readable_minutes(minutes: int) -> str:
    """Say a number of minutes in the largest whole units: ``14 days``, ``12 hours``."""
    for unit, size in (("day", 1440), ("hour", 60)):
        if minutes and minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@attrs.frozen
class Timestamp:
    """An aware datetime in UTC."""

    optional: bool = False

    def __call__(self, instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        where = _where(instance, attribute)
        if value is None and self.optional:
            return
        if not isinstance(value, datetime):
            raise _type_error(where, "datetime", value)
        if value.utcoffset() != timedelta(0):
            raise InvalidParameterError(where, "must be an aware datetime in UTC")


def moment(where: str, value: object) -> datetime:
    """Return ``value``, an aware datetime, or the current time in UTC if it is None.

    The one check of every public function and method that takes a moment
    (``now=``, ``at=``): a naive datetime cannot be compared with the aware
    ones the SDK keeps, so it is refused with an error naming ``where``, the
    method the user called, rather than failing later with a bare TypeError.
    """
    if value is None:
        return datetime.now(UTC)
    if not isinstance(value, datetime):
        raise _type_error(where, "datetime", value)
    if value.utcoffset() is None:
        raise InvalidParameterError(
            where, "is a naive datetime; pass an aware one, such as datetime.now(UTC)"
        )
    return value


Check = TypeVar("Check", Text, Integer, Float, Boolean, Enum, Nested, Items, Duration, Timestamp)


def optional(check: Check) -> Check:
    """Return the same constraint, also accepting None (for a member the service may omit)."""
    return attrs.evolve(check, optional=True)


# Converters: each field's converter is a named function typed for that field,
# because the attrs plugins of mypy and pyright take the constructor's
# parameter type from the converter's argument. At run time they pass any
# value they cannot convert on to the validator, which names the problem.


def to_tuple(value: Any) -> Any:
    """Accept any iterable (a list, a generator) where a tuple is stored.

    A string, bytes or a mapping is iterable too, but never meant as a list of
    items: it is left, with anything else, to the validator, which names it.
    """
    if type(value) is tuple:
        return cast("tuple[object, ...]", value)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return tuple(cast("Iterable[object]", value))
    return cast(Any, value)


def str_map(value: Mapping[str, str]) -> Mapping[str, str]:
    """Store any mapping of str to str as an immutable FrozenDict."""
    return to_frozen_dict(value)  # type: ignore[no-any-return]


def to_frozen_dict(value: Any) -> Any:
    """Accept any mapping where an immutable mapping is stored."""
    if type(value) is FrozenDict:
        return cast("FrozenDict[object, object]", value)
    if isinstance(value, Mapping):
        return FrozenDict(cast("Mapping[object, object]", value))
    return value
