"""The one cattrs Converter between models and the raw boto dicts.

Its rules:

- Field names are snake_case in models and camelCase on the wire
  (``active_session_id`` <-> ``activeSessionId``).
- Unstructuring (requests) omits every field left at its default, so a
  request carries only what the user set, and the service applies its own
  defaults.
- Responses structure through the generated, type-checked parsers of
  ``_parsing`` (limits are not re-checked there; see that module).
- Timestamps structure from ISO 8601 strings or from botocore's datetimes
  into aware datetimes in ``timezone.utc``; they unstructure to ISO 8601.
- Durations are whole minutes on the wire and ``timedelta`` in models.
- Enums structure tolerantly (``ServiceEnum.from_wire``): a value a newer
  service adds parses as a pseudo-member instead of failing.
- Tuples and frozensets travel as lists; mappings become FrozenDict.
- Keys the SDK does not know are ignored, so a newer service's extra fields
  do not break parsing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, get_origin

import attrs
from cattrs import Converter
from cattrs.gen import make_dict_unstructure_fn, override

from ._frozen import FrozenDict
from ._parsing import parse_timestamp, parser_for, wire_name
from .models._enum import ServiceEnum
from .models._requests import CreateParticipantTokenRequest

__all__ = ["converter", "parse_timestamp", "structure", "unstructure", "wire_name"]

T = TypeVar("T")


def _format_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _minutes(value: timedelta) -> int:
    return value // timedelta(minutes=1)


def _structure(value: Any, type_: Any) -> Any:
    # Everything that comes off the wire is structured by _parsing, so that
    # converter.structure checks types exactly as the facades' parse does.
    return parser_for(type_)(value, getattr(type_, "__name__", "value"))


def _is_frozenset(type_: Any) -> bool:
    return type_ is frozenset or get_origin(type_) is frozenset


def _make_converter() -> Converter:
    conv = Converter(detailed_validation=False)

    def unstructure_factory(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        renames: dict[str, Any] = {
            a.name: override(rename=wire_name(a.name), omit_if_default=True)
            for a in attrs.fields(cls)
        }
        return make_dict_unstructure_fn(cls, conv, **renames)

    def structure_factory(cls: Any) -> Callable[[Any, Any], Any]:
        return parser_for(cls)

    conv.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    conv.register_structure_hook_factory(attrs.has, structure_factory)
    # On the classes, so that they outrank cattrs' own hooks (Enum's calls the class).
    for leaf in (datetime, timedelta, ServiceEnum):
        conv.register_structure_hook(leaf, _structure)

    conv.register_unstructure_hook(datetime, _format_timestamp)
    conv.register_unstructure_hook(timedelta, _minutes)
    conv.register_unstructure_hook(ServiceEnum, str)
    conv.register_unstructure_hook(FrozenDict, dict)
    # Sorted, so that the same set always serialises the same way.
    conv.register_unstructure_hook_func(_is_frozenset, lambda s: sorted(map(conv.unstructure, s)))

    conv.register_unstructure_hook(
        CreateParticipantTokenRequest,
        lambda r: {"stageArn": r.stage_arn, **conv.unstructure(r.config)},
    )
    return conv


converter = _make_converter()


#: The model classes whose unstructure hooks cattrs has built. cattrs builds a
#: class's hook (and its nested classes') on first use; that first use is taken
#: under a lock, so threads making their first calls at once never build (or
#: see) a hook twice, without relying on the GIL.
_BUILT: set[type[Any]] = set()
_FIRST_USE = threading.Lock()


def unstructure(model: object) -> dict[str, Any]:
    """Turn a request model into boto keyword arguments."""
    cls = type(model)
    params: dict[str, Any]
    if cls in _BUILT:
        params = converter.unstructure(model)
        return params
    with _FIRST_USE:
        params = converter.unstructure(model)
        _BUILT.add(cls)
    return params


def structure(raw: object, cls: type[T]) -> T:
    """Build ``cls`` (a model, enum, timestamp or duration) from raw response data."""
    return converter.structure(raw, cls)
