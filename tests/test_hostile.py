"""Hostile input: every model constructor and the parse side fail only with documented errors."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivs_realtime_sdk._converter import structure
from ivs_realtime_sdk.errors import InvalidParameterError, UnexpectedResponseError

from .strategies import models, public_models

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**20),
    st.floats(),  # NaN and infinities included
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=50),
    st.text(max_size=5).map(lambda s: s * 50_000),  # huge strings
    st.just("\ud800"),  # a lone surrogate
    st.binary(max_size=20),
    st.datetimes(),  # naive
    st.timedeltas(),
)
hostile = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10), inner, max_size=4)
        | st.tuples(inner)
        | st.frozensets(st.integers() | st.text(max_size=5), max_size=3)
    ),
    max_leaves=20,
)
deeply_nested: Any = [[[[[[[[[[["x"]]]]]]]]]]]


@pytest.mark.parametrize("cls", public_models(), ids=lambda cls: cls.__name__)
@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_constructors_fail_only_with_invalid_parameter_errors(
    cls: type[Any], data: st.DataObject
) -> None:
    valid = data.draw(models(cls))
    field = data.draw(st.sampled_from([f.name for f in attrs.fields(cls) if f.init]))
    value = data.draw(hostile | st.just(deeply_nested))
    try:
        rebuilt = attrs.evolve(valid, **{field: value})
    except InvalidParameterError:
        return
    # Accepted: then it was a legal value, and the model stays valid and typed.
    assert attrs.evolve(rebuilt) == rebuilt


@pytest.mark.parametrize("cls", public_models(), ids=lambda cls: cls.__name__)
@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(raw=hostile | st.dictionaries(st.text(max_size=30), hostile, max_size=8))
def test_parsing_fails_only_with_unexpected_response_errors(cls: type[Any], raw: Any) -> None:
    with contextlib.suppress(UnexpectedResponseError):
        structure(raw, cls)


@pytest.mark.parametrize(
    "wire",
    ["yesterday", "2026-13-01T00:00:00Z", "2026-11-26T12:00:00", "", "2026-11-26T25:00:00Z"],
)
def test_bad_timestamps_are_unexpected_responses(wire: str) -> None:
    from ivs_realtime_sdk import ParticipantToken

    raw = {"participantId": "p", "token": "t", "expirationTime": wire}
    with pytest.raises(UnexpectedResponseError, match="expiration_time"):
        structure(raw, ParticipantToken)


def test_wrong_types_in_a_response_name_the_field() -> None:
    from ivs_realtime_sdk import CreatedStage

    raw = {"stage": {"arn": 5}, "participantTokens": []}
    with pytest.raises(UnexpectedResponseError, match=r"Stage.arn: expected str, got int"):
        structure(raw, CreatedStage)


def test_naive_datetime_from_botocore_is_refused() -> None:
    from ivs_realtime_sdk._parsing import parse_timestamp

    with pytest.raises(UnexpectedResponseError, match="no UTC offset"):
        parse_timestamp(datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("raw", "type_"),
    [(10**20, "timedelta"), ("5", "timedelta"), ([1], "Capability"), ("x", "datetime")],
)
def test_structuring_a_bare_field_type_fails_only_typed(raw: Any, type_: str) -> None:
    from datetime import timedelta

    from ivs_realtime_sdk import Capability

    target = {"timedelta": timedelta, "Capability": Capability, "datetime": datetime}[type_]
    with pytest.raises(UnexpectedResponseError):
        structure(raw, target)
