"""Hypothesis strategies for any model, drawn from its validators' own constraints.

Reading the constraints off the validators (instead of restating them) means
a new model is covered as soon as it exists, and a changed limit is tested
at its new value.
"""

from __future__ import annotations

import enum
import re
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any

import attrs
from hypothesis import strategies as st

from ivs_realtime_sdk.models import _constraints as c

_MAX_TEXT = 300


_LITERAL_THEN_CLASS = re.compile(r"([\w:/-]*)(\[[^\]]+\])[+*]")


def _text(check: c.Text) -> st.SearchStrategy[str]:
    high = min(check.max if check.max is not None else _MAX_TEXT, _MAX_TEXT)
    if check.pattern is None:
        return st.text(min_size=check.min, max_size=high)
    pattern = check.pattern
    simple = _LITERAL_THEN_CLASS.fullmatch(pattern)
    if simple is not None:
        # A literal prefix then one class ("st-[a-zA-Z0-9]+"): bound the repeat by
        # the length limits, since filtering for an exact length would reject nearly all.
        prefix = len(simple.group(1))
        low = max(check.min - prefix, 1 if pattern.endswith("+") else 0)
        pattern = f"{re.escape(simple.group(1))}{simple.group(2)}{{{low},{high - prefix}}}"
    return st.from_regex(pattern, fullmatch=True).filter(lambda s: check.min <= len(s) <= high)


def _items(check: c.Items) -> st.SearchStrategy[Any]:
    element = _item(check.item)
    high = check.max if check.max is not None else 4
    if check.container is frozenset:
        return st.frozensets(element, min_size=check.min, max_size=high)
    return st.lists(element, min_size=check.min, max_size=high).map(tuple)


def _item(check: c.ItemCheck) -> st.SearchStrategy[Any]:
    if isinstance(check, c.Text):
        return _text(check)
    if isinstance(check, c.Enum):
        return st.sampled_from(list(check.type))
    return st.deferred(lambda: models(check.type))


def _utf8_size(entries: dict[str, str]) -> int:
    return sum(len(k.encode()) + len(v.encode()) for k, v in entries.items())


def _str_map(check: c.StrMap) -> st.SearchStrategy[dict[str, str]]:
    high = min(check.max if check.max is not None else 6, 6)
    maps = st.dictionaries(_text(check.key), _text(check.value), max_size=high)
    if check.max_bytes is not None:
        limit = check.max_bytes
        maps = maps.filter(lambda m: _utf8_size(m) <= limit)
    return maps


def _for_validator(check: object) -> st.SearchStrategy[Any]:
    strategy: st.SearchStrategy[Any]
    if isinstance(check, c.Text):
        strategy = _text(check)
    elif isinstance(check, c.Integer):
        strategy = st.integers(check.min, check.max)
    elif isinstance(check, c.Float):
        strategy = st.floats(check.min, check.max, allow_nan=False, allow_infinity=False)
    elif isinstance(check, c.Boolean):
        strategy = st.booleans()
    elif isinstance(check, c.Enum):
        strategy = st.sampled_from(list(check.type))
    elif isinstance(check, c.Nested):
        strategy = st.deferred(lambda: models(check.type))
    elif isinstance(check, c.Items):
        strategy = _items(check)
    elif isinstance(check, c.StrMap):
        return _str_map(check)
    elif isinstance(check, c.Duration):
        strategy = st.integers(check.min, check.max).map(lambda m: timedelta(minutes=m))
    elif isinstance(check, c.Timestamp):
        strategy = st.datetimes(timezones=st.just(UTC))
    else:
        raise TypeError(f"no strategy for validator {check!r}")
    if getattr(check, "optional", False):
        return st.none() | strategy
    return strategy


@cache
def models(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Draw valid instances of the attrs model ``cls``."""
    fields = {
        field.name: _for_validator(field.validator)
        for field in attrs.fields(cls)
        if field.init and field.validator is not None
    }
    return st.builds(cls, **fields)


#: The ends of datetime's range with the widest offsets: each is a valid ISO 8601
#: moment whose UTC time lies outside datetime's years 1 to 9999 (or just inside).
TIME_EDGES = (
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00-01:00",
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59+01:00",
    "9999-12-31T23:59:59.999999-23:59",
    "9999-12-31T23:59:59Z",
)


def outside_datetimes_range(wire: str) -> bool:
    """Whether an ISO 8601 time's moment in UTC falls outside datetime's years 1 to 9999."""
    try:
        datetime.fromisoformat(wire).astimezone(UTC)
    except OverflowError:
        return True
    return False


def iso_times() -> st.SearchStrategy[str]:
    """ISO 8601 times as a wire carries them: any moment of datetime's range, any offset.

    The ends of the range come first (``TIME_EDGES``), so every run reaches them,
    and the moments drawn span years 1 to 9999 with offsets up to 23:59 either way.
    """
    offsets = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )
    drawn = st.builds(
        lambda moment, zone: moment.replace(tzinfo=zone).isoformat(),
        st.datetimes(min_value=datetime.min, max_value=datetime.max),
        offsets,
    )
    return st.sampled_from(TIME_EDGES) | drawn


def public_models() -> list[type[Any]]:
    """Every attrs model the package exports, but the generic Page."""
    import ivs_realtime_sdk.models as package

    exported = [getattr(package, name) for name in package.__all__]
    return [obj for obj in exported if attrs.has(obj) and not getattr(obj, "__parameters__", ())]


def public_enums() -> list[type[enum.Enum]]:
    """Every enum the package exports."""
    import ivs_realtime_sdk.models as package

    exported = (getattr(package, name) for name in package.__all__)
    return [obj for obj in exported if isinstance(obj, type) and issubclass(obj, enum.Enum)]
