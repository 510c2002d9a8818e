"""The SDK covers ivs-realtime 2020-07-14 exactly as the service model it ships describes it.

The checker walks the service model from each operation: its input shape
against the operation's request model and both facades' methods, its output
shape against the result model, and every member shape below them against
the model fields and the validators' constraint objects. Whatever the SDK
lacks or states differently is a problem, unless ALLOWED lists it below
with its reason; an allowance nothing needs any more is a problem too.
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import pytest
from botocore import xform_name
from botocore.model import Shape

from ivs_realtime_sdk import AsyncIVSRealTime, IVSRealTime, _core
from ivs_realtime_sdk import _operations as ops
from ivs_realtime_sdk._converter import wire_name
from ivs_realtime_sdk._service_model import DOCUMENTED_MAX_BYTES, PATTERN_FIXES
from ivs_realtime_sdk._shipped import service_model
from ivs_realtime_sdk.models import _constraints as c
from ivs_realtime_sdk.models._response import is_response_model
from ivs_realtime_sdk.models.encoder import Video
from ivs_realtime_sdk.models.ingest import IngestConfiguration
from ivs_realtime_sdk.models.layout import VideoFillMode
from ivs_realtime_sdk.models.participant import Participant, ParticipantProtocol
from ivs_realtime_sdk.models.stage import StageSpec
from ivs_realtime_sdk.models.storage import S3StorageConfiguration
from ivs_realtime_sdk.models.token import ParticipantToken

# The model the SDK ships (_shipped reads it), never the installed botocore's.
SERVICE = service_model()

# The deliberate deviations from the service model, each with its reason.
# Keys name the shape (and member) as the service model does.
# The pattern fixes and documented limits are the package's own (_service_model).
ALLOWED_PATTERNS: Mapping[str, str] = PATTERN_FIXES
ALLOWED_REQUIRED: frozenset[tuple[str, str]] = frozenset(
    {
        # The service always returns these; a token without them is useless,
        # and the SDK's is_expired()/time_remaining() rely on expirationTime.
        ("ParticipantToken", "participantId"),
        ("ParticipantToken", "token"),
        ("ParticipantToken", "expirationTime"),
        # CreateStage always returns the stage it created.
        ("CreateStageResponse", "stage"),
    }
)
ALLOWED_MAX_BYTES: Mapping[str, int] = DOCUMENTED_MAX_BYTES
# CreateParticipantToken takes the stage ARN and a ParticipantTokenConfig,
# flattened beside it on the wire (by a hook of the converter).
ALLOWED_FLATTENED: Mapping[tuple[str, str], str] = {
    ("CreateParticipantTokenRequest", "config"): "ParticipantTokenConfiguration",
}
# Their members are HTTP headers (CORS and security headers), not data:
# the facade methods return None.
ALLOWED_HEADER_ONLY: frozenset[str] = frozenset(
    {"StartParticipantReplicationResponse", "StopParticipantReplicationResponse"}
)
# Their header members are the CORS and security headers of the HTTP answer
# (Access-Control-*, Cache-Control, Strict-Transport-Security, ...), not data:
# the facades return the ingest configuration of the body.
ALLOWED_IGNORED_HEADERS: frozenset[str] = frozenset(
    {"CreateIngestConfigurationResponse", "UpdateIngestConfigurationResponse"}
)
# Error shapes are not models: they become the typed errors of errors.py,
# which the checker maps through _core's table instead.

Fields = Callable[[type[Any]], Sequence["attrs.Attribute[Any]"]]
EnumValues = Callable[[type[enum.Enum]], set[str]]


def _enum_values(cls: type[enum.Enum]) -> set[str]:
    return {str(member.value) for member in cls}


def _operations() -> dict[str, ops.Operation[Any, Any]]:
    return {op.name: op for op in vars(ops).values() if isinstance(op, ops.Operation)}


def _iter_name(list_method: str) -> str:
    return "iter_" + list_method.removeprefix("list_")


@attrs.frozen
class SDK:
    """What the checker compares with the service model; tests swap parts of it."""

    operations: Mapping[str, ops.Operation[Any, Any]] = attrs.field(factory=_operations)
    facades: Sequence[type[Any]] = (IVSRealTime, AsyncIVSRealTime)
    fields: Fields = attrs.fields
    enum_values: EnumValues = _enum_values


class Checker:
    """Walks the service model beside the SDK and collects every difference."""

    def __init__(self, sdk: SDK) -> None:
        self.sdk = sdk
        self.problems: list[str] = []
        self.used: set[object] = set()
        self._walked: set[tuple[str, type[Any]]] = set()
        self._enums: dict[str, type[enum.Enum]] = {}
        self._structures: set[str] = set()
        self._limits = True

    def run(self) -> list[str]:
        """Check everything; return the problems found."""
        self._operation_names()
        for name in SERVICE.operation_names:
            op = self.sdk.operations.get(name)
            if op is not None:
                self._operation(SERVICE.operation_model(name), op)
        self._everything_reached()
        return self.problems

    def _problem(self, text: str) -> None:
        self.problems.append(text)

    def _operation_names(self) -> None:
        expected, actual = set(SERVICE.operation_names), set(self.sdk.operations)
        for name in sorted(expected - actual):
            self._problem(f"{name}: no Operation descriptor")
        for name in sorted(actual - expected):
            self._problem(f"{name}: an Operation the service model does not have")
        methods = {"close"}
        for op in self.sdk.operations.values():
            if op.method != xform_name(op.name):
                self._problem(
                    f"{op.name}: method {op.method!r}, boto3 calls it {xform_name(op.name)!r}"
                )
            methods.add(op.method)
            if op.page_key is not None:
                methods.add(_iter_name(op.method))
        for facade in self.sdk.facades:
            public = {
                name
                for name, _ in inspect.getmembers(facade, inspect.isfunction)
                if not name.startswith("_")
            }
            for name in sorted(methods - public):
                self._problem(f"{facade.__name__}.{name}: missing")
            for name in sorted(public - methods):
                self._problem(f"{facade.__name__}.{name}: a method of no operation")

    def _operation(self, model: Any, op: ops.Operation[Any, Any]) -> None:
        self._request(model.input_shape, op)
        self._response(model.output_shape, op)
        for facade in self.sdk.facades:
            self._parameters(facade, op.method, op)
            if op.page_key is not None:
                self._parameters(facade, _iter_name(op.method), op)

    def _parameters(self, facade: type[Any], method: str, op: ops.Operation[Any, Any]) -> None:
        function = getattr(facade, method, None)
        if function is None:
            return  # reported with the method names
        params = [p for p in inspect.signature(function).parameters.values() if p.name != "self"]
        where = f"{facade.__name__}.{method}"
        if len(params) == 1 and params[0].annotation == op.request.__name__:
            return  # takes the spec model itself, whose fields the request walk checks
        expected = {field.name for field in self.sdk.fields(op.request)}
        if method.startswith("iter_"):
            expected = (expected - {"max_results", "next_token"}) | {"page_size"}
        actual = {p.name for p in params}
        for name in sorted(expected - actual):
            self._problem(f"{where}: no parameter {name} ({wire_name(name)})")
        for name in sorted(actual - expected):
            self._problem(f"{where}: parameter {name} is not in {op.request.__name__}")

    def _request(self, shape: Shape, op: ops.Operation[Any, Any]) -> None:
        self._structure(shape, op.request, shape.name)

    def _response(self, shape: Shape, op: ops.Operation[Any, Any]) -> None:
        body = {n: m for n, m in shape.members.items() if m.serialization.get("location") is None}
        headers = set(shape.members) - set(body)
        if headers:
            header_only = shape.name in ALLOWED_HEADER_ONLY and not body
            if header_only or shape.name in ALLOWED_IGNORED_HEADERS:
                self.used.add(shape.name)
            else:
                self._problem(f"{shape.name}: header members {sorted(headers)} are not read")
        self._structures.add(shape.name)
        if op.result is None:
            if body:
                self._problem(f"{shape.name}: members {sorted(body)} are dropped (result None)")
            return
        if op.page_key is not None:
            expected, item = {op.page_key, "nextToken"}, body.get(op.page_key)
            if item is not None and item.type_name == "list":
                self._structure(item.member, op.result, f"{shape.name}.{op.page_key}[]")
        elif op.result_key is not None:
            expected, item = {op.result_key}, body.get(op.result_key)
            if item is not None:
                self._structure(item, op.result, f"{shape.name}.{op.result_key}")
        else:
            self._structure(shape, op.result, shape.name)
            return
        if set(body) != expected:
            self._problem(f"{shape.name}: members {sorted(body)}, the SDK reads {sorted(expected)}")

    def _structure(self, shape: Shape, cls: type[Any], where: str) -> None:
        if shape.type_name != "structure":
            self._problem(
                f"{where}: {shape.name} is a {shape.type_name}, the SDK has {cls.__name__}"
            )
            return
        if (shape.name, cls) in self._walked:
            return
        self._walked.add((shape.name, cls))
        self._structures.add(shape.name)
        members = {
            n: m for n, m in shape.members.items() if m.serialization.get("location") != "header"
        }
        fields: dict[str, attrs.Attribute[Any]] = {}
        for field in self.sdk.fields(cls):
            flattened = ALLOWED_FLATTENED.get((shape.name, field.name))
            if flattened is not None and isinstance(field.validator, c.Nested):
                self.used.add((shape.name, field.name))
                self._structure(SERVICE.shape_for(flattened), field.validator.type, flattened)
                for inner in self.sdk.fields(field.validator.type):
                    fields[wire_name(inner.name)] = inner
            else:
                fields[wire_name(field.name)] = field
        for name in sorted(set(members) - set(fields)):
            self._problem(f"{shape.name}.{name}: missing from {cls.__name__}")
        for name in sorted(set(fields) - set(members)):
            self._problem(f"{cls.__name__}.{fields[name].name}: {shape.name} has no member {name}")
        # Response models check types, not the service's input limits (Smithy: constraints
        # bind input only), so their limits are not compared; everything else is.
        limits, self._limits = self._limits, not is_response_model(cls)
        for name in sorted(set(members) & set(fields)):
            self._field(shape, name, fields[name], f"{cls.__name__}.{fields[name].name}")
        self._limits = limits

    def _field(self, parent: Shape, name: str, field: attrs.Attribute[Any], where: str) -> None:
        shape: Shape = parent.members[name]
        required = name in parent.required_members
        if not required and (parent.name, name) in ALLOWED_REQUIRED:
            self.used.add((parent.name, name))
            required = True
        sdk_required = field.default is attrs.NOTHING
        if required != sdk_required:
            state = "required" if required else "optional"
            self._problem(f"{where}: {parent.name}.{name} is {state}, the SDK disagrees")
        check = field.validator
        if check is None:
            self._problem(f"{where}: no validator")
            return
        if getattr(check, "optional", False) != (field.default is None):
            self._problem(f"{where}: accepts None only if its default is None")
        if shape.metadata.get("sensitive") and field.repr is not False:
            self._problem(f"{where}: sensitive, but shown in repr")
        self._value(shape, check, where)

    def _value(self, shape: Shape, check: object, where: str) -> None:
        kind, meta = shape.type_name, shape.metadata
        expected: dict[str, object] = {}
        if kind == "string" and shape.enum:
            if isinstance(check, c.Enum):
                self._enum(shape, check.type, where)
                return
            wanted: tuple[type[Any], ...] = (c.Enum,)
        elif kind == "string":
            wanted = (c.Text,)
            pattern = meta.get("pattern")
            if shape.name in ALLOWED_PATTERNS:
                self.used.add(shape.name)
                pattern = ALLOWED_PATTERNS[shape.name]
            expected = {"min": meta.get("min", 0), "max": meta.get("max"), "pattern": pattern}
            if (
                self._limits
                and meta.get("sensitive")
                and pattern
                and isinstance(check, c.Text)
                and not check.sensitive
            ):
                self._problem(f"{where}: sensitive, but its pattern errors quote the value")
        elif kind == "integer":
            # Token durations are whole minutes on the wire, timedeltas in models.
            wanted = (c.Duration,) if isinstance(check, c.Duration) else (c.Integer,)
            expected = {"min": meta.get("min"), "max": meta.get("max")}
        elif kind in ("float", "double"):
            wanted, expected = (c.Float,), {"min": meta.get("min"), "max": meta.get("max")}
        elif kind == "boolean":
            wanted = (c.Boolean,)
        elif kind == "timestamp":
            wanted = (c.Timestamp,)
        elif kind == "structure":
            if isinstance(check, c.Nested):
                self._structure(shape, check.type, where)
                return
            wanted = (c.Nested,)
        elif kind == "list":
            wanted, expected = (c.Items,), {"min": meta.get("min", 0), "max": meta.get("max")}
            if isinstance(check, c.Items):
                self._inner(shape.member, check.item, f"{where}[]")
        elif kind == "map":
            wanted = (c.StrMap,)
            expected = {"max": meta.get("max"), "max_bytes": ALLOWED_MAX_BYTES.get(shape.name)}
            if shape.name in ALLOWED_MAX_BYTES:
                self.used.add(shape.name)
            if isinstance(check, c.StrMap):
                self._inner(shape.key, check.key, f"{where} key")
                self._inner(shape.value, check.value, f"{where} value")
        else:
            self._problem(f"{where}: unexpected shape type {kind}")
            return
        if not isinstance(check, wanted):
            names = "/".join(cls.__name__ for cls in wanted)
            self._problem(f"{where}: {shape.name} needs a {names} validator, has {check!r}")
            return
        for attribute, value in expected.items() if self._limits else ():
            actual = getattr(check, attribute)
            if actual != value:
                self._problem(f"{where}: {attribute} is {actual!r}, {shape.name} says {value!r}")

    def _inner(self, shape: Shape, check: object, where: str) -> None:
        if getattr(check, "optional", False):
            self._problem(f"{where}: an item or entry may not be None")
        self._value(shape, check, where)

    def _enum(self, shape: Shape, cls: type[enum.Enum], where: str) -> None:
        self._enums.setdefault(shape.name, cls)
        expected, actual = set(shape.enum), self.sdk.enum_values(cls)
        for value in sorted(expected - actual):
            self._problem(f"{where}: {cls.__name__} lacks {value} of {shape.name}")
        for value in sorted(actual - expected):
            self._problem(f"{where}: {cls.__name__}.{value} is not in {shape.name}")

    def _everything_reached(self) -> None:
        for name in SERVICE.shape_names:
            shape = SERVICE.shape_for(name)
            if shape.metadata.get("exception"):
                if name not in _core._SERVICE_ERRORS:  # pyright: ignore[reportPrivateUsage]
                    self._problem(f"{name}: an error code with no typed error")
            elif shape.type_name == "structure" and name not in self._structures:
                self._problem(f"{name}: no model or operation covers it")
            elif shape.type_name == "string" and shape.enum and name not in self._enums:
                self._problem(f"{name}: no enum covers it")


def check(sdk: SDK | None = None) -> tuple[list[str], set[object]]:
    """Return the problems of ``sdk`` (the real SDK by default) and the allowances it used."""
    checker = Checker(sdk or SDK())
    return checker.run(), checker.used


def _allowances() -> set[object]:
    return {
        *ALLOWED_PATTERNS,
        *ALLOWED_REQUIRED,
        *ALLOWED_MAX_BYTES,
        *ALLOWED_FLATTENED,
        *ALLOWED_HEADER_ONLY,
        *ALLOWED_IGNORED_HEADERS,
    }


def test_the_sdk_conforms_to_the_service_model() -> None:
    problems, _ = check()
    assert problems == []


def test_every_allowance_is_still_needed() -> None:
    _, used = check()
    assert _allowances() - used == set()


def test_every_operation_has_a_declaration_and_methods_in_both_facades() -> None:
    assert set(_operations()) == set(SERVICE.operation_names)


# The checker, checked: each kind of drift it must catch, planted in a copy of the SDK.


def _fields_without(cls: type[Any], name: str) -> Fields:
    def fields(model: type[Any]) -> Sequence[attrs.Attribute[Any]]:
        return tuple(f for f in attrs.fields(model) if not (model is cls and f.name == name))

    return fields


def _fields_changed(cls: type[Any], name: str, **changes: Any) -> Fields:
    def fields(model: type[Any]) -> Sequence[attrs.Attribute[Any]]:
        return tuple(
            f.evolve(**changes) if model is cls and f.name == name else f
            for f in attrs.fields(model)
        )

    return fields


def _facade_without(facade: type[Any], method: str) -> type[Any]:
    members = {n: m for n, m in vars(facade).items() if n != method}
    return type(facade.__name__, (), members)


@pytest.mark.parametrize(
    ("sdk", "expected"),
    [
        pytest.param(
            SDK(fields=_fields_without(Participant, "os_name")),
            "Participant.osName: missing from Participant",
            id="a dropped field",
        ),
        pytest.param(
            SDK(fields=_fields_changed(StageSpec, "name", validator=c.Text(max=64, optional=True))),
            "StageSpec.name: max is 64, StageName says 128",
            id="a changed limit",
        ),
        pytest.param(
            SDK(fields=_fields_changed(Video, "width", validator=c.Integer(min=2, optional=True))),
            "Video.width: max is None, Width says 1920",
            id="a dropped limit",
        ),
        pytest.param(
            SDK(
                fields=_fields_changed(
                    S3StorageConfiguration, "bucket_name", validator=c.Text(min=3, max=63)
                )
            ),
            "S3StorageConfiguration.bucket_name: pattern is None, S3BucketName says '[a-z0-9-.]+'",
            id="a dropped pattern",
        ),
        pytest.param(
            SDK(fields=_fields_changed(IngestConfiguration, "stream_key", repr=True)),
            "IngestConfiguration.stream_key: sensitive, but shown in repr",
            id="a secret in repr",
        ),
        pytest.param(
            SDK(fields=_fields_changed(ParticipantToken, "participant_id", default=None)),
            "ParticipantToken.participant_id: ParticipantToken.participantId is required",
            id="a required field made optional",
        ),
        pytest.param(
            SDK(
                enum_values=lambda e: (
                    _enum_values(e) - {"WHIP"} if e is ParticipantProtocol else _enum_values(e)
                )
            ),
            "ParticipantProtocol lacks WHIP of ParticipantProtocol",
            id="a missing enum value",
        ),
        pytest.param(
            SDK(
                enum_values=lambda e: (
                    _enum_values(e) | {"STRETCH"} if e is VideoFillMode else _enum_values(e)
                )
            ),
            "VideoFillMode.STRETCH is not in VideoFillMode",
            id="an extra enum value",
        ),
        pytest.param(
            SDK(facades=(IVSRealTime, _facade_without(AsyncIVSRealTime, "get_composition"))),
            "AsyncIVSRealTime.get_composition: missing",
            id="a missing facade method",
        ),
        pytest.param(
            SDK(
                facades=(_facade_without(IVSRealTime, "iter_participant_events"), AsyncIVSRealTime)
            ),
            "IVSRealTime.iter_participant_events: missing",
            id="a missing iterator",
        ),
        pytest.param(
            SDK(operations={k: v for k, v in _operations().items() if k != "UntagResource"}),
            "UntagResource: no Operation descriptor",
            id="a missing operation",
        ),
    ],
)
def test_the_checker_catches(sdk: SDK, expected: str) -> None:
    problems, _ = check(sdk)
    assert problems, "the checker found nothing"
    assert any(expected in problem for problem in problems), problems
