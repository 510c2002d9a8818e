"""What the SDK refuses before sending: text that is not Unicode, a model argument of the
wrong type; and what it parses without growing: unknown enum values, times at the ends."""

from __future__ import annotations

import gc
import inspect
import weakref
from datetime import timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivs_realtime_sdk import _operations as ops
from ivs_realtime_sdk._converter import structure
from ivs_realtime_sdk.errors import (
    InvalidParameterError,
    InvalidParameterTypeError,
    UnexpectedResponseError,
)
from ivs_realtime_sdk.events import parse_event
from ivs_realtime_sdk.local import LocalIVSRealTime
from ivs_realtime_sdk.models import (
    AutoParticipantRecordingConfiguration,
    Capability,
    ParticipantToken,
    ParticipantTokenConfig,
    StageSpec,
)
from ivs_realtime_sdk.models import _constraints as c
from ivs_realtime_sdk.models._response import is_response_model

from .conftest import Facade, arn, requests_sent
from .events import examples
from .strategies import TIME_EDGES, models, outside_datetimes_range, public_models

SURROGATE = "\udcff"


def _text_fields(cls: type[Any]) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for field in attrs.fields(cls):
        check = field.validator
        if isinstance(check, c.Text | c.StrMap) or (
            isinstance(check, c.Items) and isinstance(check.item, c.Text)
        ):
            found.append((field.name, check))
    return found


_REQUESTS = {
    op.request for op in vars(ops).values() if isinstance(op, ops.Operation) and op.spec is None
}
#: Every input model with a string: the public specs and configs, and each
#: operation's private request model (the arguments of the facades' methods).
INPUT_MODELS = [
    cls
    for cls in [*public_models(), *sorted(_REQUESTS, key=lambda cls: cls.__name__)]
    if _text_fields(cls) and not is_response_model(cls)
]


def _poisoned(check: Any, valid: Any) -> list[Any]:
    """Values for a field of ``check`` that hold a lone surrogate somewhere."""
    if isinstance(check, c.Text):
        return [SURROGATE, f"ok{SURROGATE}", "\ud800x"]
    if isinstance(check, c.StrMap):
        return [{SURROGATE: "v"}, {"k": SURROGATE}, {"k": f"a{SURROGATE}b"}]
    return [(SURROGATE,), (*valid[: max(0, len(valid) - 1)], SURROGATE)]


@pytest.mark.parametrize("cls", INPUT_MODELS, ids=lambda cls: cls.__name__)
@settings(max_examples=5, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_every_string_field_refuses_a_lone_surrogate_naming_the_field(
    cls: type[Any], data: st.DataObject
) -> None:
    valid = data.draw(models(cls))
    for name, check in _text_fields(cls):
        current = getattr(valid, name)
        for value in _poisoned(check, tuple(current) if current is not None else ()):
            with pytest.raises(InvalidParameterError) as caught:
                attrs.evolve(valid, **{name: value})
            assert caught.value.field.startswith(f"{cls.__name__}.{name}")
            assert "lone surrogate" in caught.value.problem
            assert "not valid Unicode text" in caught.value.problem


def test_the_reported_spec_fails_when_built_and_nothing_is_sent(
    api: Facade, emulator: LocalIVSRealTime
) -> None:
    with pytest.raises(InvalidParameterError) as caught:
        StageSpec(name="x", tags={"k": SURROGATE})
    assert caught.value.field == "StageSpec.tags['k']"
    for bad in (
        {"user_id": f"u{SURROGATE}"},
        {"attributes": {"k": "\ud800"}},
        {"attributes": {"\ud800": "v"}},
    ):
        with pytest.raises(InvalidParameterError, match="lone surrogate"):
            ParticipantTokenConfig(**bad)
    assert requests_sent(emulator, "CreateStage") == 0


async def test_both_facades_refuse_a_spec_of_the_wrong_type_before_sending(
    api: Facade, emulator: LocalIVSRealTime
) -> None:
    for bad in ("x", {"name": "x"}, None):
        with pytest.raises(InvalidParameterTypeError) as caught:
            await api.create_stage(bad)
        assert caught.value.field == "create_stage(spec)"
        assert caught.value.problem == f"expected StageSpec, got {type(bad).__name__}"
    assert isinstance(caught.value, TypeError)
    assert requests_sent(emulator, "CreateStage") == 0
    assert (await api.list_stages()).items == ()


SPEC_OPERATIONS = [
    op for op in vars(ops).values() if isinstance(op, ops.Operation) and op.spec is not None
]


@pytest.mark.parametrize("op", SPEC_OPERATIONS, ids=lambda op: op.method)
async def test_every_method_taking_a_spec_checks_its_type(
    api: Facade, emulator: LocalIVSRealTime, op: ops.Operation[Any, Any]
) -> None:
    with pytest.raises(InvalidParameterTypeError) as caught:
        await getattr(api, op.method)({"name": "x"})
    assert caught.value.field == f"{op.method}(spec)"
    assert caught.value.problem == f"expected {op.request.__name__}, got dict"
    assert requests_sent(emulator, op.name) == 0


async def test_model_arguments_beside_others_are_checked_too(
    api: Facade, emulator: LocalIVSRealTime
) -> None:
    stage = arn("stage")
    with pytest.raises(InvalidParameterTypeError) as caught:
        await api.create_participant_token(stage, {"user_id": "u"})
    assert caught.value.field == "create_participant_token(config)"
    assert caught.value.problem == "expected ParticipantTokenConfig, got dict"
    with pytest.raises(InvalidParameterTypeError) as caught:
        await api.update_stage(stage, auto_participant_recording_configuration="x")
    assert caught.value.field == "update_stage(auto_participant_recording_configuration)"
    assert AutoParticipantRecordingConfiguration.__name__ in caught.value.problem
    assert requests_sent(emulator, "CreateParticipantToken") == 0
    assert requests_sent(emulator, "UpdateStage") == 0


def test_the_generator_checks_every_model_argument_of_every_operation() -> None:
    from ivs_realtime_sdk._generated._async import AsyncOperations
    from ivs_realtime_sdk._generated._sync import SyncOperations

    for op_name, op in vars(ops).items():
        if not isinstance(op, ops.Operation):
            continue
        for facade in (SyncOperations, AsyncOperations):
            source = inspect.getsource(getattr(facade, op.method))
            for name in op.model_arguments():
                assert f"ops.{op_name}.argument(" in source, (facade.__name__, op_name)
                assert f'"{name}", {name}' in " ".join(source.split()), (op_name, name)


def test_unknown_enum_values_are_not_kept_after_use() -> None:
    # A cache of every unknown value grew without bound (123 MB per 50,000
    # events with unique 1 KB detail types); now each is freed with its event.
    event = parse_event({**examples.RECORDING_START, "detail-type": "Unique " + "x" * 1000})
    assert not event.detail_type.is_known
    kept = weakref.ref(event.detail_type)
    member = Capability.from_wire("RECORD-" + "y" * 100)
    assert member == "RECORD-" + "y" * 100
    assert not member.is_known
    assert Capability.from_wire("RECORD") == Capability.from_wire("RECORD")
    assert Capability.from_wire("PUBLISH") is Capability.PUBLISH
    also = weakref.ref(member)
    del event, member
    gc.collect()
    assert kept() is None
    assert also() is None


@pytest.mark.parametrize("wire", TIME_EDGES)
def test_response_times_at_the_ends_of_the_range_parse_or_fail_typed(wire: str) -> None:
    raw = {"participantId": "p", "token": "t", "expirationTime": wire}
    if outside_datetimes_range(wire):
        with pytest.raises(UnexpectedResponseError, match="outside the years 1 to 9999") as caught:
            structure(raw, ParticipantToken)
        assert str(caught.value).startswith("ParticipantToken.expiration_time: ")
    else:
        token = structure(raw, ParticipantToken)
        assert token.expiration_time is not None
        assert token.expiration_time.utcoffset() == timedelta(0)


def test_response_models_keep_the_text_the_wire_held() -> None:
    # Output is checked for type only: a response holding a lone surrogate
    # (JSON can escape one) still parses, prints and copies.
    raw = {
        "participantId": "p",
        "token": "t",
        "userId": f"u{SURROGATE}",
        "expirationTime": "2026-01-01T00:00:00Z",
    }
    token = structure(raw, ParticipantToken)
    assert token.user_id == f"u{SURROGATE}"
    assert attrs.evolve(token) == token
