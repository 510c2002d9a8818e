"""``parse_event``: an EventBridge envelope (dict or JSON) in, a frozen typed event out.

Everything that comes in is untrusted: every field is type-checked, and a
malformed envelope raises :class:`~ivs_realtime_sdk.errors.InvalidEventError`
naming the field, never a foreign exception. What is well formed but unknown
(another source, a new detail type or event name) parses into
:class:`UnknownEvent`; fields a newer service adds stay in ``detail``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast, get_args

from .._frozen import EMPTY, FrozenDict
from .._parsing import OUT_OF_RANGE, parse_timestamp
from ..errors import InvalidEventError, UnexpectedResponseError
from ..models.token import Capability
from ._models import (
    CompositionDestinationFailure,
    CompositionSessionEnd,
    CompositionSessionFailure,
    CompositionSessionStart,
    CompositionStateChange,
    DetailType,
    EventEnvelope,
    ExchangedToken,
    IVSEvent,
    ParticipantPublishError,
    ParticipantRecordingEnd,
    ParticipantRecordingStart,
    ParticipantRecordingStateChange,
    ParticipantReplicationStarted,
    ParticipantReplicationStopped,
    ParticipantTokenExchanged,
    StageUpdate,
    UnknownEvent,
)
from ._names import EVENT_SOURCE

__all__ = ["parse_event"]

_ENVELOPE_STRINGS = ("version", "id", "detail-type", "source", "account", "region")
_MAX_TEXT = 200
# timedelta's own limit is about 8.6e16 ms; far beyond any recording.
_MAX_MS = 10**15

_E = TypeVar("_E", StageUpdate, CompositionStateChange, ParticipantRecordingStateChange)


def _by_name(family: type[_E]) -> dict[str, type[_E]]:
    """The classes of one detail type by event name; IVSEvent lists them, once."""
    members: tuple[Any, ...] = get_args(IVSEvent)
    return {cls.event_name.value: cls for cls in members if issubclass(cls, family)}


_STAGE = _by_name(StageUpdate)
_COMPOSITION = _by_name(CompositionStateChange)
_RECORDING = _by_name(ParticipantRecordingStateChange)


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _freeze(value: Any) -> Any:
    """Deep read-only copy of JSON data: objects become FrozenDict, arrays tuples."""
    if isinstance(value, Mapping):
        items: Mapping[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return FrozenDict({k: _freeze(v) for k, v in items.items()})
    if isinstance(value, list | tuple):
        seq: list[Any] | tuple[Any, ...] = value  # pyright: ignore[reportUnknownVariableType]
        return tuple(_freeze(v) for v in seq)
    return value


class _Detail:
    """Typed reads of one ``detail`` object; errors name ``detail.<key>``."""

    __slots__ = ("_raw",)

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = raw

    def text(self, key: str) -> str:
        value = self._raw.get(key)
        if not isinstance(value, str):
            raise InvalidEventError(f"detail.{key}", f"expected a string, got {_kind(value)}")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self._raw.get(key) is None else self.text(key)

    def text_or_empty(self, key: str) -> str:
        return self.optional_text(key) or ""

    def user_id(self) -> str | None:
        # IVS sends "" for a token without user_id; None says "no user id" once.
        return self.optional_text("user_id") or None

    def time(self, key: str) -> datetime | None:
        value = self._raw.get(key)
        return None if value is None else _timestamp(f"detail.{key}", value)

    def milliseconds(self, key: str) -> timedelta | None:
        value = self._raw.get(key)
        if value is None:
            return None
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
            or abs(value) > _MAX_MS
        ):
            raise InvalidEventError(
                f"detail.{key}", f"expected a number of milliseconds, got {_kind(value)}"
            )
        return timedelta(milliseconds=value)

    def token(self, key: str) -> ExchangedToken | None:
        value = self._raw.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise InvalidEventError(f"detail.{key}", f"expected an object, got {_kind(value)}")
        token = _Detail(value)  # pyright: ignore[reportUnknownArgumentType]
        try:
            return ExchangedToken(
                user_id=token.user_id(),
                attributes=token.attributes("attributes"),
                capabilities=token.capabilities("capabilities"),
                expiration_time=token.time("expiration_time"),
            )
        except InvalidEventError as exc:
            raise InvalidEventError(f"detail.{key}.{exc.field[7:]}", exc.problem) from None

    def attributes(self, key: str) -> Mapping[str, str]:
        value = self._raw.get(key)
        if value is None:
            return EMPTY
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str)
            for k, v in value.items()  # pyright: ignore[reportUnknownVariableType]
        ):
            raise InvalidEventError(f"detail.{key}", "expected an object of strings")
        return FrozenDict(value)  # pyright: ignore[reportUnknownArgumentType]

    def capabilities(self, key: str) -> frozenset[Capability]:
        value = self._raw.get(key)
        if value is None:
            return frozenset()
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):  # pyright: ignore[reportUnknownVariableType]
            raise InvalidEventError(f"detail.{key}", "expected a list of strings")
        return frozenset(Capability.from_wire(v) for v in value)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]


def _timestamp(where: str, value: object) -> datetime:
    if not isinstance(value, str):
        raise InvalidEventError(where, f"expected an ISO 8601 timestamp, got {_kind(value)}")
    try:
        return parse_timestamp(value, where)
    except UnexpectedResponseError as exc:
        if str(exc).endswith(OUT_OF_RANGE):
            raise InvalidEventError(where, f"{value[:_MAX_TEXT]!r}: {OUT_OF_RANGE}") from None
        raise InvalidEventError(
            where, f"{value[:_MAX_TEXT]!r} is not an ISO 8601 timestamp with a UTC offset"
        ) from None


def _load(event: object) -> Mapping[str, Any]:
    if isinstance(event, str | bytes | bytearray):
        try:
            event = json.loads(event)
        except (ValueError, RecursionError):
            raise InvalidEventError("event", "not a JSON document") from None
    if not isinstance(event, Mapping):
        raise InvalidEventError("event", f"expected a JSON object, got {_kind(event)}")
    return event  # pyright: ignore[reportUnknownVariableType]


def _envelope(raw: Mapping[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in _ENVELOPE_STRINGS:
        value = raw.get(key)
        if not isinstance(value, str):
            raise InvalidEventError(key, f"expected a string, got {_kind(value)}")
        fields[key.replace("-", "_")] = value
    fields["time"] = _timestamp("time", raw.get("time"))
    resources: object = raw.get("resources")
    if not isinstance(resources, list | tuple):
        raise InvalidEventError("resources", f"expected a list, got {_kind(resources)}")
    arns = cast("tuple[object, ...]", tuple(resources))  # pyright: ignore[reportUnknownArgumentType]
    for index, arn in enumerate(arns):
        if not isinstance(arn, str):
            raise InvalidEventError(f"resources[{index}]", f"expected a string, got {_kind(arn)}")
    fields["resources"] = arns
    detail = raw.get("detail")
    if not isinstance(detail, Mapping):
        raise InvalidEventError("detail", f"expected an object, got {_kind(detail)}")
    try:
        fields["detail"] = _freeze(detail)
    except RecursionError:
        raise InvalidEventError("detail", "nested too deeply") from None
    return fields


def _resource(fields: Mapping[str, Any], what: str) -> str:
    resources: tuple[str, ...] = fields["resources"]
    if not resources:
        raise InvalidEventError("resources", f"expected the {what} ARN, got an empty list")
    return resources[0]


def _stage_update(cls: type[StageUpdate], fields: dict[str, Any], d: _Detail) -> IVSEvent:
    fields.update(
        stage_arn=_resource(fields, "stage"),
        session_id=d.text("session_id"),
        participant_id=d.text("participant_id"),
        user_id=d.user_id(),
        event_time=d.time("event_time"),
    )
    if cls is ParticipantPublishError:
        fields.update(error_code=d.optional_text("error_code"), reason=d.optional_text("reason"))
    elif issubclass(cls, ParticipantReplicationStarted | ParticipantReplicationStopped):
        for key in (
            "source_stage_arn",
            "source_session_id",
            "destination_stage_arn",
            "destination_session_id",
        ):
            fields[key] = d.optional_text(key)
    elif cls is ParticipantTokenExchanged:
        fields.update(previous_token=d.token("previous_token"), new_token=d.token("new_token"))
    return cast("IVSEvent", cls(**fields))


def _composition(cls: type[CompositionStateChange], fields: dict[str, Any], d: _Detail) -> IVSEvent:
    fields.update(composition_arn=_resource(fields, "composition"), stage_arn=d.text("stage_arn"))
    if cls not in (CompositionSessionStart, CompositionSessionEnd, CompositionSessionFailure):
        fields["destination_id"] = d.optional_text("id")
    if cls in (CompositionSessionFailure, CompositionDestinationFailure):
        fields["reason"] = d.optional_text("reason")
    return cast("IVSEvent", cls(**fields))


def _recording(
    cls: type[ParticipantRecordingStateChange], fields: dict[str, Any], d: _Detail
) -> IVSEvent:
    fields.update(
        stage_arn=_resource(fields, "stage"),
        session_id=d.text("session_id"),
        participant_id=d.text("participant_id"),
        recording_s3_bucket_name=d.text_or_empty("recording_s3_bucket_name"),
        recording_s3_key_prefix=d.text_or_empty("recording_s3_key_prefix"),
    )
    if cls is ParticipantRecordingEnd:
        fields["recording_duration"] = d.milliseconds("recording_duration_ms")
    elif cls is not ParticipantRecordingStart:
        fields["reason"] = d.optional_text("reason")
    return cast("IVSEvent", cls(**fields))


_Builder = Callable[[Any, dict[str, Any], _Detail], IVSEvent]
_KINDS: dict[str, tuple[Mapping[str, type[EventEnvelope]], _Builder]] = {
    DetailType.STAGE_UPDATE.value: (_STAGE, _stage_update),
    DetailType.COMPOSITION_STATE_CHANGE.value: (_COMPOSITION, _composition),
    DetailType.PARTICIPANT_RECORDING_STATE_CHANGE.value: (_RECORDING, _recording),
}


def parse_event(event: Mapping[str, Any] | str | bytes) -> IVSEvent:
    """Parse an EventBridge event of IVS Real-Time into its frozen, typed class.

    Args:
        event: The envelope as Lambda hands it over (a dict), or as JSON text
            (the body an API destination POSTs, an SQS message body...).

    Returns:
        One of the classes of :data:`IVSEvent`: ``ParticipantPublished``,
        ``CompositionSessionEnd``, ``ParticipantRecordingEnd``... or
        ``UnknownEvent`` for another source, detail type or event name.

    Raises:
        InvalidEventError: The envelope is malformed: not a JSON object, or a
            field missing or of the wrong type (``field`` names it).
    """
    raw = _load(event)
    fields = _envelope(raw)
    known = _KINDS.get(fields["detail_type"]) if fields["source"] == EVENT_SOURCE else None
    fields["detail_type"] = DetailType.from_wire(fields["detail_type"])
    detail: Mapping[str, Any] = fields["detail"]
    name = detail.get("event_name")
    if known is None or not isinstance(name, str) or name not in known[0]:
        return UnknownEvent(**fields)
    classes, build = known
    return build(classes[name], fields, _Detail(detail))
